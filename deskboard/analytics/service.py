"""Analytics entry points: each figure computed in the database, cached per visibility scope.

The computations live in counts.py, trends.py, kpis.py and activity.py; this module names the
cache key (endpoint, parameters, what the caller may see) and the instant of computation.
"""

import json
from collections.abc import Awaitable, Callable, Hashable
from datetime import datetime
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.analytics import activity as activity_module
from deskboard.analytics import counts, kpis, trends
from deskboard.analytics import sla as sla_module
from deskboard.analytics.cache import cache
from deskboard.analytics.schemas import (
    Activity,
    Ageing,
    Backlog,
    Breakdown,
    CreatedResolved,
    Kpis,
    SlaCompliance,
    Workload,
)
from deskboard.auth.models import User
from deskboard.auth.roles import can
from deskboard.core import events
from deskboard.core.time import utcnow
from deskboard.tickets.filters import TicketFilter
from deskboard.tickets.querying import hidden_team_ids, sees_all_tickets
from deskboard.views.service import filter_document

T = TypeVar("T")

events.add_listener(cache.on_event)
events.add_delivery_listener(cache.on_event_type)

# Permissions that change what an analytics answer contains, beyond which tickets are seen.
_SCOPE_ACTIONS = ("tickets:internal_notes", "users:list_staff")


def visibility_scope(
    viewer: User, ticket_filter: TicketFilter, hidden_teams: frozenset[int] = frozenset()
) -> Hashable:
    """Callers with the same scope get the same answer to the same question: staff who are
    hidden the same restricted teams (tickets.querying.hidden_team_ids) share entries."""
    powers = tuple(can(viewer.role, action) for action in _SCOPE_ACTIONS)
    mentions_me = "me" in (ticket_filter.assignee_id or []) + (ticket_filter.requester_id or [])
    mentions_mine = "mine" in (ticket_filter.team_id or [])
    if sees_all_tickets(viewer) and not mentions_me and not mentions_mine:
        return ("all", tuple(sorted(hidden_teams)), powers)
    return ("user", viewer.id, powers)


async def _cached(
    endpoint: str,
    session: AsyncSession,
    viewer: User,
    ticket_filter: TicketFilter,
    compute: Callable[[datetime], Awaitable[T]],
    **params: int | tuple[int, ...],
) -> T:
    """Answer from the cache, or compute as of now and remember it."""
    key = (
        endpoint,
        json.dumps(filter_document(ticket_filter), sort_keys=True),
        tuple(sorted(params.items())),
        visibility_scope(viewer, ticket_filter, await hidden_team_ids(session, viewer)),
    )
    return await cache.get_or_compute(key, lambda: compute(utcnow()))


async def by_status(
    session: AsyncSession, *, viewer: User, ticket_filter: TicketFilter
) -> Breakdown:
    return await _cached(
        "by-status",
        session,
        viewer,
        ticket_filter,
        lambda now: counts.by_status(session, viewer=viewer, ticket_filter=ticket_filter, now=now),
    )


async def by_priority(
    session: AsyncSession, *, viewer: User, ticket_filter: TicketFilter
) -> Breakdown:
    return await _cached(
        "by-priority",
        session,
        viewer,
        ticket_filter,
        lambda now: counts.by_priority(
            session, viewer=viewer, ticket_filter=ticket_filter, now=now
        ),
    )


async def workload(session: AsyncSession, *, viewer: User, ticket_filter: TicketFilter) -> Workload:
    return await _cached(
        "workload",
        session,
        viewer,
        ticket_filter,
        lambda now: counts.workload(session, viewer=viewer, ticket_filter=ticket_filter, now=now),
    )


async def ageing(
    session: AsyncSession,
    *,
    viewer: User,
    ticket_filter: TicketFilter,
    bands: tuple[int, ...] = counts.DEFAULT_AGE_BOUNDARIES,
) -> Ageing:
    return await _cached(
        "ageing",
        session,
        viewer,
        ticket_filter,
        lambda now: counts.ageing(
            session, viewer=viewer, ticket_filter=ticket_filter, now=now, boundaries=bands
        ),
        bands=bands,
    )


async def created_vs_resolved(
    session: AsyncSession, *, viewer: User, ticket_filter: TicketFilter, days: int
) -> CreatedResolved:
    return await _cached(
        "created-vs-resolved",
        session,
        viewer,
        ticket_filter,
        lambda now: trends.created_vs_resolved(
            session, viewer=viewer, ticket_filter=ticket_filter, now=now, days=days
        ),
        days=days,
    )


async def backlog(
    session: AsyncSession, *, viewer: User, ticket_filter: TicketFilter, days: int
) -> Backlog:
    return await _cached(
        "backlog",
        session,
        viewer,
        ticket_filter,
        lambda now: trends.backlog(
            session, viewer=viewer, ticket_filter=ticket_filter, now=now, days=days
        ),
        days=days,
    )


async def kpi_summary(
    session: AsyncSession, *, viewer: User, ticket_filter: TicketFilter, days: int
) -> Kpis:
    return await _cached(
        "kpis",
        session,
        viewer,
        ticket_filter,
        lambda now: kpis.kpis(
            session, viewer=viewer, ticket_filter=ticket_filter, now=now, days=days
        ),
        days=days,
    )


async def sla(session: AsyncSession, *, viewer: User, ticket_filter: TicketFilter) -> SlaCompliance:
    return await _cached(
        "sla",
        session,
        viewer,
        ticket_filter,
        lambda now: sla_module.sla_compliance(
            session, viewer=viewer, ticket_filter=ticket_filter, now=now
        ),
    )


async def activity(
    session: AsyncSession, *, viewer: User, ticket_filter: TicketFilter, limit: int
) -> Activity:
    return await _cached(
        "activity",
        session,
        viewer,
        ticket_filter,
        lambda now: activity_module.activity(
            session, viewer=viewer, ticket_filter=ticket_filter, now=now, limit=limit
        ),
        limit=limit,
    )
