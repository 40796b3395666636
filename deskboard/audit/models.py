from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from deskboard.core.time import utcnow
from deskboard.db import Base, JSONDoc, UTCDateTime


class AuditEntry(Base):
    """Who changed what, with the before and after of the changed record."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    action: Mapped[str] = mapped_column(String(64))  # e.g. "layout.updated"
    entity_type: Mapped[str] = mapped_column(String(32))  # "layout", "ticket", "user"
    entity_id: Mapped[str] = mapped_column(String(64))
    before: Mapped[Any | None] = mapped_column(JSONDoc, nullable=True)
    after: Mapped[Any | None] = mapped_column(JSONDoc, nullable=True)
