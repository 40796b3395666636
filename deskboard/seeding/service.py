"""Seed tickets: make sure there are people, then generate and bulk-load batches.

Generation (Python) runs in a worker thread while the previous batch is being written, so the
database and the generator work at the same time.
"""

import asyncio
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import async_sessionmaker

from deskboard.auth.security import hash_password
from deskboard.core.time import utcnow
from deskboard.db import make_engine
from deskboard.seeding.generator import HISTORY_DAYS, People, TicketBatch, TicketGenerator
from deskboard.seeding.loader import open_writer
from deskboard.seeding.people import ensure_pool, pool_sizes

DEFAULT_BATCH_SIZE = 10_000
# Share of tickets that get a conversation and a field history (all of them in the demo).
DEFAULT_DETAIL_RATE = 0.1

Progress = Callable[[int], None]


@dataclass
class SeedResult:
    tickets: int = 0
    tags: int = 0
    comments: int = 0
    changes: int = 0
    seconds: float = 0.0

    def add(self, batch: TicketBatch) -> None:
        self.tickets += len(batch.tickets)
        self.tags += len(batch.tags)
        self.comments += len(batch.comments)
        self.changes += len(batch.changes)

    def summary(self) -> str:
        rate = self.tickets / self.seconds if self.seconds else 0.0
        return (
            f"Seeded {self.tickets:,} tickets ({self.tags:,} tags, {self.comments:,} comments, "
            f"{self.changes:,} history rows) in {self.seconds:.1f} s ({rate:,.0f} tickets/s)"
        )


async def ensure_people(database_url: str, *, tickets: int, seed: int) -> People:
    """The requester and agent pools for `tickets` tickets, created where missing."""
    requesters, agents = pool_sizes(tickets)
    # Invented people cannot sign in: one shared hash of a password nobody knows.
    password_hash = hash_password(secrets.token_urlsafe(24))
    engine = make_engine(database_url)
    try:
        async with async_sessionmaker(engine)() as session, session.begin():
            return await ensure_pool(
                session,
                requesters=requesters,
                agents=agents,
                password_hash=password_hash,
                seed=seed,
            )
    finally:
        await engine.dispose()


async def seed_tickets(
    database_url: str,
    *,
    count: int,
    people: People | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    detail_rate: float = DEFAULT_DETAIL_RATE,
    seed: int | None = None,
    progress: Progress | None = None,
    history_days: int = HISTORY_DAYS,
) -> SeedResult:
    """Generate and load `count` tickets; statistics are refreshed at the end."""
    if count < 0 or batch_size < 1:
        raise ValueError("count must be >= 0 and batch_size >= 1")
    seed = secrets.randbits(31) if seed is None else seed
    started = time.perf_counter()
    if people is None:
        people = await ensure_people(database_url, tickets=count, seed=seed)
    generator = TicketGenerator(
        people,
        now=utcnow(),
        seed=seed,
        detail_rate=detail_rate,
        count=count,
        history_days=history_days,
    )
    sizes = [min(batch_size, count - start) for start in range(0, count, batch_size)]
    result = SeedResult()
    writer = await open_writer(database_url)
    upcoming: asyncio.Task[TicketBatch] | None = None
    try:
        upcoming = _generate(generator, await writer.reserve_ids(sizes[0])) if sizes else None
        done = 0
        while upcoming is not None:
            batch = await upcoming
            done += 1
            upcoming = None
            if done < len(sizes):
                upcoming = _generate(generator, await writer.reserve_ids(sizes[done]))
            await writer.write(batch)
            result.add(batch)
            if progress is not None:
                progress(len(batch.tickets))
        if count:
            await writer.finish()
    finally:
        if upcoming is not None:
            upcoming.cancel()
        await writer.close()
    result.seconds = time.perf_counter() - started
    return result


def _generate(generator: TicketGenerator, ids: list[int]) -> "asyncio.Task[TicketBatch]":
    return asyncio.create_task(asyncio.to_thread(generator.batch, ids))
