"""Notifications: one row per person told about one thing that happened to a ticket."""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, false, text
from sqlalchemy.orm import Mapped, mapped_column

from deskboard.core.time import utcnow
from deskboard.db import Base, UTCDateTime

TITLE_MAX = 200
SUMMARY_MAX = 500


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        # The feed, newest first, paged by id; unread_count counts the unread slice of it.
        Index("ix_notifications_recipient_id", "recipient_id", "id"),
        Index("ix_notifications_recipient_unread", "recipient_id", "read_at"),
        # A ticket's due-soon warning goes to a person once, however often the sweep runs.
        Index(
            "uq_notifications_due_soon",
            "ticket_id",
            "kind",
            "recipient_id",
            unique=True,
            sqlite_where=text("kind = 'due_soon'"),
            postgresql_where=text("kind = 'due_soon'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), nullable=True
    )
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    summary: Mapped[str] = mapped_column(String(SUMMARY_MAX), default="")
    # About an internal note: shown only to people who may still read internal notes.
    internal: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
