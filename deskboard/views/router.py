"""Saved view endpoints."""

from typing import Annotated

from fastapi import APIRouter, Path, Response

from deskboard.auth.deps import require
from deskboard.auth.models import User
from deskboard.core.openapi import errors
from deskboard.db import DbSession
from deskboard.tickets.filters import MAX_ID
from deskboard.views import service
from deskboard.views.schemas import ViewCreate, ViewRead, ViewUpdate

router = APIRouter(prefix="/views", tags=["views"])

ViewId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("", response_model=list[ViewRead], responses=errors(403))
async def list_views(
    session: DbSession, user: Annotated[User, require("views:read")]
) -> list[ViewRead]:
    return await service.list_views(session, viewer=user)


@router.post("", response_model=ViewRead, status_code=201, responses=errors(403))
async def create_view(
    data: ViewCreate, session: DbSession, user: Annotated[User, require("views:write")]
) -> ViewRead:
    return await service.create_view(session, actor=user, data=data)


@router.put("/{view_id}", response_model=ViewRead, responses=errors(403, 404))
async def update_view(
    view_id: ViewId,
    data: ViewUpdate,
    session: DbSession,
    user: Annotated[User, require("views:write")],
) -> ViewRead:
    return await service.update_view(session, actor=user, view_id=view_id, data=data)


@router.delete("/{view_id}", status_code=204, responses=errors(403, 404))
async def delete_view(
    view_id: ViewId, session: DbSession, user: Annotated[User, require("views:write")]
) -> Response:
    await service.delete_view(session, actor=user, view_id=view_id)
    return Response(status_code=204)
