"""Business calendars as stored: the API's document shape, validated before it gets here."""

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, text
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


class TicketSla(Base):
    """A ticket's SLA clocks under the policy that applies to it (no row: no policy applies).

    Due and risk instants are computed by the pure functions (timers.py) from the ticket's
    status history, so a recomputation keeps the time already paused. `breach_at` and `risk_at`
    are the earliest due and at-risk instants among the clocks still running (None when both are
    stopped or paused): the sweep and the `sla` filter read them as index ranges.
    """

    __tablename__ = "ticket_sla"
    __table_args__ = (
        # The sweep's two range scans: only rows not yet warned are in each index.
        Index(
            "ix_ticket_sla_breach_pending",
            "breach_at",
            sqlite_where=text("warned_breached = 0"),
            postgresql_where=text("NOT warned_breached"),
        ),
        Index(
            "ix_ticket_sla_risk_pending",
            "risk_at",
            sqlite_where=text("warned_at_risk = 0"),
            postgresql_where=text("NOT warned_at_risk"),
        ),
        Index("ix_ticket_sla_breach_at", "breach_at"),
        Index("ix_ticket_sla_risk_at", "risk_at"),
        Index("ix_ticket_sla_policy", "policy_id"),
    )

    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True
    )
    policy_id: Mapped[int] = mapped_column(ForeignKey("sla_policies.id", ondelete="CASCADE"))
    first_response_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    resolution_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    paused_minutes: Mapped[float] = mapped_column(Float, default=0.0)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set when a clock stopped late (recompute) or ran past its due time (the sweep).
    first_response_breached: Mapped[bool] = mapped_column(Boolean, default=False)
    resolution_breached: Mapped[bool] = mapped_column(Boolean, default=False)
    breach_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    risk_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Each warning goes out once per ticket, whatever recomputations follow.
    warned_at_risk: Mapped[bool] = mapped_column(Boolean, default=False)
    warned_breached: Mapped[bool] = mapped_column(Boolean, default=False)
    # The ticket's due_at follows resolution_due_at unless someone set a due date by hand.
    tracks_due_at: Mapped[bool] = mapped_column(Boolean, default=True)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
