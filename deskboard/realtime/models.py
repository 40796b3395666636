"""The event outbox: committed events not yet known to be in the shared stream."""

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from deskboard.core.time import utcnow
from deskboard.db import Base, UTCDateTime


class OutboxEvent(Base):
    """Written in the transaction that raised the event; deleted once it is in the stream."""

    __tablename__ = "event_outbox"
    __table_args__ = (Index("ix_event_outbox_created_at", "created_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # Event.id
    payload: Mapped[str] = mapped_column(Text)  # deskboard.realtime.log.encode_event
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
