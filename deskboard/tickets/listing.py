"""The ticket list's hot path: one page read as plain rows, without the ORM's identity map.

Loading 50 Ticket objects with their two people and tags through the ORM costs several
milliseconds of CPU per page and two queries; selecting the columns TicketRead needs (people
joined, tags by a correlated subquery) in one query and building the items directly costs a
fraction of that. The rows carry the Ticket attribute names the keyset cursor reads (id,
updated_at, due_at, ...).
"""

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from pydantic import TypeAdapter
from sqlalchemy import Dialect, Select, String, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator
from typing_extensions import TypedDict  # pydantic needs this one before Python 3.12

from deskboard.auth.models import User
from deskboard.sla.models import TicketSla
from deskboard.sla.ticket_clocks import sla_view
from deskboard.tickets.models import CLOSED_STATUSES, Ticket

_requester = aliased(User, name="requester")
_assignee = aliased(User, name="assignee")

_TICKET_COLUMNS = (
    Ticket.id,
    Ticket.number,
    Ticket.title,
    Ticket.description,
    Ticket.status,
    Ticket.priority,
    Ticket.due_at,
    Ticket.first_response_at,
    Ticket.resolved_at,
    Ticket.created_at,
    Ticket.updated_at,
    Ticket.version,
    Ticket.channel,
    Ticket.team_id,
)


def page_select() -> Select[*tuple[Any, ...]]:
    """SELECT of a list page over `tickets` (filter, sort and cursor are added by the caller).

    Built once: statements are immutable, each request derives its own from this one.
    """
    return _PAGE_SELECT


def _page_select() -> Select[*tuple[Any, ...]]:
    return (
        select(
            *_TICKET_COLUMNS,
            _requester.id.label("requester_id_"),
            _requester.name.label("requester_name"),
            _requester.email.label("requester_email"),
            _assignee.id.label("assignee_id_"),
            _assignee.name.label("assignee_name"),
            _assignee.email.label("assignee_email"),
            ticket_tags().label("tags"),
            *_SLA_COLUMNS,
        )
        .select_from(Ticket)
        .join(_requester, _requester.id == Ticket.requester_id)
        .outerjoin(_assignee, _assignee.id == Ticket.assignee_id)
        .outerjoin(TicketSla, TicketSla.ticket_id == Ticket.id)
    )


# The ticket's SLA row (one primary-key probe per listed ticket), read by sla_view().
_SLA_COLUMNS = (
    TicketSla.policy_id.label("sla_policy_id"),
    TicketSla.first_response_due_at.label("sla_first_response_due_at"),
    TicketSla.resolution_due_at.label("sla_resolution_due_at"),
    TicketSla.paused_minutes.label("sla_paused_minutes"),
    TicketSla.paused.label("sla_paused"),
    TicketSla.first_response_breached.label("sla_first_response_breached"),
    TicketSla.resolution_breached.label("sla_resolution_breached"),
    TicketSla.risk_at.label("sla_risk_at"),
)


class _SlaColumns(NamedTuple):
    policy_id: int
    first_response_due_at: datetime | None
    resolution_due_at: datetime | None
    paused_minutes: float
    paused: bool
    first_response_breached: bool
    resolution_breached: bool
    risk_at: datetime | None


class _TagList(TypeDecorator[list[str]]):
    """A ticket's tags as read by ticket_tags(): a text[] on PostgreSQL, JSON text on SQLite."""

    impl = String
    cache_ok = True

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        if dialect.driver == "asyncpg":  # the text[] arrives as a list (ARRAY() is never NULL)
            return None
        return super().result_processor(dialect, coltype)

    def process_result_value(self, value: Any, dialect: Dialect) -> list[str]:
        if value is None:
            return []
        return list(json.loads(value) if isinstance(value, str) else value)


class ticket_tags(FunctionElement[list[str]]):  # noqa: N801 - reads as the SQL it renders
    """The row's tags in name order (as Ticket.tags), as one column of the page's own query.

    A correlated subquery: PostgreSQL evaluates it only for the rows the LIMIT keeps (also
    after a sort: it postpones such columns past it), one primary-key probe each, which saves
    the round trip of a second query per page.
    """

    type = _TagList()
    inherit_cache = True
    name = "ticket_tags"


