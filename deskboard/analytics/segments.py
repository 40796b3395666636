"""Drill-down filters: the TicketFilter that lists exactly the tickets of one figure.

A figure is always counted under the caller's filter AND a narrowing (a status, a day, an
assignee); its drill-down is the caller's filter intersected with that narrowing. When the
intersection is empty the figure is 0 and there is no filter to follow (None), rather than a
filter that would list other tickets.
"""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select

from deskboard.auth.models import User
from deskboard.tickets.filters import DateRange, PersonRef, TicketFilter, TicketStatus
from deskboard.tickets.models import CLOSED_STATUSES
from deskboard.tickets.querying import apply_ticket_filter
from deskboard.views.service import filter_document

OPEN_STATUSES = [status for status in TicketStatus if status.value not in CLOSED_STATUSES]


def scoped(
    stmt: Select[*tuple[Any, ...]], ticket_filter: TicketFilter, viewer: User, now: datetime
) -> Any:
    """The statement narrowed to the tickets the viewer may see and the filter selects."""
    return apply_ticket_filter(stmt, ticket_filter, viewer=viewer, now=now)


def document(ticket_filter: TicketFilter | None) -> dict[str, Any] | None:
    return None if ticket_filter is None else filter_document(ticket_filter)


def allowed_statuses(
    ticket_filter: TicketFilter, among: Iterable[TicketStatus]
) -> list[TicketStatus]:
    """The statuses of `among` the filter lets through, in `among`'s order, once each."""
    chosen = set(ticket_filter.status or TicketStatus)
    return [status for status in dict.fromkeys(among) if status in chosen]


def with_statuses(ticket_filter: TicketFilter, statuses: list[TicketStatus]) -> TicketFilter | None:
    """Narrow to these statuses (which must be allowed_statuses of the filter)."""
    return ticket_filter.merged(TicketFilter(status=statuses)) if statuses else None


def with_created(
    ticket_filter: TicketFilter, start: date | None, end: date | None
) -> TicketFilter | None:
    """Narrow to tickets created between two days (inclusive, None: open-ended)."""
    current = ticket_filter.created or DateRange()
    starts = [day for day in (current.from_, start) if day is not None]
    ends = [day for day in (current.to, end) if day is not None]
    lower = max(starts) if starts else None
    upper = min(ends) if ends else None
    if lower is not None and upper is not None and lower > upper:
        return None
    return ticket_filter.merged(TicketFilter(created=DateRange(**{"from": lower, "to": upper})))


def resolved_people(refs: list[PersonRef] | None, viewer: User) -> set[int | str] | None:
    """The filter's person references with "me" resolved (None: no narrowing)."""
    if not refs:
        return None
    return {viewer.id if ref == "me" else ref for ref in refs}


def with_assignee(
    ticket_filter: TicketFilter, assignee: int | None, viewer: User
) -> TicketFilter | None:
    """Narrow to one assignee (None: the unassigned tickets)."""
    ref: PersonRef = "none" if assignee is None else assignee
    people = resolved_people(ticket_filter.assignee_id, viewer)
    if people is not None and ref not in people:
        return None
    return ticket_filter.merged(TicketFilter(assignee_id=[ref]))
