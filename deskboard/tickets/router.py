"""Ticket endpoints: parse, call one service function, shape the answer."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import Field, ValidationError

from deskboard.auth.deps import require
from deskboard.auth.models import User
from deskboard.config import get_settings
from deskboard.core.cursor import Cursor
from deskboard.core.errors import Unprocessable
from deskboard.core.openapi import errors, json_query
from deskboard.core.text import CleanText
from deskboard.core.time import IsoDate
from deskboard.db import DbSession
from deskboard.idempotency import service as idempotency
from deskboard.idempotency.deps import IdempotencyKeyHeader
from deskboard.tickets import conversation, listing, service
from deskboard.tickets.deps import ClientId, ValidTicket
from deskboard.tickets.filters import (
    MAX_ID,
    TicketFilter,
    TicketPriority,
    TicketStatus,
    load_filter_json,
)
from deskboard.tickets.paging import TicketSort
from deskboard.tickets.schemas import (
    CommentCreate,
    CommentRead,
    TicketChangeRead,
    TicketCreate,
    TicketPage,
    TicketRead,
    TicketUpdate,
)
from deskboard.views import service as views_service

router = APIRouter(prefix="/tickets", tags=["tickets"])

Reader = Annotated[User, require("tickets:read")]
# The simple filters take repeated and comma-separated values alike (?status=open,new&status=
# pending). Each value's pattern is the rule, so the document states exactly what is accepted;
# at most `values` x `parts` items reach the filter, within its own limits.
_ID = (  # 1 .. 2147483647 (MAX_ID), no leading zero
    "[1-9][0-9]{0,8}|1[0-9]{9}|20[0-9]{8}|21[0-3][0-9]{7}|214[0-6][0-9]{6}|2147[0-3][0-9]{5}"
    "|21474[0-7][0-9]{4}|214748[0-2][0-9]{3}|2147483[0-5][0-9]{2}|21474836[0-3][0-9]"
    "|214748364[0-7]"
)
_TAG = "[^, \\x00](?:[^,\\x00]{0,38}[^, \\x00])?"  # 1-40 characters once spaces are trimmed


def _parts(item: str, most: int) -> Any:
    part = f" *(?:{item})? *"
    return Field(pattern=f"^{part}(?:,{part}){{0,{most - 1}}}$")


_STATUS, _PRIORITY = "|".join(TicketStatus), "|".join(TicketPriority)
StatusParam = Annotated[
    list[Annotated[str, _parts(_STATUS, 5)]] | None,
    Query(max_length=50, description="Statuses, any of (repeated or comma-separated)"),
]
PriorityParam = Annotated[
    list[Annotated[str, _parts(_PRIORITY, 4)]] | None,
    Query(max_length=50, description="Priorities, any of"),
]
PersonParam = Annotated[
    list[Annotated[str, _parts(f"me|none|{_ID}", 5)]] | None,
    Query(max_length=10, description="User ids, `me` or `none`, any of"),
]
TagParam = Annotated[
    list[Annotated[str, _parts(_TAG, 4)]] | None,
    Query(max_length=5, description="Tags, any of"),
]


@router.get("", response_model=TicketPage, responses=errors(400, 403, 404))
async def list_tickets(
    session: DbSession,
    user: Reader,
    status: StatusParam = None,
    priority: PriorityParam = None,
    assignee_id: PersonParam = None,
    requester_id: PersonParam = None,
    tag: TagParam = None,
    q: Annotated[CleanText | None, Query(max_length=200)] = None,
    created_from: Annotated[date, IsoDate] | None = None,
    created_to: Annotated[date, IsoDate] | None = None,
    overdue: bool | None = None,
    filter: Annotated[
        str | None,
        Query(
            max_length=10_000,
            description="A TicketFilter as JSON",
            json_schema_extra=json_query(TicketFilter),
        ),
    ] = None,
    view_id: Annotated[
        int | None,
        Query(
            ge=1,
            le=MAX_ID,
            description="A saved view: its filter and sort, which the other parameters override",
        ),
    ] = None,
    sort: Annotated[
        TicketSort | None, Query(description="Default: the view's sort, else -updated_at")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Cursor = None,
) -> Response:
    simple: dict[str, Any] = {
        "status": _split(status),
        "priority": _split(priority),
        "assignee_id": _person_refs(assignee_id),
        "requester_id": _person_refs(requester_id),
        "tag": _split(tag),
        "q": q,
        "overdue": overdue,
    }
    if created_from is not None or created_to is not None:
        simple["created"] = {"from": created_from, "to": created_to}
    base, view_sort = TicketFilter(), None
    if view_id is not None:
        base, view_sort = await views_service.view_query(session, viewer=user, view_id=view_id)
    ticket_filter = base.merged(_parse_filter(filter)).merged(
        _validate_filter({k: v for k, v in simple.items() if v is not None}, "query")
    )
    sort = sort or view_sort or TicketSort.updated_at_desc
    page = await service.list_tickets(
        session, viewer=user, ticket_filter=ticket_filter, sort=sort, cursor=cursor, limit=limit
    )
    # TicketPage's JSON, serialised once from the rows (response_model still documents it).
    return Response(content=listing.page_json(page), media_type="application/json")


@router.post("", response_model=TicketRead, status_code=201, responses=errors(403, 409, 422))
async def create_ticket(
    data: TicketCreate,
    session: DbSession,
    user: Annotated[User, require("tickets:create")],
    origin: ClientId,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Any:
    claim = await idempotency.claim(
        session,
        user_id=user.id,
        key=idempotency_key,
        operation="POST /api/tickets",
        body=data,
        ttl_hours=get_settings().idempotency_key_hours,
    )
    if isinstance(claim, Response):
        return claim
    ticket = await service.create_ticket(session, actor=user, data=data, origin=origin)
    answer = service.ticket_read(ticket)
    idempotency.store(claim, 201, answer)
    return answer


@router.get("/{ticket_id}", response_model=TicketRead, responses=errors(403, 404))
async def get_ticket(ticket: ValidTicket, user: Reader) -> TicketRead:
    return service.ticket_read(ticket)


@router.put("/{ticket_id}", response_model=TicketRead, responses=errors(403, 404, 409))
async def update_ticket(
    data: TicketUpdate,
    session: DbSession,
    user: Annotated[User, require("tickets:update")],
    ticket: ValidTicket,
    origin: ClientId,
) -> TicketRead:
    updated = await service.update_ticket(
        session, actor=user, ticket=ticket, data=data, origin=origin
    )
    return service.ticket_read(updated)


@router.delete("/{ticket_id}", status_code=204, responses=errors(403, 404))
async def delete_ticket(
    session: DbSession,
    user: Annotated[User, require("tickets:delete")],
    ticket: ValidTicket,
    origin: ClientId,
) -> Response:
    await service.delete_ticket(session, actor=user, ticket=ticket, origin=origin)
    return Response(status_code=204)


@router.get("/{ticket_id}/comments", response_model=list[CommentRead], responses=errors(403, 404))
async def list_comments(session: DbSession, user: Reader, ticket: ValidTicket) -> list[CommentRead]:
    return await conversation.list_comments(session, viewer=user, ticket=ticket)


@router.post(
    "/{ticket_id}/comments",
    response_model=CommentRead,
    status_code=201,
    responses=errors(403, 404, 409, 422),
)
async def add_comment(
    data: CommentCreate,
    session: DbSession,
    user: Annotated[User, require("comments:create")],
    ticket: ValidTicket,
    origin: ClientId,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Any:
    claim = await idempotency.claim(
        session,
        user_id=user.id,
        key=idempotency_key,
        operation=f"POST /api/tickets/{ticket.id}/comments",
        body=data,
        ttl_hours=get_settings().idempotency_key_hours,
    )
    if isinstance(claim, Response):
        return claim
    answer = await conversation.add_comment(
        session, actor=user, ticket=ticket, data=data, origin=origin
    )
    idempotency.store(claim, 201, answer)
    return answer


@router.get(
    "/{ticket_id}/history", response_model=list[TicketChangeRead], responses=errors(403, 404)
)
async def ticket_history(
    session: DbSession, user: Reader, ticket: ValidTicket
) -> list[TicketChangeRead]:
    return await conversation.list_history(session, ticket=ticket)


def _split(values: list[str] | None) -> list[str] | None:
    """Accept repeated and comma-separated values alike: ?status=open,new&status=pending
    (spaces around a value are trimmed; each value once)."""
    if not values:
        return None
    parts = (part.strip(" ") for value in values for part in value.split(","))
    return list(dict.fromkeys(part for part in parts if part))


def _person_refs(values: list[str] | None) -> list[int | str] | None:
    parts = _split(values)
    if parts is None:
        return None
    return [part if part in ("me", "none") else int(part) for part in parts]


def _parse_filter(raw: str | None) -> TicketFilter:
    if raw is None or not raw.strip():
        return TicketFilter()
    return _validate_filter(load_filter_json(raw), "filter")


def _validate_filter(document: dict[str, Any], where: str) -> TicketFilter:
    try:
        return TicketFilter.model_validate(document)
    except ValidationError as exc:
        raise Unprocessable(
            [
                {"loc": [where, *err["loc"]], "msg": err["msg"], "type": err["type"]}
                for err in exc.errors()
            ]
        ) from exc
