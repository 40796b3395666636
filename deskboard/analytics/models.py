"""Pre-aggregated ticket counts for analytics.

`ticket_day_counts` holds, per UTC day of creation, status and priority, how many tickets there
are. On PostgreSQL, statement-level triggers on `tickets` keep it exact in the same transaction
as every insert, update, delete and truncate (migration 0005), so by-status, by-priority, ageing
and tickets-created-per-day read a few thousand rows instead of counting a million tickets.
SQLite databases are small: there the table exists but stays empty and unused (analytics counts
the tickets themselves, see analytics/summary.py).
"""

from datetime import date

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from deskboard.db import Base


class TicketDayCount(Base):
    __tablename__ = "ticket_day_counts"

    day: Mapped[date] = mapped_column(Date, primary_key=True)  # UTC day of created_at
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    priority: Mapped[str] = mapped_column(String(16), primary_key=True)
    tickets: Mapped[int] = mapped_column(Integer, default=0)
