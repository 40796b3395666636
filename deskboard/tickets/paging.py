"""Sorting the ticket list and paging it by keyset (sort key + id of the last row, never OFFSET)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, bindparam, case, func, literal, tuple_
from sqlalchemy.orm import InstrumentedAttribute

from deskboard.core.cursor import decode_cursor, encode_cursor
from deskboard.core.errors import BadRequest
from deskboard.db import UTCDateTime
from deskboard.tickets.filters import MAX_ID
from deskboard.tickets.models import Ticket

S = TypeVar("S", bound=Select[Any])

PRIORITY_RANK = {"low": 0, "normal": 1, "high": 2, "urgent": 3}
# Tickets without a due date sort as if due at the end of time: last when soonest-due first.
NO_DUE_DATE = datetime(9999, 12, 31, tzinfo=UTC)


class TicketSort(StrEnum):
    updated_at = "updated_at"
    updated_at_desc = "-updated_at"
    created_at = "created_at"
    created_at_desc = "-created_at"
    priority = "priority"
    priority_desc = "-priority"
    due_at = "due_at"
    due_at_desc = "-due_at"
    number = "number"
    number_desc = "-number"


@dataclass(frozen=True)
class _SortKey:
    expression: ColumnElement[Any] | InstrumentedAttribute[Any]
    kind: type  # the cursor's type for this key


def _sort_key(field: str) -> _SortKey:
    if field == "priority":
        return _SortKey(case(PRIORITY_RANK, value=Ticket.priority, else_=0), int)
    if field == "due_at":
        return _SortKey(func.coalesce(Ticket.due_at, literal(NO_DUE_DATE, UTCDateTime())), datetime)
    if field == "number":
        # The number equals the id, so the id alone orders it.
        return _SortKey(Ticket.id, int)
    return _SortKey(getattr(Ticket, field), datetime)


def _malformed() -> BadRequest:
    return BadRequest("Malformed cursor: pass back the next_cursor of a previous page")


def _parts(sort: TicketSort) -> tuple[str, bool]:
    descending = sort.value.startswith("-")
    return sort.value.lstrip("-"), descending


def apply_sort_and_cursor(stmt: S, sort: TicketSort, cursor: str | None, limit: int) -> S:
    """Order by the sort key then id (same direction), start after the cursor, fetch limit + 1."""
    field, descending = _parts(sort)
    key = _sort_key(field)
    if cursor is not None:
        cursor_sort, last_key, last_id = decode_cursor(cursor, str, key.kind, int)
        if cursor_sort != sort.value:
            raise BadRequest(
                f"This cursor belongs to the sort {cursor_sort!r}, not {sort.value!r}: "
                "start again from the first page"
            )
        # Ids are 32-bit in the database; a larger number can only come from a forged cursor.
        if not all(0 <= v <= MAX_ID for v in (last_key, last_id) if isinstance(v, int)):
            raise _malformed()
        if isinstance(last_key, datetime):
            try:
                last_key = last_key.astimezone(UTC)
            except OverflowError as exc:
                raise _malformed() from exc
        bound = literal(last_key, UTCDateTime()) if key.kind is datetime else literal(last_key)
        row, after = tuple_(key.expression, Ticket.id), tuple_(bound, literal(last_id))
        stmt = stmt.where(row < after if descending else row > after)
    if descending:
        stmt = stmt.order_by(key.expression.desc(), Ticket.id.desc())
    else:
        stmt = stmt.order_by(key.expression.asc(), Ticket.id.asc())
    # The limit is written into the SQL, not sent as a parameter: PostgreSQL plans a prepared
    # statement once for all parameter values only when that plan is good for them all, and
    # with the row count unknown its plan sorts every matching ticket (25 ms on 1M instead of
    # 1 ms), so each request was planned anew (~1 ms of its CPU). It is a validated integer.
    return stmt.limit(bindparam("page_limit", limit + 1, literal_execute=True))


def next_cursor(rows: Sequence[Any], sort: TicketSort, limit: int) -> str | None:
    """The cursor after the page's last row, or None when this was the last page. Rows are
    tickets, SQLAlchemy rows or asyncpg records of the page's columns."""
    if len(rows) <= limit:
        return None
    field, _ = _parts(sort)
    last = rows[limit - 1]
    key_value = _sort_key_value(last, field)
    return encode_cursor(sort.value, key_value, _value(last, "id"))


def _value(row: Any, name: str) -> Any:
    try:
        return getattr(row, name)
    except AttributeError:  # an asyncpg record: by key
        return row[name]


def _sort_key_value(ticket: Any, field: str) -> Any:
    if field == "priority":
        return PRIORITY_RANK.get(_value(ticket, "priority"), 0)
    if field == "due_at":
        return _value(ticket, "due_at") or NO_DUE_DATE
    if field == "number":
        return _value(ticket, "id")
    return _value(ticket, field)
