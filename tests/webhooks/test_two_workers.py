"""Two workers (each with its own engine, as two processes have) deliver every event once:
on PostgreSQL through FOR UPDATE SKIP LOCKED, on SQLite through the conditional claim."""

import asyncio
import json
from collections import Counter

from deskboard.db import Database
from deskboard.webhooks import worker

EVENTS = 40


async def _loop(database, settings, http, tally, name):
    idle = 0
    while idle < 3:  # a few empty rounds in a row: the other worker may still hold rows
        count = await worker.run_once(database, settings, http)
        tally[name] += count
        idle = idle + 1 if count == 0 else 0
        await asyncio.sleep(0.01)


async def test_two_concurrent_workers_send_each_delivery_exactly_once(
    as_admin,
    as_agent,
    receiver,
    make_webhook,
    settings,
    worker_settings,
    http,
    deliveries,
    is_postgres,
):
    await make_webhook(as_admin, receiver.url, events=["ticket.created"])
    for number in range(EVENTS):
        response = await as_agent.post("/api/tickets", json={"title": f"Ticket {number}"})
        assert response.status_code == 201
    first, second = Database(settings), Database(settings)
    tally: Counter[str] = Counter()
    try:
        await asyncio.gather(
            _loop(first, worker_settings, http, tally, "first"),
            _loop(second, worker_settings, http, tally, "second"),
        )
    finally:
        await first.dispose()
        await second.dispose()

    ids = Counter(json.loads(r.body)["id"] for r in receiver.requests)
    assert len(ids) == EVENTS and set(ids.values()) == {1}, ids.most_common(3)
    rows = await deliveries()
    assert sum(tally.values()) == EVENTS, [(d.attempts, d.error) for d in rows if d.attempts > 1]
    assert {d.status for d in await deliveries()} == {"delivered"}
    assert {d.attempts for d in await deliveries()} == {1}
    if is_postgres:  # SKIP LOCKED hands the second worker the rows the first has not locked
        assert tally["first"] > 0 and tally["second"] > 0, tally