@compiles(ticket_tags, "postgresql")
def _ticket_tags_postgresql(element: ticket_tags, compiler: SQLCompiler, **kw: Any) -> str:
    return (
        "ARRAY(SELECT ticket_tags.tag FROM ticket_tags "
        "WHERE ticket_tags.ticket_id = tickets.id ORDER BY ticket_tags.tag)"
    )


@compiles(ticket_tags, "sqlite")
def _ticket_tags_sqlite(element: ticket_tags, compiler: SQLCompiler, **kw: Any) -> str:
    return (
        "(SELECT json_group_array(tag) FROM (SELECT ticket_tags.tag AS tag FROM ticket_tags "
        "WHERE ticket_tags.ticket_id = tickets.id ORDER BY ticket_tags.tag))"
    )


class PersonData(TypedDict):
    id: int
    name: str
    email: str


class SlaBreachedData(TypedDict):
    first_response: bool
    resolution: bool


class SlaData(TypedDict):
    """schemas.TicketSlaRead as a plain dict (sla_view's keys)."""

    policy_id: int
    first_response_due_at: datetime | None
    resolution_due_at: datetime | None
    paused_minutes: float
    paused: bool
    at_risk: bool
    breached: SlaBreachedData


class TicketItemData(TypedDict):
    """schemas.TicketRead as a plain dict, field for field and in its order."""

    id: int
    number: int
    title: str
    description: str
    status: str
    priority: str
    requester: PersonData
    assignee: PersonData | None
    tags: list[str]
    due_at: datetime | None
    first_response_at: datetime | None
    resolved_at: datetime | None
    overdue: bool
    created_at: datetime
    updated_at: datetime
    version: int
    channel: str
    team_id: int | None
    sla: SlaData | None


class TicketPageData(TypedDict):
    """schemas.TicketPage as a plain dict."""

    items: list[TicketItemData]
    next_cursor: str | None


_PAGE_JSON = TypeAdapter(TicketPageData)


def page_json(page: TicketPageData) -> bytes:
    """The page as the JSON TicketPage would give (the same bytes: see the tickets list tests).

    Serialised straight from the rows' values: validating 50 TicketRead models first (enum
    lookups for status and priority, then enum values back out) only to dump them again costs
    about twice as much CPU, and the values come typed from the database columns.
    """
    return _PAGE_JSON.dump_json(page)


def item_from_row(row: Sequence[Any], now: datetime) -> TicketItemData:
    """A TicketRead as a plain dict, from a page_select() row (the fields service.ticket_read
    gives): a SQLAlchemy row or an asyncpg record."""
    # Unpacked by position (page_select's column order): far cheaper than 20 lookups by name.
    (
        ticket_id, number, title, description, status, priority, due_at, first_response_at,
        resolved_at, created_at, updated_at, version, channel, team_id,
        requester_id, requester_name, requester_email,
        assignee_id, assignee_name, assignee_email, tags, *sla,
    ) = row  # fmt: skip
    return {
        "id": ticket_id,
        "number": number if number is not None else ticket_id,
        "title": title,
        "description": description,
        "status": status,
        "priority": priority,
        "requester": {"id": requester_id, "name": requester_name, "email": requester_email},
        "assignee": (
            None
            if assignee_id is None
            else {"id": assignee_id, "name": assignee_name, "email": assignee_email}
        ),
        "tags": tags,
        "due_at": due_at,
        "first_response_at": first_response_at,
        "resolved_at": resolved_at,
        # Ticket.overdue, on the row's values.
        "overdue": due_at is not None and due_at < now and status not in CLOSED_STATUSES,
        "created_at": created_at,
        "updated_at": updated_at,
        "version": version,
        "channel": channel,
        "team_id": team_id,
        "sla": (
            None
            if sla[0] is None
            else sla_view(  # type: ignore[typeddict-item]
                _SlaColumns(*sla),
                first_response_at=first_response_at,
                resolved_at=resolved_at,
                now=now,
            )
        ),
    }


_PAGE_SELECT = _page_select()
