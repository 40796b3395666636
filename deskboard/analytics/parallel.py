"""Independent read-only figures of one answer, computed side by side on PostgreSQL.

A card such as the KPIs is nine queries; one after another on the request's connection they
add up, while the database has cores to spare. `run_figures` hands them to a few workers: the
request's own session and, on PostgreSQL, up to PARALLEL - 1 short-lived sessions on pooled
connections. Spare connections are rationed across the process (MAX_SPARE), and a worker only
takes the next figure when it is free, so the request's own session always makes progress: a
busy server degrades to the sequential plan instead of waiting for the pool. Each figure reads
as of `now` from its own snapshot (the cache already allows answers seconds old). SQLite runs
them one after another on the request's session.
"""

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

Figure = Callable[[AsyncSession], Awaitable[Any]]

PARALLEL = 4  # workers per answer, the request's own session included
MAX_SPARE = 8  # extra connections all answers of this process may hold at once

_spare_in_use = 0


async def run_figures(session: AsyncSession, figures: Sequence[Figure]) -> list[Any]:
    """Each figure's result, in order."""
    global _spare_in_use
    engine = session.bind
    spare = 0
    if session.get_bind().dialect.name == "postgresql" and isinstance(engine, AsyncEngine):
        spare = max(0, min(PARALLEL - 1, MAX_SPARE - _spare_in_use, len(figures) - 1))
    if spare == 0:
        return [await figure(session) for figure in figures]

    results: list[Any] = [None] * len(figures)
    pending = list(enumerate(figures))

    async def work(own: AsyncSession) -> None:
        while pending:
            index, figure = pending.pop(0)
            results[index] = await figure(own)

    async def helper(bind: AsyncEngine | AsyncConnection | None) -> None:
        async with AsyncSession(bind) as own:
            await work(own)

    _spare_in_use += spare
    try:
        # The group waits for every task (or cancels them all on an error) before it exits.
        async with asyncio.TaskGroup() as group:
            group.create_task(work(session))
            for _ in range(spare):
                group.create_task(helper(engine))
    finally:
        _spare_in_use -= spare
    return results
