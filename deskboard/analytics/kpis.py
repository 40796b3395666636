"""Headline figures, each with its value over the previous period of the same length.

Counts (open, unassigned, overdue) are taken now and at the start of the period; medians (first
response, resolution) over the tickets of each period. Unassigned has no previous value: who was
assigned at a past instant is not kept in a form one query can read back.
"""

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from deskboard.analytics import summary
from deskboard.analytics.parallel import run_figures
from deskboard.analytics.schemas import Kpi, Kpis, Period
from deskboard.analytics.segments import (
    OPEN_STATUSES,
    allowed_statuses,
    document,
    scoped,
    with_assignee,
    with_statuses,
)
from deskboard.analytics.sql import median, seconds_between
from deskboard.analytics.trends import Scope, count_unresolved_at, open_at
from deskboard.auth.models import User
from deskboard.tickets.filters import TicketFilter
from deskboard.tickets.models import Ticket


async def kpis(
    session: AsyncSession, *, viewer: User, ticket_filter: TicketFilter, now: datetime, days: int
) -> Kpis:
    scope = Scope(viewer, ticket_filter, now)
    start = now - timedelta(days=days)
    previous_start = start - timedelta(days=days)

    open_filter = with_statuses(ticket_filter, allowed_statuses(ticket_filter, OPEN_STATUSES))
    unassigned_filter = (
        with_assignee(open_filter, None, viewer) if open_filter is not None else None
    )
    overdue_filter = (
        open_filter.merged(TicketFilter(overdue=True))
        if open_filter is not None and ticket_filter.overdue is not False
        else None
    )
    first_response = seconds_between(Ticket.first_response_at, Ticket.created_at)
    resolution = seconds_between(Ticket.resolved_at, Ticket.created_at)

    # Longest first (the medians sort a period's tickets), so the workers finish together.
    (
        first_response_now,
        first_response_before,
        resolution_now,
        resolution_before,
        open_before,
        overdue_before,
        open_now,
        unassigned_now,
        overdue_now,
    ) = await run_figures(
        session,
        [
            lambda s: _median(s, scope, first_response, Ticket.created_at, start, now),
            lambda s: _median(s, scope, first_response, Ticket.created_at, previous_start, start),
            lambda s: _median(s, scope, resolution, Ticket.resolved_at, start, now),
            lambda s: _median(s, scope, resolution, Ticket.resolved_at, previous_start, start),
            lambda s: open_at(s, scope, start),
            lambda s: _overdue_at(s, scope, start),
            lambda s: _count(s, scope, open_filter),
            lambda s: _count(s, scope, unassigned_filter),
            lambda s: _count(s, scope, overdue_filter),
        ],
    )
    return Kpis(
        days=days,
        period=Period(start=start, end=now),
        previous_period=Period(start=previous_start, end=start),
        open=_kpi(open_now, open_before, open_filter),
        unassigned=_kpi(unassigned_now, None, unassigned_filter),
        overdue=_kpi(overdue_now, overdue_before, overdue_filter),
        median_first_response_seconds=_kpi(first_response_now, first_response_before, None),
        median_resolution_seconds=_kpi(resolution_now, resolution_before, None),
    )


def _kpi(value: float | None, previous: float | None, drill: TicketFilter | None) -> Kpi:
    change = None if value is None or previous is None else value - previous
    change_pct = None if change is None or not previous else round(100 * change / previous, 1)
    return Kpi(
        value=value, previous=previous, change=change, change_pct=change_pct, filter=document(drill)
    )


async def _count(session: AsyncSession, scope: Scope, ticket_filter: TicketFilter | None) -> int:
    """The number of rows the list shows for this filter (0 when there is no such filter)."""
    if ticket_filter is None:
        return 0
    if await summary.usable(session, ticket_filter, scope.viewer):
        return await summary.count(session, ticket_filter)
    stmt = scoped(select(func.count()).select_from(Ticket), ticket_filter, scope.viewer, scope.now)
    return int((await session.execute(stmt)).scalar_one())


async def _overdue_at(session: AsyncSession, scope: Scope, at: datetime) -> int:
    """Selected tickets that were open and past their due date at instant `at`."""
    return await count_unresolved_at(session, scope, at, Ticket.created_at < at, Ticket.due_at < at)


async def _median(
    session: AsyncSession,
    scope: Scope,
    seconds: ColumnElement[float],
    stamp: InstrumentedAttribute[datetime] | InstrumentedAttribute[datetime | None],
    since: datetime,
    until: datetime,
) -> float | None:
    """The median of `seconds` over the selected tickets whose `stamp` falls in [since, until)."""
    stmt = select(seconds).where(stamp >= since, stamp < until)
    return await median(session, scoped(stmt, scope.ticket_filter, scope.viewer, scope.now))
