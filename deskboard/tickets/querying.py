"""The one place a TicketFilter becomes SQL, and who may see which tickets.

Analytics, saved views and the list all call `apply_ticket_filter`, so a chart segment and the
list it links to always count the same rows.

Who sees what: admins every ticket; agents every ticket except those of a team with
`restrict_visibility` they are not in; requesters the tickets they filed (whatever the team).
The SQL (visibility_condition) and the row-level twin (may_see_ticket) say it once each;
realtime audiences (ticket_audience) and notifications are derived from them.
"""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    exists,
    false,
    or_,
    select,
    true,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, joinedload, selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from deskboard.auth.models import User
from deskboard.auth.roles import Role, can
from deskboard.core.events import Audience
from deskboard.core.time import utcnow
from deskboard.sla.models import TicketSla
from deskboard.teams.models import Team, TeamMember
from deskboard.tickets.filters import PersonRef, TeamRef, TicketFilter
from deskboard.tickets.models import CLOSED_STATUSES, Ticket, TicketTag
from deskboard.tickets.search import ticket_text_match

S = TypeVar("S", bound=Select[Any])
# A person's id, or a column holding one (a correlated condition, e.g. per assignee).
PersonId = int | ColumnElement[int] | InstrumentedAttribute[int]


def sees_all_tickets(viewer: User) -> bool:
    """Staff: every ticket but those of restricted teams they are not in."""
    return can(viewer.role, "tickets:read_all")


def sees_restricted_tickets(viewer: User) -> bool:
    """Every ticket, whichever its team (admins): no visibility condition at all."""
    return can(viewer.role, "tickets:read_restricted")


STAFF_ROLES = frozenset(role.value for role in Role if can(role, "tickets:read_all"))
UNRESTRICTED_ROLES = frozenset(role.value for role in Role if can(role, "tickets:read_restricted"))


def hidden_teams(person_id: PersonId) -> Select[int]:
    """The restricted teams a staff member is not in (their tickets are hidden from them)."""
    # correlate_except: `teams` and, for a column, its table (users, two levels out) come from
    # the enclosing queries; auto-correlation only looks one level out.
    member = (
        exists()
        .where(TeamMember.team_id == Team.id, TeamMember.user_id == person_id)
        .correlate_except(TeamMember)
    )
    return select(Team.id).where(Team.restrict_visibility.is_(True), ~member)


def team_condition(
    person_id: PersonId,
) -> ColumnElement[bool]:
    """Tickets no restricted team hides from this staff member (also a correlated column)."""
    # NOT IN over a primary key (never NULL): PostgreSQL hashes the few hidden team ids once.
    return or_(Ticket.team_id.is_(None), Ticket.team_id.not_in(hidden_teams(person_id)))


def visibility_condition(viewer: User) -> ColumnElement[bool]:
    """Tickets the viewer may see: admins all, agents all but other restricted teams' tickets,
    everyone the ones they requested."""
    if sees_restricted_tickets(viewer):
        return true()
    # The id is written into the SQL (an integer): with it as a parameter PostgreSQL planned a
    # kept list statement anew on every request (~0.9 ms), the one-for-all plan judged worse.
    viewer_id = bindparam(None, viewer.id, type_=Integer, unique=True, literal_execute=True)
    own = Ticket.requester_id == viewer_id
    if sees_all_tickets(viewer):
        return or_(own, team_condition(viewer_id))
    return own


def may_see_ticket(viewer: User, ticket: Ticket) -> bool:
    """The row-level twin of visibility_condition, for a ticket loaded with
    ticket_load_options() (its team and the team's members)."""
    if sees_restricted_tickets(viewer) or ticket.requester_id == viewer.id:
        return True
    if not sees_all_tickets(viewer):
        return False
    team = ticket.team
    return team is None or not team.restrict_visibility or viewer.id in team.member_ids


def ticket_audience(ticket: Ticket, *, requester: bool = True) -> Audience:
    """Who may hear about a ticket (realtime): visibility_condition as an audience. Staff (or,
    for a restricted team's ticket, admins and the team's members) and, unless `requester` is
    False (an internal note), its requester."""
    team = ticket.team
    people = {ticket.requester_id} if requester else set()
    if team is not None and team.restrict_visibility:
        return Audience(roles=UNRESTRICTED_ROLES, user_ids=frozenset(people | team.member_ids))
    return Audience(roles=STAFF_ROLES, user_ids=frozenset(people))


async def hidden_team_ids(session: AsyncSession, viewer: User) -> frozenset[int]:
    """The teams whose tickets visibility_condition hides from a staff member (none for admins;
    a requester's visibility does not depend on teams)."""
    if sees_restricted_tickets(viewer) or not sees_all_tickets(viewer):
        return frozenset()
    return frozenset((await session.execute(hidden_teams(viewer.id))).scalars())


