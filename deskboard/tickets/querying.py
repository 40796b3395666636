"""The one place a TicketFilter becomes SQL, and who may see which tickets.

Analytics, saved views and the list all call `apply_ticket_filter`, so a chart segment and the
list it links to always count the same rows.
"""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, false, or_, select, true
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from deskboard.auth.models import User
from deskboard.auth.roles import can
from deskboard.core.time import utcnow
from deskboard.tickets.filters import PersonRef, TicketFilter
from deskboard.tickets.models import CLOSED_STATUSES, Ticket, TicketTag
from deskboard.tickets.search import ticket_text_match

S = TypeVar("S", bound=Select[Any])


def sees_all_tickets(viewer: User) -> bool:
    return can(viewer.role, "tickets:read_all")


def visibility_condition(viewer: User) -> ColumnElement[bool]:
    """Tickets the viewer may see: staff all of them, everyone else the ones they requested."""
    if sees_all_tickets(viewer):
        return true()
    return Ticket.requester_id == viewer.id


def may_see_ticket(viewer: User, ticket: Ticket) -> bool:
    """The row-level twin of visibility_condition, for a ticket already loaded."""
    return sees_all_tickets(viewer) or ticket.requester_id == viewer.id


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
        conditions.append(Ticket.status.in_([s.value for s in f.status]))
    if f.priority:
        conditions.append(Ticket.priority.in_([p.value for p in f.priority]))
    if f.channel:
        conditions.append(Ticket.channel.in_([c.value for c in f.channel]))
    if f.assignee_id:
        conditions.append(_person_condition(Ticket.assignee_id, f.assignee_id, viewer))
    if f.requester_id:
        conditions.append(_person_condition(Ticket.requester_id, f.requester_id, viewer))
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
    return conditions


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


def _start_of_day(day: Any) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def ticket_load_options() -> list[LoaderOption]:
    """Eager loads every TicketRead needs (relationships are lazy='raise')."""
    return [
        joinedload(Ticket.requester),
        joinedload(Ticket.assignee),
        selectinload(Ticket.tag_rows),
    ]
