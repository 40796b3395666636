"""Saved replies: personal (its owner's), team (its members') or global (all staff)."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from deskboard.core.time import utcnow
from deskboard.db import Base, UTCDateTime

TITLE_MAX = 120


class SavedReply(Base):
    __tablename__ = "saved_replies"
    __table_args__ = (Index("ix_saved_replies_scope_owner", "scope", "owner_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    # A template (replies/templating.py), checked when saved.
    body: Mapped[str] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(String(16))  # personal | team | global
    # Who made it; a personal reply is this person's alone. A reply outlives its author's account
    # (team and global ones are shared work); a personal one without an owner is nobody's.
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    # Set for team replies only. RESTRICT: a team holding replies is not deleted under them.
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    usage_count: Mapped[int] = mapped_column(Integer, default=0)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