def apply_ticket_filter(
    stmt: S, ticket_filter: TicketFilter, *, viewer: User, now: datetime | None = None
) -> S:
    """Narrow a statement over `tickets` to what the viewer may see and the filter selects."""
    return stmt.where(visibility_condition(viewer), *filter_conditions(ticket_filter, viewer, now))


def filter_conditions(
    ticket_filter: TicketFilter, viewer: User, now: datetime | None = None
) -> list[ColumnElement[bool]]:
    """Return the filter as SQL conditions (ANDed), without visibility."""
    conditions: list[ColumnElement[bool]] = []
    f = ticket_filter
    if f.status:
        conditions.append(_one_of(Ticket.status, [s.value for s in f.status]))
    if f.priority:
        conditions.append(_one_of(Ticket.priority, [p.value for p in f.priority]))
    if f.channel:
        conditions.append(_one_of(Ticket.channel, [c.value for c in f.channel]))
    if f.assignee_id:
        conditions.append(_person_condition(Ticket.assignee_id, f.assignee_id, viewer))
    if f.requester_id:
        conditions.append(_person_condition(Ticket.requester_id, f.requester_id, viewer))
    if f.team_id:
        conditions.append(_team_condition(f.team_id, viewer))
    if f.tag:
        tags = sorted({tag.strip().lower() for tag in f.tag})
        tagged = select(TicketTag.ticket_id).where(TicketTag.tag.in_(tags))
        conditions.append(Ticket.id.in_(tagged))
    if f.q:
        match = ticket_text_match(f.q)
        if match is not None:
            conditions.append(match)
    if f.created is not None:
        if f.created.from_ is not None:
            conditions.append(Ticket.created_at >= _start_of_day(f.created.from_))
        if f.created.to is not None and f.created.to < date.max:
            # "to" is inclusive: before the start of the next day (there is none after date.max).
            conditions.append(Ticket.created_at < _start_of_day(f.created.to) + timedelta(days=1))
    if f.overdue is not None:
        overdue = overdue_condition(now or utcnow())
        conditions.append(overdue if f.overdue else ~overdue)
    if f.sla:
        conditions.append(sla_condition({state.value for state in f.sla}, now or utcnow()))
    return conditions


def _one_of(column: Any, values: list[str]) -> ColumnElement[bool]:
    """IN over validated enum values, written into the SQL like the viewer's id (see
    visibility_condition): PostgreSQL then keeps one plan for a kept list statement."""
    return column.in_(  # type: ignore[no-any-return]
        bindparam(None, values, expanding=True, literal_execute=True, unique=True)
    )


def sla_condition(states: set[str], now: datetime) -> ColumnElement[bool]:
    """Tickets whose SLA is in any of these states as of `now` (sla_view is the row-level twin):
    breached once a stopped clock was late or a running one's due time has passed."""
    breached = or_(
        TicketSla.first_response_breached,
        TicketSla.resolution_breached,
        and_(TicketSla.breach_at.is_not(None), TicketSla.breach_at <= now),
    )
    options: list[ColumnElement[bool]] = []
    if "breached" in states:
        options.append(breached)
    if "within" in states:
        options.append(~breached)
    elif "at_risk" in states:
        options.append(and_(~breached, TicketSla.risk_at.is_not(None), TicketSla.risk_at <= now))
    rows = select(TicketSla.ticket_id).where(or_(*options))
    return Ticket.id.in_(rows)


def overdue_condition(now: datetime) -> ColumnElement[bool]:
    """Past its due date and not resolved or closed (Ticket.overdue is the row-level twin)."""
    return and_(
        Ticket.due_at.is_not(None),
        Ticket.due_at < now,
        Ticket.status.not_in(CLOSED_STATUSES),
    )


def _person_condition(column: Any, refs: list[PersonRef], viewer: User) -> ColumnElement[bool]:
    ids = {viewer.id if ref == "me" else ref for ref in refs if ref != "none"}
    options: list[ColumnElement[bool]] = []
    if ids:
        options.append(column.in_(sorted(ids)))  # type: ignore[type-var]
    if "none" in refs:
        options.append(column.is_(None))
    return or_(*options) if options else false()


def _team_condition(refs: list[TeamRef], viewer: User) -> ColumnElement[bool]:
    ids = sorted({ref for ref in refs if isinstance(ref, int)})
    options: list[ColumnElement[bool]] = []
    if ids:
        options.append(Ticket.team_id.in_(ids))
    if "mine" in refs:
        mine = select(TeamMember.team_id).where(TeamMember.user_id == viewer.id)
        options.append(Ticket.team_id.in_(mine))
    if "none" in refs:
        options.append(Ticket.team_id.is_(None))
    return or_(*options) if options else false()


def _start_of_day(day: Any) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def ticket_load_options() -> list[LoaderOption]:
    """Eager loads every TicketRead needs (relationships are lazy='raise')."""
    return [
        joinedload(Ticket.requester),
        joinedload(Ticket.assignee),
        selectinload(Ticket.tag_rows),
        joinedload(Ticket.team).selectinload(Team.member_rows),
        joinedload(Ticket.sla_row),
    ]
