"""Business calendars as stored: the API's document shape, validated before it gets here."""

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String
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
