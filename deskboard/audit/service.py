from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, and_, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.audit.models import AuditEntry
from deskboard.auth.models import User
from deskboard.core.cursor import decode_cursor, encode_cursor
from deskboard.core.time import utcnow


def record(
    session: AsyncSession,
    *,
    actor_id: int | None,
    action: str,
    entity_type: str,
    entity_id: int | str,
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    """Add an audit entry to the caller's transaction (it commits or rolls back with the change)."""
    entry = AuditEntry(
        actor_id=actor_id,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        before=before,
        after=after,
    )
    session.add(entry)
    return entry


_INSERT = insert(cast(Table, AuditEntry.__table__))


async def write(
    session: AsyncSession,
    *,
    actor_id: int | None,
    action: str,
    entity_type: str,
    entity_id: int | str,
    before: Any = None,
    after: Any = None,
) -> None:
    """Like `record`, as one INSERT executed now (no ORM object, no flush): for hot write paths."""
    values = {
        "at": utcnow(),
        "actor_id": actor_id,
        "action": action,
        "entity_type": entity_type,
        "entity_id": str(entity_id),
        "before": before,
        "after": after,
    }
    await session.execute(_INSERT, values)


async def list_entries(
    session: AsyncSession,
    *,
    entity_type: str | None = None,
    entity_id: str | None = None,
    actor_id: int | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> tuple[list[tuple[AuditEntry, str | None]], str | None]:
    """Page through entries newest first, each with its actor's name; keyset on (at, id)."""
    query = (
        select(AuditEntry, User.name)
        .outerjoin(User, User.id == AuditEntry.actor_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit + 1)
    )
    if entity_type is not None:
        query = query.where(AuditEntry.entity_type == entity_type)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    if cursor:
        at, last_id = decode_cursor(cursor, datetime, int)
        query = query.where(
            or_(AuditEntry.at < at, and_(AuditEntry.at == at, AuditEntry.id < last_id))
        )
    rows: list[tuple[AuditEntry, str | None]] = [
        (entry, name) for entry, name in await session.execute(query)
    ]
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1][0]
        next_cursor = encode_cursor(last.at, last.id)
    return rows[:limit], next_cursor
