"""The event outbox: rows written with the change (none for a rolled-back one), deleted once
published, and rows left behind by a dead process published by the relay (oldest first; a
failing publish keeps the rest)."""

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from deskboard.core import events
from deskboard.core.events import Audience, Event
from deskboard.core.time import utcnow
from deskboard.db import Database
from deskboard.realtime import outbox
from deskboard.realtime.models import OutboxEvent


@pytest.fixture
def outbox_on() -> Iterator[None]:
    previous = outbox.enabled()
    outbox.install(enabled=True)
    yield
    outbox.install(enabled=previous)


def _event(n: int) -> Event:
    return Event(
        type="ticket.created", data={"id": n}, audience=Audience(roles=frozenset({"agent"}))
    )


async def _rows(database: Database) -> list[OutboxEvent]:
    async with database.sessionmaker() as session:
        return list((await session.scalars(select(OutboxEvent))).all())


class Recorder:
    def __init__(self, fail_after: int | None = None) -> None:
        self.sent: list[str] = []
        self.fail_after = fail_after

    async def publish_encoded(self, payload: str) -> None:
        if self.fail_after is not None and len(self.sent) >= self.fail_after:
            raise ConnectionError("Redis is down")
        self.sent.append(payload)


async def test_rows_commit_with_the_change_and_not_without_it(database, outbox_on):
    async with database.sessionmaker() as session:
        events.emit(session, _event(1))
        await session.commit()
        events.discard(session)
    async with database.sessionmaker() as session:
        events.emit(session, _event(2))
        await session.rollback()
        events.discard(session)
    stored = await _rows(database)
    assert [json.loads(row.payload)["data"] for row in stored] == [{"id": 1}]


async def test_nothing_is_written_when_disabled(database):
    outbox.install(enabled=False)
    async with database.sessionmaker() as session:
        events.emit(session, _event(1))
        await session.commit()
        events.discard(session)
    assert await _rows(database) == []


async def test_published_rows_are_swept(database, outbox_on):
    async with database.sessionmaker() as session:
        for n in range(3):
            events.emit(session, _event(n))
        pending = events.pending(session.info)
        await session.commit()
        events.discard(session)
    sweeper = outbox.Sweeper(database)
    for event in pending[:2]:
        sweeper.published(event.id)
    await sweeper.flush()
    assert [row.id for row in await _rows(database)] == [pending[2].id]


async def test_the_relay_publishes_orphans_oldest_first_and_keeps_the_unsent(database, outbox_on):
    async with database.sessionmaker() as session:
        for n in range(4):
            events.emit(session, _event(n))
        await session.commit()
        events.discard(session)
    fresh = await outbox.relay_orphans(database, Recorder())
    assert fresh == 0, "rows younger than the grace period belong to a live process"
    async with database.unit_of_work() as session:
        await session.execute(
            update(OutboxEvent).values(created_at=utcnow() - timedelta(minutes=1))
        )
    failing = Recorder(fail_after=2)
    with pytest.raises(ConnectionError):
        await outbox.relay_orphans(database, failing)
    assert len(failing.sent) == 2
    assert len(await _rows(database)) == 2
    working = Recorder()
    assert await outbox.relay_orphans(database, working) == 2
    assert await _rows(database) == []
    sent = [json.loads(p)["data"]["id"] for p in failing.sent + working.sent]
    assert sorted(sent) == [0, 1, 2, 3]
    async with database.sessionmaker() as session:
        assert (await session.execute(select(func.count()).select_from(OutboxEvent))).scalar() == 0
