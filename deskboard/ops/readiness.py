"""What /readyz reports: the database reachable, Redis reachable (when used), migrations at head.

Redis down leaves a replica ready but `degraded`: the API keeps serving and real time falls
back to this process's own hub, while an orchestrator pulling unready replicas would pull them
all at once and turn a degraded service into an outage.

A failed check is logged with its cause and reported as one word: the answer is public, and
exception text can name hosts, users and paths.
"""

import asyncio
import logging
from functools import lru_cache
from typing import Literal

from alembic.script import ScriptDirectory
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from deskboard.config import Settings
from deskboard.db import Database
from deskboard.migrations import alembic_config

logger = logging.getLogger(__name__)
CHECK_TIMEOUT = 2.0
Check = Literal["ok", "unavailable", "behind", "ahead"]


@lru_cache
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config(""))


@lru_cache
def code_heads() -> frozenset[str]:
    """The migration heads this code expects (read once: the files do not change at run time)."""
    return frozenset(_script().get_heads())


async def database_revisions(database: Database) -> frozenset[str] | None:
    """The revisions the database is at; None when it was never migrated."""
    async with database.engine.connect() as connection:
        await connection.execute(text("SELECT 1"))
        try:
            rows = await connection.execute(text("SELECT version_num FROM alembic_version"))
        except DBAPIError:
            return None
        return frozenset(row[0] for row in rows)


def migration_state(revisions: frozenset[str] | None, heads: frozenset[str]) -> Check:
    """`behind` blocks readiness; `ahead` (a newer release migrated first, as in a rolling
    deploy) does not, or every old replica would leave the balancer at once."""
    if revisions == heads:
        return "ok"
    if revisions is None:
        return "behind"
    script = _script()
    for revision in revisions:
        try:
            script.get_revision(revision)
        except Exception:  # a revision this code does not know: the database is newer
            return "ahead"
    return "behind"


async def _database_checks(database: Database) -> tuple[Check, Check]:
    try:
        revisions = await asyncio.wait_for(database_revisions(database), CHECK_TIMEOUT)
    except Exception:  # unreachable or timed out
        logger.warning("Readiness: the database check failed", exc_info=True)
        return "unavailable", "unavailable"
    return "ok", migration_state(revisions, code_heads())


async def _redis_check(url: str) -> Check:
    client = Redis.from_url(url, socket_connect_timeout=CHECK_TIMEOUT, socket_timeout=CHECK_TIMEOUT)
    try:
        await asyncio.wait_for(client.ping(), CHECK_TIMEOUT)
    except Exception:
        logger.warning("Readiness: the Redis check failed", exc_info=True)
        return "unavailable"
    finally:
        await client.aclose()
    return "ok"


async def readiness(settings: Settings, database: Database) -> tuple[bool, dict[str, object]]:
    """Return (ready, the /readyz body)."""
    database_check, migrations = await _database_checks(database)
    checks: dict[str, Check] = {"database": database_check, "migrations": migrations}
    if settings.redis_url:
        checks["redis"] = await _redis_check(settings.redis_url)
    ready = all(checks[name] in ("ok", "ahead") for name in ("database", "migrations"))
    status = (
        "unavailable" if not ready else "ready" if checks.get("redis", "ok") == "ok" else "degraded"
    )
    return ready, {"status": status, "checks": checks}
