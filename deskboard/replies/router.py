"""Saved reply endpoints: staff only; which replies a person sees is the service's rule."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from deskboard.auth.deps import require
from deskboard.auth.models import User
from deskboard.core.openapi import errors
from deskboard.core.text import CleanText
from deskboard.db import DbSession
from deskboard.replies import service
from deskboard.replies.schemas import (
    RenderedReply,
    RenderRequest,
    SavedReplyCreate,
    SavedReplyRead,
    SavedReplyUpdate,
    Scope,
)
from deskboard.tickets.filters import MAX_ID

router = APIRouter(prefix="/saved-replies", tags=["saved replies"])

ReplyId = Annotated[int, Path(ge=1, le=MAX_ID)]
Staff = Annotated[User, require("saved_replies:use")]


@router.get("", response_model=list[SavedReplyRead], responses=errors(403))
async def list_replies(
    session: DbSession,
    user: Staff,
    q: Annotated[CleanText | None, Query(max_length=120, description="In the title")] = None,
    scope: Scope | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> list[SavedReplyRead]:
    """The replies the caller may use: most used first, then by title."""
    return await service.list_replies(session, user=user, q=q, scope=scope, limit=limit)


@router.post("", response_model=SavedReplyRead, status_code=201, responses=errors(403))
async def create_reply(data: SavedReplyCreate, session: DbSession, user: Staff) -> SavedReplyRead:
    return await service.create_reply(session, user=user, data=data)


@router.get("/{reply_id}", response_model=SavedReplyRead, responses=errors(403, 404))
async def get_reply(reply_id: ReplyId, session: DbSession, user: Staff) -> SavedReplyRead:
    return await service.get_reply(session, user=user, reply_id=reply_id)


@router.patch("/{reply_id}", response_model=SavedReplyRead, responses=errors(403, 404))
async def update_reply(
    reply_id: ReplyId, data: SavedReplyUpdate, session: DbSession, user: Staff
) -> SavedReplyRead:
    return await service.update_reply(session, user=user, reply_id=reply_id, data=data)


@router.delete("/{reply_id}", status_code=204, responses=errors(403, 404))
async def delete_reply(reply_id: ReplyId, session: DbSession, user: Staff) -> Response:
    await service.delete_reply(session, user=user, reply_id=reply_id)
    return Response(status_code=204)


@router.post("/{reply_id}/render", response_model=RenderedReply, responses=errors(403, 404))
async def render_reply(
    reply_id: ReplyId, data: RenderRequest, session: DbSession, user: Staff
) -> RenderedReply:
    """The reply filled in for a ticket the caller may see; counts one use."""
    return await service.render_reply(
        session, user=user, reply_id=reply_id, ticket_id=data.ticket_id
    )
