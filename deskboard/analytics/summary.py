"""Counting from `ticket_day_counts` (analytics/models.py) instead of the tickets themselves.

The summary answers a question exactly when the question only narrows by status, priority and
days of creation (the filter's `created` range is whole UTC days), for a caller who sees every
ticket (no restricted team hides any from them): then counting summary rows equals counting the
tickets `apply_ticket_filter` selects, so figures and their drill-down lists still agree.
Anything else (assignee, requester, team, tag, text, overdue, channel, a requester's own
tickets) counts the tickets. Only PostgreSQL keeps the summary.
"""

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.analytics.models import TicketDayCount
from deskboard.auth.models import User
from deskboard.tickets.filters import TicketFilter
from deskboard.tickets.querying import hidden_team_ids, sees_all_tickets

TICKETS = func.coalesce(func.sum(TicketDayCount.tickets), 0)


async def usable(session: AsyncSession, ticket_filter: TicketFilter, viewer: User) -> bool:
    """True when the summary counts exactly what the filter selects for this viewer."""
    f = ticket_filter
    return (
        session.get_bind().dialect.name == "postgresql"
        and sees_all_tickets(viewer)
        # The same truthiness tests as tickets/querying.py filter_conditions.
        and not (f.assignee_id or f.requester_id or f.team_id or f.tag or f.q or f.channel)
        and f.overdue is None
        and not f.sla  # compares SLA instants with the current time: only the tickets know
        and not await hidden_team_ids(session, viewer)
    )


def conditions(ticket_filter: TicketFilter) -> list[ColumnElement[bool]]:
    """The filter on summary rows (created from/to are inclusive UTC days, as in the list)."""
    f = ticket_filter
    out: list[ColumnElement[bool]] = []
    if f.status:
        out.append(TicketDayCount.status.in_([s.value for s in f.status]))
    if f.priority:
        out.append(TicketDayCount.priority.in_([p.value for p in f.priority]))
    if f.created is not None:
        if f.created.from_ is not None:
            out.append(TicketDayCount.day >= f.created.from_)
        if f.created.to is not None:
            out.append(TicketDayCount.day <= f.created.to)
    return out


def grouped(column: Any, ticket_filter: TicketFilter) -> Select[Any]:
    """(value, tickets) per value of a summary column, for the filter."""
    stmt = select(column, TICKETS.label("tickets")).where(*conditions(ticket_filter))
    return stmt.group_by(column)


async def count(session: AsyncSession, ticket_filter: TicketFilter) -> int:
    stmt = select(TICKETS).where(*conditions(ticket_filter))
    return int((await session.execute(stmt)).scalar_one())


async def created_per_day(
    session: AsyncSession, ticket_filter: TicketFilter, since: date
) -> dict[date, int]:
    stmt = grouped(TicketDayCount.day, ticket_filter).where(TicketDayCount.day >= since)
    return {day: int(n) for day, n in (await session.execute(stmt)).all() if n}
