"""The background due-soon sweep, run once per cluster by the leader."""

import asyncio
import contextlib
from datetime import timedelta

from deskboard.config import Settings
from deskboard.notifications import sweep
from deskboard.ops.leader import run_as_leader


async def _until(condition, seconds: float = 5.0) -> None:
    """Poll the database until `condition` holds (the loop runs in the background)."""
    for _ in range(int(seconds / 0.01)):
        if await condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the sweep loop did not get there in time")


async def test_the_loop_sweeps_again_and_again(
    as_agent, make_ticket, set_due, stored, database, tmp_path
):
    first = await make_ticket(as_agent, assignee_id=as_agent.user.id)
    await set_due(first["id"], timedelta(minutes=5))
    task = asyncio.create_task(
        run_as_leader(
            database, "due-soon", 0.01, lambda: sweep.sweep_once(database), lock_dir=tmp_path
        )
    )
    try:
        await _until(lambda: _count(stored, 1))
        second = await make_ticket(as_agent, assignee_id=as_agent.user.id)
        await set_due(second["id"], timedelta(minutes=5))
        await _until(lambda: _count(stored, 2))
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def test_the_sweep_interval_is_a_setting_that_zero_turns_off(monkeypatch):
    assert Settings().due_soon_sweep_seconds == 0  # the test environment turns it off
    monkeypatch.delenv("DESKBOARD_DUE_SOON_SWEEP_SECONDS")
    assert Settings().due_soon_sweep_seconds == 60


async def _count(stored, expected: int) -> bool:
    return len(await stored()) >= expected
