"""A ticket's SLA clocks from plain values: when its first response and resolution are due, how
long it has been paused, whether either target is breached.

Both clocks start when the ticket is created, count business time on the policy's calendar, and
stop counting while the ticket sits in one of the policy's pause statuses (each clock also stops
for good once its work is done: the first response given, the ticket resolved). The pauses come from
the ticket's status history, so recomputing (new priority, team or policy) from the same history
keeps the time already paused. A due time is unknown (None) while a pause stops the clock short of
its target; an open pause never breaches.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from deskboard.sla.calendar import BusinessCalendar
from deskboard.sla.pauses import Pause, due_at, paused_business_minutes


@dataclass(frozen=True)
class Targets:
    first_response_minutes: int
    resolution_minutes: int
    pause_statuses: frozenset[str]


@dataclass(frozen=True)
class SlaState:
    first_response_due_at: datetime | None
    resolution_due_at: datetime | None
    paused_minutes: float  # business minutes paused so far (up to resolution or now)
    paused: bool  # the clock is stopped now
    first_response_breached: bool
    resolution_breached: bool


def pauses_from_statuses(
    statuses: Sequence[tuple[datetime, str]], pause_statuses: Iterable[str]
) -> list[Pause]:
    """The spans spent in a pause status, from (when, new status) in time order; the first entry
    is the status the ticket was created with."""
    pausing = frozenset(pause_statuses)
    pauses: list[Pause] = []
    opened: datetime | None = None
    for when, status in sorted(statuses, key=lambda change: change[0]):
        if status in pausing and opened is None:
            opened = when
        elif status not in pausing and opened is not None:
            pauses.append((opened, when))
            opened = None
    if opened is not None:
        pauses.append((opened, None))
    return pauses


def _breached(due: datetime | None, done_at: datetime | None, now: datetime) -> bool:
    if due is None:
        return False
    return (done_at if done_at is not None else now) > due


def sla_state(
    calendar: BusinessCalendar,
    targets: Targets,
    *,
    created_at: datetime,
    statuses: Sequence[tuple[datetime, str]],
    first_response_at: datetime | None,
    resolved_at: datetime | None,
    now: datetime,
) -> SlaState:
    """Both clocks of one ticket as of `now`."""
    pauses = pauses_from_statuses(statuses, targets.pause_statuses)
    first_due = _due(
        calendar, pauses, created_at, targets.first_response_minutes, first_response_at
    )
    resolution_due = _due(calendar, pauses, created_at, targets.resolution_minutes, resolved_at)
    until = resolved_at if resolved_at is not None else now
    paused = paused_business_minutes(calendar, pauses, since=created_at, until=until)
    return SlaState(
        first_response_due_at=first_due,
        resolution_due_at=resolution_due,
        paused_minutes=paused,
        paused=resolved_at is None and bool(pauses) and pauses[-1][1] is None,
        first_response_breached=_breached(first_due, first_response_at, now),
        resolution_breached=_breached(resolution_due, resolved_at, now),
    )


def _due(
    calendar: BusinessCalendar,
    pauses: list[Pause],
    created_at: datetime,
    target: int,
    done_at: datetime | None,
) -> datetime | None:
    """One clock's due time. Once its work is done the clock has stopped: pauses after that do
    not count, and one still open then ends there (so the due time is known)."""
    if done_at is not None:
        pauses = [
            (start, done_at if end is None or end > done_at else end)
            for start, end in pauses
            if start < done_at
        ]
    return due_at(calendar, pauses, start=created_at, target_minutes=target)
