"""Contents by sha256: reference counting, and the lock that keeps uploads and removals of
one content apart.

A content is removed from the store only when no attachment row uses it, checked while
holding that content's lock: the `attachment_blobs` row, inserted if missing and then locked
(`SELECT ... FOR UPDATE` on PostgreSQL; on SQLite the insert takes the database's one write
lock, held to the end of the transaction). An upload of the same content takes the same lock
before it checks the store and adds its row, so either the removal sees the new row and keeps
the file, or the upload finds the file gone and stores it again.
"""

import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, exists, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from deskboard.attachments.models import Attachment, AttachmentBlob
from deskboard.attachments.storage import AttachmentStore, StagedFile
from deskboard.core.time import utcnow
from deskboard.db import after_commit

logger = logging.getLogger(__name__)


async def lock_blob(session: AsyncSession, sha256: str, size: int = 0) -> None:
    """Take the content's lock for the rest of the transaction (creating its row if needed)."""
    dialect = session.get_bind().dialect.name
    insert: Any = postgresql_insert if dialect == "postgresql" else sqlite_insert
    for _ in range(10):
        await session.execute(
            insert(AttachmentBlob)
            .values(sha256=sha256, size=size, created_at=utcnow())
            .on_conflict_do_nothing(index_elements=["sha256"])
        )
        locked = await session.execute(
            select(AttachmentBlob.sha256).where(AttachmentBlob.sha256 == sha256).with_for_update()
        )
        # None: a removal deleted the row while this waited for its lock; insert it again.
        if locked.scalar_one_or_none() is not None:
            return
    raise RuntimeError(f"Could not lock attachment content {sha256}")


async def keep_content(session: AsyncSession, store: AttachmentStore, staged: StagedFile) -> None:
    """Make sure the store holds the staged content, under its lock; drop the staged copy."""
    await lock_blob(session, staged.sha256, staged.size)
    if await store.contains(staged.sha256):
        staged.discard()
    else:
        await store.put(staged.sha256, staged)


async def references(session: AsyncSession, sha256: str) -> int:
    count = select(func.count()).select_from(Attachment).where(Attachment.sha256 == sha256)
    return int((await session.execute(count)).scalar_one())


def release_after_commit(
    session: AsyncSession, store: AttachmentStore, shas: Iterable[str]
) -> None:
    """Once this transaction commits, remove each content no attachment uses any more."""
    pending = sorted(set(shas))
    if not pending:
        return
    engine = session.bind
    assert isinstance(engine, AsyncEngine)

    async def collect() -> None:
        await collect_unused(engine, store, pending)

    after_commit(session, collect)


async def shas_of_ticket(session: AsyncSession, ticket_id: int) -> list[str]:
    rows = await session.execute(
        select(Attachment.sha256).where(Attachment.ticket_id == ticket_id).distinct()
    )
    return list(rows.scalars())


async def collect_unused(engine: AsyncEngine, store: AttachmentStore, shas: Iterable[str]) -> int:
    """Remove each content (file and row) that no attachment uses, one transaction each,
    under its lock; return how many were removed."""
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    removed = 0
    for sha256 in sorted(set(shas)):
        async with sessions() as session, session.begin():
            await lock_blob(session, sha256)
            if await references(session, sha256):
                continue
            # The file goes first: if the commit then failed, the row (kept) would bring the
            # sweep back to it; an upload waiting on the lock finds the file gone and puts it.
            await store.remove(sha256)
            await session.execute(delete(AttachmentBlob).where(AttachmentBlob.sha256 == sha256))
            removed += 1
    return removed


async def sweep(
    engine: AsyncEngine, store: AttachmentStore, *, draft_age: timedelta, limit: int = 1000
) -> dict[str, int]:
    """Remove drafts older than `draft_age` and every content no attachment uses (left by a
    crash between a commit and its removal, or by a deletion outside a request)."""
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    async with sessions() as session, session.begin():
        cutoff = utcnow() - draft_age
        drafts = await session.execute(
            delete(Attachment)
            .where(Attachment.ticket_id.is_(None), Attachment.created_at < cutoff)
            .returning(Attachment.sha256)
        )
        draft_shas = set(drafts.scalars())
    async with sessions() as session:
        unused = await session.execute(
            select(AttachmentBlob.sha256)
            .where(~exists().where(Attachment.sha256 == AttachmentBlob.sha256))
            .limit(limit)
        )
        candidates = draft_shas | set(unused.scalars())
    removed = await collect_unused(engine, store, candidates)
    if removed or draft_shas:
        logger.info(
            "Attachment sweep: %d drafts expired, %d contents removed", len(draft_shas), removed
        )
    return {"drafts": len(draft_shas), "removed": removed}
