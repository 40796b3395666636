"""Once-per-cluster jobs: two contenders on the same database, one runs; the other takes over
when the leader stops (its lock connection or file lock goes with it)."""

import asyncio
from pathlib import Path

from deskboard.db import Database
from deskboard.ops.leader import lock_key, run_as_leader


async def _wait_for(predicate, seconds: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.02)


def test_lock_keys_are_stable_and_distinct() -> None:
    assert lock_key("sla-sweep") == lock_key("sla-sweep")
    assert lock_key("sla-sweep") != lock_key("mail-poll")
    assert -(2**63) <= lock_key("sla-sweep") < 2**63


async def test_one_leader_at_a_time_and_takeover(database: Database, tmp_path: Path) -> None:
    ticks: dict[str, int] = {"a": 0, "b": 0}

    def counter(who: str):
        async def tick() -> None:
            ticks[who] += 1

        return tick

    name = f"test-job-{tmp_path.name}"
    first = asyncio.create_task(
        run_as_leader(database, name, 0.05, counter("a"), lock_dir=tmp_path)
    )
    await _wait_for(lambda: ticks["a"] >= 1)
    second = asyncio.create_task(
        run_as_leader(database, name, 0.05, counter("b"), lock_dir=tmp_path)
    )
    await _wait_for(lambda: ticks["a"] >= 6)
    assert ticks["b"] == 0, "the second contender ran while the first held the lock"

    first.cancel()
    await asyncio.gather(first, return_exceptions=True)
    await _wait_for(lambda: ticks["b"] >= 3)
    second.cancel()
    await asyncio.gather(second, return_exceptions=True)


async def test_a_failing_tick_keeps_the_job_alive(database: Database, tmp_path: Path) -> None:
    calls = 0

    async def flaky() -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("first round fails")

    task = asyncio.create_task(
        run_as_leader(database, f"flaky-{tmp_path.name}", 0.02, flaky, lock_dir=tmp_path)
    )
    await _wait_for(lambda: calls >= 3)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
