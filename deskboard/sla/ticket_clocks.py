"""A ticket's stored SLA values from plain facts: the columns of ticket_sla, as of `now`.

Pure (no I/O): timers.sla_state gives the due times and breaches; this adds the two instants
the sweep and the `sla` filter read (breach_at, risk_at) and the rules that make a ticket's
clocks stop: the first response clock at the first public staff reply or at resolution, the
resolution clock at resolution. Resolved and closed time always pauses, so a reopened ticket
does not count the days it sat resolved.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from deskboard.sla.calendar import BusinessCalendar
from deskboard.sla.pauses import due_at
from deskboard.sla.timers import Targets, pauses_from_statuses, sla_state

# A running clock is "at risk" once this share of its target is left (business time): 20% of
# the target, i.e. from 80% of it elapsed until it is due.
AT_RISK_SHARE = 0.2
ALWAYS_PAUSED = frozenset({"resolved", "closed"})


@dataclass(frozen=True)
class TicketFacts:
    created_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    # (when, status entered), oldest first; the first is the status the ticket was created with.
    statuses: Sequence[tuple[datetime, str]]


def ticket_clock_values(
    calendar: BusinessCalendar,
    *,
    first_response_minutes: int,
    resolution_minutes: int,
    pause_statuses: Sequence[str],
    facts: TicketFacts,
    now: datetime,
) -> dict[str, Any]:
    """The ticket_sla columns computed from the policy's calendar and targets."""
    pausing = frozenset(pause_statuses) | ALWAYS_PAUSED
    targets = Targets(first_response_minutes, resolution_minutes, pausing)
    responded = facts.first_response_at
    if facts.resolved_at is not None and (responded is None or facts.resolved_at < responded):
        responded = facts.resolved_at  # resolving stops the first response clock too
    state = sla_state(
        calendar,
        targets,
        created_at=facts.created_at,
        statuses=facts.statuses,
        first_response_at=responded,
        resolved_at=facts.resolved_at,
        now=now,
    )
    pauses = pauses_from_statuses(facts.statuses, pausing)
    dues: list[datetime] = []
    risks: list[datetime] = []
    running = (
        (responded, state.first_response_due_at, first_response_minutes),
        (facts.resolved_at, state.resolution_due_at, resolution_minutes),
    )
    for done, due, target in running:
        if done is not None or due is None:
            continue
        dues.append(due)
        risk = due_at(
            calendar,
            pauses,
            start=facts.created_at,
            target_minutes=target * (1 - AT_RISK_SHARE),
        )
        if risk is not None:
            risks.append(risk)
    return {
        "first_response_due_at": state.first_response_due_at,
        "resolution_due_at": state.resolution_due_at,
        "paused_minutes": round(state.paused_minutes, 3),
        "paused": state.paused,
        "first_response_breached": state.first_response_breached,
        "resolution_breached": state.resolution_breached,
        "breach_at": min(dues, default=None),
        "risk_at": min(risks, default=None),
    }


def statuses_from_changes(
    created_at: datetime, current: str, changes: Sequence[tuple[datetime, Any, Any]]
) -> list[tuple[datetime, str]]:
    """(when, status) from a ticket's status changes (at, old, new), oldest first."""
    first = str(changes[0][1]) if changes else current
    return [(created_at, first), *((at, str(new)) for at, _old, new in changes)]


def sla_view(
    row: Any, *, first_response_at: datetime | None, resolved_at: datetime | None, now: datetime
) -> dict[str, Any]:
    """A ticket's `sla` object from its ticket_sla row (an ORM row or a result row with the same
    attribute names), as of `now`: the row-level twin of tickets.querying's `sla` filter."""
    first_running = first_response_at is None and resolved_at is None
    first = bool(row.first_response_breached) or (
        first_running and row.first_response_due_at is not None and row.first_response_due_at <= now
    )
    resolution = bool(row.resolution_breached) or (
        resolved_at is None and row.resolution_due_at is not None and row.resolution_due_at <= now
    )
    return {
        "policy_id": row.policy_id,
        "first_response_due_at": row.first_response_due_at,
        "resolution_due_at": row.resolution_due_at,
        "paused_minutes": row.paused_minutes,
        "paused": bool(row.paused),
        "at_risk": not (first or resolution) and row.risk_at is not None and row.risk_at <= now,
        "breached": {"first_response": first, "resolution": resolution},
    }
