"""The rota: one row per shift. Its own metadata; its own migrations (migrations/)."""

from datetime import datetime

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from deskboard.plugins.api import UTCDateTime, declarative_base, utcnow

Base = declarative_base()
NOTE_MAX = 200


class Shift(Base):
    __tablename__ = "oncall_shifts"
    __table_args__ = (Index("ix_oncall_shifts_ends_at", "ends_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # users.id (the foreign key is in the migration: the core's tables are not in this metadata)
    user_id: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(String(NOTE_MAX), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
