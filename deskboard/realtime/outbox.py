"""The event outbox: an event must not be lost between the commit and the publish.

With Redis (several processes), every event a transaction raises is also written, in that same
transaction, as an `event_outbox` row. After the commit the process publishes the event to the
stream as before and then deletes its row (in batches, off the request path). A row that is
still there a while later belongs to a process that died between commit and publish, or to a
publish that failed (Redis down): the cluster's outbox leader (`run_as_leader`) publishes it
then. Delivery is therefore at least once: an event published just before its process died,
whose row was not yet deleted, is published twice (browsers refetch on events; a duplicate
costs a refetch, a loss costs a stale screen).
"""

import asyncio
import contextlib
import logging
from datetime import timedelta
from typing import Protocol

from sqlalchemy import delete, event, insert, select
from sqlalchemy.orm import Session

from deskboard.core import events
from deskboard.core.time import utcnow
from deskboard.db import Database
from deskboard.realtime.log import encode_event
from deskboard.realtime.models import OutboxEvent

logger = logging.getLogger(__name__)

_STAGED = "deskboard.outbox_staged"
_INSERT = insert(OutboxEvent)
# A row younger than this may still be published by its own process: leave it alone.
ORPHAN_AFTER = timedelta(seconds=5)
_BATCH = 500

_enabled = False


class EncodedPublisher(Protocol):
    async def publish_encoded(self, payload: str) -> None: ...


def install(*, enabled: bool) -> None:
    """Write outbox rows on every commit of this process when `enabled` (Redis configured)."""
    global _enabled
    _enabled = enabled
    if not event.contains(Session, "before_commit", _stage):
        event.listen(Session, "before_commit", _stage)


def enabled() -> bool:
    return _enabled


def _stage(session: Session) -> None:
    if not _enabled:
        return
    staged: set[str] = session.info.setdefault(_STAGED, set())
    fresh = [e for e in events.pending(session.info) if e.id not in staged]
    if not fresh:
        return
    now = utcnow()
    rows = [{"id": e.id, "payload": encode_event(e), "created_at": now} for e in fresh]
    staged.update(e.id for e in fresh)
    session.execute(_INSERT, rows)


class Sweeper:
    """Deletes the rows of events this process published, a batch at a time, off the request
    path (a process that dies first leaves them to the leader: a duplicate, never a loss)."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._done: list[str] = []
        self._wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def published(self, event_id: str) -> None:
        if not _enabled:
            return
        self._done.append(event_id)
        self._wakeup.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="event-outbox-sweeper")

    async def stop(self) -> None:
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        with contextlib.suppress(Exception):
            await self.flush()

    async def flush(self) -> None:
        while self._done:
            batch, self._done = self._done[:_BATCH], self._done[_BATCH:]
            try:
                async with self.database.engine.begin() as connection:
                    await connection.execute(delete(OutboxEvent).where(OutboxEvent.id.in_(batch)))
            except Exception:
                # The database is away: the leader republishes these later (at least once).
                logger.warning("Could not clear %d outbox rows", len(batch), exc_info=True)
                return

    async def _run(self) -> None:
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            await self.flush()
            await asyncio.sleep(0.05)  # gather the next batch


async def relay_orphans(
    database: Database, publisher: EncodedPublisher, *, older_than: timedelta = ORPHAN_AFTER
) -> int:
    """Publish the rows left behind (oldest first) and delete them; return how many. Stops at
    the first publish failure (Redis still down), keeping the rest for the next round."""
    cutoff = utcnow() - older_than
    published = 0
    while True:
        async with database.sessionmaker() as session:
            found = (
                await session.execute(
                    select(OutboxEvent.id, OutboxEvent.payload)
                    .where(OutboxEvent.created_at < cutoff)
                    .order_by(OutboxEvent.created_at, OutboxEvent.id)
                    .limit(_BATCH)
                )
            ).all()
        if not found:
            return published
        sent: list[str] = []
        try:
            for event_id, payload in found:
                await publisher.publish_encoded(payload)
                sent.append(event_id)
        finally:
            if sent:
                async with database.engine.begin() as connection:
                    await connection.execute(delete(OutboxEvent).where(OutboxEvent.id.in_(sent)))
                published += len(sent)
                logger.info("Published %d event(s) left in the outbox", len(sent))
        if len(found) < _BATCH:
            return published
