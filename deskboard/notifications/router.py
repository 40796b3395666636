"""Notification endpoints: the caller's own feed only."""

from typing import Annotated

from fastapi import APIRouter, Path, Query

from deskboard.auth.deps import require
from deskboard.auth.models import User
from deskboard.core.cursor import Cursor
from deskboard.core.openapi import errors
from deskboard.db import DbSession
from deskboard.notifications import feed
from deskboard.notifications.schemas import NotificationPage, NotificationRead, ReadAllResult
from deskboard.tickets.filters import MAX_ID

router = APIRouter(prefix="/notifications", tags=["notifications"])


@router.get("", response_model=NotificationPage, responses=errors(400, 403))
async def list_notifications(
    session: DbSession,
    user: Annotated[User, require("notifications:read")],
    unread: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Cursor = None,
) -> NotificationPage:
    return await feed.list_notifications(
        session, viewer=user, unread=unread, limit=limit, cursor=cursor
    )


@router.post("/read-all", response_model=ReadAllResult, responses=errors(403))
async def read_all(
    session: DbSession, user: Annotated[User, require("notifications:write")]
) -> ReadAllResult:
    return await feed.mark_all_read(session, viewer=user)


@router.post("/{notification_id}/read", response_model=NotificationRead, responses=errors(403, 404))
async def read_one(
    session: DbSession,
    user: Annotated[User, require("notifications:write")],
    notification_id: Annotated[int, Path(ge=1, le=MAX_ID)],
) -> NotificationRead:
    return await feed.mark_read(session, viewer=user, notification_id=notification_id)
