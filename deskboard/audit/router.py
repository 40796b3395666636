"""HTTP for the audit log (admin)."""

from typing import Annotated

from fastapi import APIRouter, Query

from deskboard.audit import service
from deskboard.audit.schemas import AuditEntryRead, AuditPage
from deskboard.auth.deps import require
from deskboard.auth.models import User
from deskboard.core.cursor import Cursor
from deskboard.core.openapi import errors
from deskboard.core.text import CleanText
from deskboard.db import DbSession

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("", responses=errors(400, 403))
async def list_audit_entries(
    _: Annotated[User, require("audit:read")],
    session: DbSession,
    entity_type: Annotated[CleanText | None, Query(min_length=1, max_length=32)] = None,
    entity_id: Annotated[CleanText | None, Query(min_length=1, max_length=64)] = None,
    actor_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Cursor = None,
) -> AuditPage:
    """Who changed what, newest first; filter by entity or actor; page with next_cursor."""
    rows, next_cursor = await service.list_entries(
        session,
        entity_type=entity_type,
        entity_id=entity_id,
        actor_id=actor_id,
        limit=limit,
        cursor=cursor,
    )
    items = [
        AuditEntryRead(
            id=entry.id,
            at=entry.at,
            actor_id=entry.actor_id,
            actor_name=name,
            action=entry.action,
            entity_type=entry.entity_type,
            entity_id=entry.entity_id,
            before=entry.before,
            after=entry.after,
        )
        for entry, name in rows
    ]
    return AuditPage(items=items, next_cursor=next_cursor)
