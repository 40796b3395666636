"""Business calendars as stored: the API's document shape, validated before it gets here."""

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from deskboard.core.time import utcnow
from deskboard.db import Base, JSONDoc, UTCDateTime

NAME_MAX = 80
TIMEZONE_MAX = 64


class Calendar(Base):
    __tablename__ = "business_calendars"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX), unique=True)
    timezone: Mapped[str] = mapped_column(String(TIMEZONE_MAX))
    # {"mon": [["09:00", "12:30"], ...], ..., "sun": []}: every weekday, intervals in order.
    hours: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    # ["2026-12-25", ...]: local dates, sorted, no repeats.
    holidays: Mapped[list[str]] = mapped_column(JSONDoc)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SlaPolicy(Base):
    """Targets in business minutes for the tickets its conditions match; the first policy by
    (position, id) that matches a ticket applies."""

    __tablename__ = "sla_policies"
    __table_args__ = (Index("ix_sla_policies_position", "position", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX), unique=True)
    position: Mapped[int] = mapped_column(Integer)
    # A TicketFilter as the list API takes it (by alias, without empty fields).
    conditions: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    # RESTRICT: a calendar in use is not deleted under a policy (the service answers 409 first).
    calendar_id: Mapped[int] = mapped_column(
        ForeignKey("business_calendars.id", ondelete="RESTRICT"), index=True
    )
    first_response_minutes: Mapped[int] = mapped_column(Integer)
    resolution_minutes: Mapped[int] = mapped_column(Integer)
    pause_statuses: Mapped[list[str]] = mapped_column(JSONDoc)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
