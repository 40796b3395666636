"""Figures over time: created versus resolved per day, and the backlog at the end of each day.

Days are UTC calendar days, the last one being today. Each series is a couple of queries
grouped by day; the backlog adds one count and a running sum over the (at most 366) days.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from deskboard.analytics import summary
from deskboard.analytics.parallel import run_figures
from deskboard.analytics.schemas import Backlog, CreatedResolved, DayBacklog, DayFlow
from deskboard.analytics.segments import document, scoped, with_created
from deskboard.analytics.sql import utc_day
from deskboard.auth.models import User
from deskboard.tickets.filters import TicketFilter
from deskboard.tickets.models import Ticket


@dataclass(frozen=True)
class Scope:
    """Whose tickets, which ones, and the instant the figures are computed at."""

    viewer: User
    ticket_filter: TicketFilter
    now: datetime


def window(now: datetime, days: int) -> tuple[list[date], datetime]:
    """The last `days` UTC days (oldest first, today last) and the start of the first."""
    today = now.astimezone(UTC).date()
    series = [today - timedelta(days=offset) for offset in range(days - 1, -1, -1)]
    return series, datetime.combine(series[0], time.min, tzinfo=UTC)


async def daily_counts(
    session: AsyncSession,
    scope: Scope,
    column: InstrumentedAttribute[datetime | None] | InstrumentedAttribute[datetime],
    since: datetime,
) -> dict[date, int]:
    """How many selected tickets have `column` (a timestamp) on each UTC day since `since`."""
    if column is Ticket.created_at and await summary.usable(
        session, scope.ticket_filter, scope.viewer
    ):
        # `since` is the start of a UTC day: created_at >= since <=> its day >= since's day.
        return await summary.created_per_day(session, scope.ticket_filter, since.date())
    day = utc_day(column)
    stmt = select(day, func.count()).where(column >= since).group_by(day)
    rows = await session.execute(scoped(stmt, scope.ticket_filter, scope.viewer, scope.now))
    return {d: n for d, n in rows.all()}


async def open_at(session: AsyncSession, scope: Scope, at: datetime) -> int:
    """Selected tickets open at instant `at`: created before it and not resolved by then."""
    return await count_unresolved_at(session, scope, at, Ticket.created_at < at)


async def count_unresolved_at(
    session: AsyncSession, scope: Scope, at: datetime, *conditions: ColumnElement[bool]
) -> int:
    """Selected tickets meeting `conditions` and not resolved before `at`.

    "Not resolved before" is two disjoint ranges of resolved_at (never resolved, or resolved at
    or after `at`), counted apart and added in one statement: each is a short range of
    ix_tickets_resolved (resolved_at, created_at, due_at), where an OR would read the table.
    """
    parts = [
        scoped(
            select(func.count()).select_from(Ticket).where(*conditions, unresolved),
            scope.ticket_filter,
            scope.viewer,
            scope.now,
        ).scalar_subquery()
        for unresolved in (Ticket.resolved_at.is_(None), Ticket.resolved_at >= at)
    ]
    return int((await session.execute(select(parts[0] + parts[1]))).scalar_one())


async def created_vs_resolved(
    session: AsyncSession, *, viewer: User, ticket_filter: TicketFilter, now: datetime, days: int
) -> CreatedResolved:
    scope = Scope(viewer, ticket_filter, now)
    series, since = window(now, days)
    resolved, created = await run_figures(
        session,
        [
            lambda s: daily_counts(s, scope, Ticket.resolved_at, since),
            lambda s: daily_counts(s, scope, Ticket.created_at, since),
        ],
    )
    return CreatedResolved(
        days=days,
        points=[
            DayFlow(
                day=day,
                created=created.get(day, 0),
                resolved=resolved.get(day, 0),
                created_filter=document(with_created(ticket_filter, day, day)),
            )
            for day in series
        ],
    )


async def backlog(
    session: AsyncSession, *, viewer: User, ticket_filter: TicketFilter, now: datetime, days: int
) -> Backlog:
    """Open at the end of each day = open at the window's start + created - resolved so far.

    A ticket counts as open from created_at until resolved_at (reopening clears resolved_at),
    so today's figure equals the current count of new, open and pending tickets.
    """
    scope = Scope(viewer, ticket_filter, now)
    series, since = window(now, days)
    resolved, running, created = await run_figures(
        session,
        [
            lambda s: daily_counts(s, scope, Ticket.resolved_at, since),
            lambda s: open_at(s, scope, since),
            lambda s: daily_counts(s, scope, Ticket.created_at, since),
        ],
    )
    points = []
    for day in series:
        running += created.get(day, 0) - resolved.get(day, 0)
        points.append(DayBacklog(day=day, open=running))
    return Backlog(days=days, points=points)
