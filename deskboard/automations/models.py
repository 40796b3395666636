"""Automation rules, their run log and the round-robin cursors (issue 13)."""

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from deskboard.core.time import utcnow
from deskboard.db import Base, JSONDoc, UTCDateTime

NAME_MAX = 120
ERROR_MAX = 500


class Automation(Base):
    __tablename__ = "automations"
    __table_args__ = (Index("ix_automations_when", "when", "enabled", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    when: Mapped[str] = mapped_column(String(32))  # ticket.created | ticket.updated | time
    after_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    conditions: Mapped[dict[str, Any]] = mapped_column(JSONDoc)  # a TicketFilter
    actions: Mapped[list[dict[str, Any]]] = mapped_column(JSONDoc)
    # Rules run in this order (then by id): creation order unless an admin reorders.
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Who made it: a `reply` action writes its comment as this person.
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AutomationRun(Base):
    """One run of one rule on one ticket: what triggered it, what it changed, how it ended.

    For time rules `period_at` is the ticket's `updated_at` that qualified: the unique index
    makes a rule act once per ticket per quiet period, however often (or by how many processes)
    the sweep runs. Event runs leave it null (nulls never clash in a unique index)."""

    __tablename__ = "automation_runs"
    __table_args__ = (
        Index("ix_automation_runs_automation", "automation_id", "id"),
        Index("uq_automation_runs_period", "automation_id", "ticket_id", "period_at", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    automation_id: Mapped[int] = mapped_column(ForeignKey("automations.id", ondelete="CASCADE"))
    # The log outlives the ticket (SET NULL) so an admin still sees what was done.
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="SET NULL"), nullable=True, index=True
    )
    trigger: Mapped[str] = mapped_column(String(32))
    depth: Mapped[int] = mapped_column(Integer, default=1)
    period_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # applied | unchanged | failed | stopped (depth limit)
    outcome: Mapped[str] = mapped_column(String(16))
    # [{"type", "before", "after", "detail"}] per action, in order.
    results: Mapped[list[dict[str, Any]]] = mapped_column(JSONDoc, default=list)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AutomationCursor(Base):
    """Whom an `assign` action of a rule gave a team's last ticket to. Its row is locked while
    the next member is chosen, so concurrent tickets take turns (round robin stays fair)."""

    __tablename__ = "automation_cursors"

    automation_id: Mapped[int] = mapped_column(
        ForeignKey("automations.id", ondelete="CASCADE"), primary_key=True
    )
    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    last_user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
