"""Once-per-cluster background work: a job runs only in the process holding its cluster lock.

PostgreSQL: a session-level advisory lock on a connection kept for it; the server drops the lock
when that connection dies (process killed, host gone), so another process takes over at its next
try. SQLite (one host by nature): an exclusive `flock` on a file in the data folder, which the
kernel drops when the process dies. Jobs must stay idempotent: for a moment after a lost
connection, the old leader may still be inside a tick while the new one starts.
"""

import asyncio
import contextlib
import fcntl
import hashlib
import logging
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Protocol

from prometheus_client import Gauge
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from deskboard.db import Database

logger = logging.getLogger(__name__)
LEADER = Gauge(
    "deskboard_job_leader", "1 while this process runs the once-per-cluster job", ["job"]
)


def lock_key(name: str) -> int:
    """A stable signed 64-bit advisory lock key for a job name (same in every process)."""
    digest = hashlib.sha256(f"deskboard:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class ClusterLock(Protocol):
    async def try_acquire(self) -> bool: ...
    async def still_held(self) -> bool: ...
    async def release(self) -> None: ...


class PostgresAdvisoryLock:
    def __init__(self, database: Database, name: str):
        self.database = database
        self.key = lock_key(name)
        self.connection: AsyncConnection | None = None

    async def try_acquire(self) -> bool:
        connection = await self.database.engine.connect()
        try:
            query = text("SELECT pg_try_advisory_lock(:key)")
            acquired = bool((await connection.execute(query, {"key": self.key})).scalar())
            await connection.commit()
        except BaseException:
            await connection.close()
            raise
        if not acquired:
            await connection.close()
            return False
        self.connection = connection
        return True

    async def still_held(self) -> bool:
        if self.connection is None:
            return False
        try:
            await self.connection.execute(text("SELECT 1"))
            await self.connection.commit()
            return True
        except Exception:  # the connection (and with it the lock) is gone
            return False

    async def release(self) -> None:
        connection, self.connection = self.connection, None
        if connection is None:
            return
        with contextlib.suppress(Exception):
            await connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
            await connection.commit()
        with contextlib.suppress(Exception):
            # A broken connection must not go back to the pool.
            await connection.invalidate()
        with contextlib.suppress(Exception):
            await connection.close()


class FileLock:
    def __init__(self, lock_dir: Path, name: str):
        self.path = lock_dir / f"{name}.lock"
        self.fd: int | None = None

    async def try_acquire(self) -> bool:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self.fd = fd
        return True

    async def still_held(self) -> bool:
        return self.fd is not None

    async def release(self) -> None:
        fd, self.fd = self.fd, None
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def cluster_lock(database: Database, name: str, lock_dir: Path) -> ClusterLock:
    if database.engine.dialect.name == "postgresql":
        return PostgresAdvisoryLock(database, name)
    return FileLock(lock_dir, name)


async def run_as_leader(
    database: Database,
    name: str,
    interval_seconds: float,
    tick: Callable[[], Awaitable[object]],
    *,
    lock_dir: Path,
) -> None:
    """Until cancelled: try to become `name`'s leader every `interval_seconds`; while leader, run
    `tick` every `interval_seconds`. A failed tick is logged and retried; losing the lock (the
    database restarted) hands the job to whichever process takes it next."""
    lock = cluster_lock(database, name, lock_dir)
    try:
        while True:
            try:
                if await lock.try_acquire():
                    logger.info("Became leader of job %s", name)
                    LEADER.labels(job=name).set(1)
                    while await lock.still_held():
                        try:
                            await tick()
                        except Exception:
                            logger.exception("Job %s failed; retrying next round", name)
                        await asyncio.sleep(interval_seconds)
                    logger.warning("Lost leadership of job %s", name)
            except Exception:  # the database is unreachable: try again next round
                logger.warning("Job %s could not take its cluster lock", name, exc_info=True)
            LEADER.labels(job=name).set(0)
            await lock.release()
            await asyncio.sleep(interval_seconds)
    finally:
        LEADER.labels(job=name).set(0)
        await asyncio.shield(lock.release())
