"""The due-soon sweep, run once per cluster by deskboard/ops/leader.py; it is idempotent too, so
a leader change (or a restart) never tells anyone twice."""

import logging

from deskboard.db import Database
from deskboard.notifications.service import notify_due_soon

logger = logging.getLogger(__name__)


async def sweep_once(database: Database) -> int:
    """Run one sweep in its own transaction (notification events leave after the commit)."""
    async with database.unit_of_work() as session:
        return await notify_due_soon(session)
