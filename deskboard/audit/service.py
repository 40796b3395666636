from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.audit.models import AuditEntry


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
