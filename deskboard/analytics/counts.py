"""Counts of the tickets a filter selects: by status, by priority, per agent, by age band.

Each is one grouped query; every figure carries the filter that lists exactly its tickets.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.analytics import summary
from deskboard.analytics.models import TicketDayCount
from deskboard.analytics.schemas import (
    AgeBand,
    Ageing,
    AgentRef,
    Breakdown,
    Segment,
    Workload,
    WorkloadRow,
)
from deskboard.analytics.segments import (
    OPEN_STATUSES,
    allowed_statuses,
    document,
    resolved_people,
    scoped,
    with_assignee,
    with_created,
    with_statuses,
)
from deskboard.auth.models import User
from deskboard.auth.roles import STAFF, can
from deskboard.tickets.filters import TicketFilter, TicketPriority, TicketStatus
from deskboard.tickets.models import Ticket


async def by_status(
    session: AsyncSession, *, viewer: User, ticket_filter: TicketFilter, now: datetime
) -> Breakdown:
    statuses = allowed_statuses(ticket_filter, TicketStatus)
    if await summary.usable(session, ticket_filter, viewer):
        stmt = summary.grouped(TicketDayCount.status, ticket_filter)
    else:
        stmt = scoped(
            select(Ticket.status, func.count()).group_by(Ticket.status), ticket_filter, viewer, now
        )
    counts = {status: int(count) for status, count in (await session.execute(stmt)).all()}
    segments = [
        Segment(
            key=status.value,
            count=counts.get(status.value, 0),
            filter=document(with_statuses(ticket_filter, [status])),
        )
        for status in statuses
    ]
    return Breakdown(total=sum(s.count for s in segments), segments=segments)


async def by_priority(
    session: AsyncSession, *, viewer: User, ticket_filter: TicketFilter, now: datetime
) -> Breakdown:
    chosen = set(ticket_filter.priority or TicketPriority)
    priorities = [priority for priority in TicketPriority if priority in chosen]
    if await summary.usable(session, ticket_filter, viewer):
        stmt = summary.grouped(TicketDayCount.priority, ticket_filter)
    else:
        stmt = scoped(
            select(Ticket.priority, func.count()).group_by(Ticket.priority),
            ticket_filter,
            viewer,
            now,
        )
    counts = {priority: int(count) for priority, count in (await session.execute(stmt)).all()}
    segments = [
        Segment(
            key=priority.value,
            count=counts.get(priority.value, 0),
            filter=document(ticket_filter.merged(TicketFilter(priority=[priority]))),
        )
        for priority in priorities
    ]
    return Breakdown(total=sum(s.count for s in segments), segments=segments)


async def workload(
    session: AsyncSession, *, viewer: User, ticket_filter: TicketFilter, now: datetime
) -> Workload:
    """Open tickets per assignee, busiest first, then the unassigned ones.

    Callers who may list staff also see every active agent and admin with nothing assigned;
    others see only the people working on the tickets they may see.
    """
    statuses = allowed_statuses(ticket_filter, OPEN_STATUSES)
    narrowed = with_statuses(ticket_filter, statuses)
    loads: dict[int | None, int] = {}
    if narrowed is not None:
        stmt = scoped(
            select(Ticket.assignee_id, func.count()).group_by(Ticket.assignee_id),
            narrowed,
            viewer,
            now,
        )
        loads = {assignee: count for assignee, count in (await session.execute(stmt)).all()}

    people = resolved_people(ticket_filter.assignee_id, viewer)
    shown: ColumnElement[bool] = User.id.in_(
        [assignee for assignee in loads if assignee is not None]
    )
    if can(viewer.role, "users:list_staff"):
        active_staff = and_(User.is_active.is_(True), User.role.in_([r.value for r in STAFF]))
        shown = or_(shown, active_staff)
    found = (await session.execute(select(User.id, User.name).where(shown))).all()
    agents: list[tuple[int, str]] = [(agent_id, name) for agent_id, name in found]
    if people is not None:
        agents = [(agent_id, name) for agent_id, name in agents if agent_id in people]

    base = narrowed or ticket_filter
    rows = [
        WorkloadRow(
            agent=AgentRef(id=agent_id, name=name),
            count=loads.get(agent_id, 0),
            filter=document(with_assignee(base, agent_id, viewer)) if narrowed else None,
        )
        for agent_id, name in agents
    ]
    rows.sort(key=lambda row: (-row.count, row.agent.name.lower() if row.agent else ""))
    if people is None or "none" in people:
        rows.append(
            WorkloadRow(
                agent=None,
                count=loads.get(None, 0),
                filter=document(with_assignee(base, None, viewer)) if narrowed else None,
            )
        )
    return Workload(total=sum(row.count for row in rows), rows=rows)


# Age bands by whole UTC days since the day of creation, so each band is a `created` range the
# list filter can express. The boundaries [1, 3, 7, 30] (the default, the ageing widget's
# `buckets_days`) make the bands < 1 day, 1-3 days, 3-7 days, 7-30 days and > 30 days.
DEFAULT_AGE_BOUNDARIES: tuple[int, ...] = (1, 3, 7, 30)


@dataclass(frozen=True)
class AgeBandSpec:
    """One band: ages from `youngest` to `oldest` days, both inclusive (None: no upper end)."""

    key: str
    label: str
    youngest: int
    oldest: int | None


def age_bands(boundaries: Sequence[int] = DEFAULT_AGE_BOUNDARIES) -> list[AgeBandSpec]:
    """The bands that ascending whole-day boundaries cut, youngest first.

    Ages are whole UTC days; a boundary N starts the band of the tickets N or more days old.
    """
    if not boundaries or list(boundaries) != sorted(set(boundaries)) or boundaries[0] < 1:
        raise ValueError(f"age band boundaries must be ascending whole days >= 1: {boundaries}")
    first, last = boundaries[0], boundaries[-1]
    bands = [AgeBandSpec(f"lt_{first}d", f"< {_days(first)}", 0, first - 1)]
    for lower, upper in zip(boundaries, boundaries[1:], strict=False):
        bands.append(AgeBandSpec(f"{lower}_{upper}d", f"{lower}-{upper} days", lower, upper - 1))
    bands.append(AgeBandSpec(f"gt_{last}d", f"> {_days(last)}", last, None))
    return bands


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


async def ageing(
    session: AsyncSession,
    *,
    viewer: User,
    ticket_filter: TicketFilter,
    now: datetime,
    boundaries: Sequence[int] = DEFAULT_AGE_BOUNDARIES,
) -> Ageing:
    """Open tickets by age band (age: UTC days between the day of creation and today)."""
    specs = age_bands(boundaries)
    today = now.astimezone(UTC).date()
    narrowed = with_statuses(ticket_filter, allowed_statuses(ticket_filter, OPEN_STATUSES))
    counts: dict[str, int] = {}
    if narrowed is not None and await summary.usable(session, narrowed, viewer):
        # The same bands over days of creation: created_at >= the start of a day <=> day >= it.
        days = summary.grouped(TicketDayCount.day, narrowed).subquery()
        day_band = case(
            *[
                (days.c.day >= today - timedelta(days=spec.oldest), spec.key)
                for spec in specs
                if spec.oldest is not None
            ],
            else_=specs[-1].key,
        )
        banded = select(day_band.label("band"), days.c.tickets).subquery()
        stmt = select(banded.c.band, func.sum(banded.c.tickets)).group_by(banded.c.band)
        counts = {key: int(n) for key, n in (await session.execute(stmt)).all()}
    elif narrowed is not None:
        band = case(
            *[
                (Ticket.created_at >= _start_of(today - timedelta(days=spec.oldest)), spec.key)
                for spec in specs
                if spec.oldest is not None
            ],
            else_=specs[-1].key,
        )
        # Group over a subquery: the CASE holds bound values, which GROUP BY cannot repeat.
        banded = scoped(select(band.label("band")), narrowed, viewer, now).subquery()
        stmt = select(banded.c.band, func.count()).group_by(banded.c.band)
        counts = {key: count for key, count in (await session.execute(stmt)).all()}
    bands = []
    for spec in specs:
        drill = None
        if narrowed is not None:
            start = None if spec.oldest is None else today - timedelta(days=spec.oldest)
            end = None if spec.youngest == 0 else today - timedelta(days=spec.youngest)
            drill = with_created(narrowed, start, end)
        count = counts.get(spec.key, 0)
        bands.append(AgeBand(key=spec.key, label=spec.label, count=count, filter=document(drill)))
    return Ageing(total=sum(band.count for band in bands), bands=bands)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)
