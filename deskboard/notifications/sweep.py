"""The periodic due-soon sweep: each API process runs it; the sweep is idempotent, so several
processes (or a restart) never tell anyone twice."""

import asyncio
import logging

from deskboard.db import Database
from deskboard.notifications.service import notify_due_soon

logger = logging.getLogger(__name__)


async def sweep_once(database: Database) -> int:
    """Run one sweep in its own transaction (notification events leave after the commit)."""
    async with database.unit_of_work() as session:
        return await notify_due_soon(session)


async def run_forever(database: Database, interval_seconds: float) -> None:
    """Sweep every `interval_seconds` until cancelled; a failed sweep is logged and retried."""
    while True:
        try:
            told = await sweep_once(database)
            if told:
                logger.info("Due-soon sweep: %d notifications", told)
        except Exception:  # the next round retries; the API must keep serving
            logger.exception("Due-soon sweep failed")
        await asyncio.sleep(interval_seconds)
