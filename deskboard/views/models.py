"""Saved views: a named ticket filter with columns and a sort, personal or shared."""

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from deskboard.core.time import utcnow
from deskboard.db import Base, JSONDoc, UTCDateTime

NAME_MAX = 80


class SavedView(Base):
    __tablename__ = "saved_views"
    __table_args__ = (
        Index("ix_saved_views_owner", "owner_id", "id"),
        Index("ix_saved_views_shared", "shared", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    # The TicketFilter as JSON (by alias: "created": {"from": ...}), as the list API takes it.
    filter: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    columns: Mapped[list[str]] = mapped_column(JSONDoc)
    sort: Mapped[str] = mapped_column(String(24))
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
