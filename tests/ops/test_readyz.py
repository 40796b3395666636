"""/readyz: database, Redis (when configured) and migrations, as words, never exception text."""

import asyncio
import socket
from pathlib import Path

import pytest

from deskboard import db as db_module
from deskboard.app import create_app
from deskboard.config import Settings
from deskboard.db import Database, set_database
from deskboard.migrations import upgrade
from deskboard.ops.readiness import readiness


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_ready_when_everything_answers(client, database):
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "migrations": "ok"},
    }


async def _ready_of(settings: Settings) -> tuple[bool, dict[str, object]]:
    database = Database(settings)
    try:
        return await readiness(settings, database)
    finally:
        await database.dispose()


async def test_an_unreachable_database_is_unavailable_without_its_error_text(caplog):
    port = closed_port()
    settings = Settings(database_url=f"postgresql+asyncpg://deskboard:pw@127.0.0.1:{port}/x")
    ready, body = await _ready_of(settings)
    assert not ready
    assert body == {
        "status": "unavailable",
        "checks": {"database": "unavailable", "migrations": "unavailable"},
    }
    assert "Connect call failed" in caplog.text  # the cause is logged, not answered


async def test_an_unreachable_redis_leaves_the_replica_ready_but_degraded(settings):
    # The API keeps serving without Redis (real time per process): pulling every replica
    # from the balancer would turn that into an outage.
    broken = settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{closed_port()}/0"})
    ready, body = await _ready_of(broken)
    assert ready
    assert body == {
        "status": "degraded",
        "checks": {"database": "ok", "migrations": "ok", "redis": "unavailable"},
    }


async def test_a_reachable_redis_is_ok(settings):
    import os

    url = os.environ.get("DESKBOARD_TEST_REDIS_URL")
    if not url:
        pytest.skip("DESKBOARD_TEST_REDIS_URL not set")
    ready, body = await _ready_of(settings.model_copy(update={"redis_url": url}))
    assert ready and body["checks"]["redis"] == "ok"


def _sqlite(tmp_path: Path, name: str) -> Settings:
    return Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / name}", data_dir=tmp_path)


async def test_migrations_behind_head_are_not_ready(tmp_path):
    never = _sqlite(tmp_path, "never.db")
    assert await _ready_of(never) == (
        False,
        {"status": "unavailable", "checks": {"database": "ok", "migrations": "behind"}},
    )
    old = _sqlite(tmp_path, "old.db")
    await asyncio.to_thread(upgrade, old.resolved_database_url, "0001_core")
    ready, body = await _ready_of(old)
    assert (ready, body["checks"]["migrations"]) == (False, "behind")


async def test_a_database_migrated_by_a_newer_release_stays_ready(tmp_path):
    import sqlite3

    newer = _sqlite(tmp_path, "newer.db")
    await asyncio.to_thread(upgrade, newer.resolved_database_url)
    connection = sqlite3.connect(tmp_path / "newer.db")
    with connection:
        connection.execute("INSERT INTO alembic_version VALUES ('9999_from_the_future')")
    connection.close()
    ready, body = await _ready_of(newer)
    assert (ready, body["checks"]["migrations"]) == (True, "ahead")


async def test_readyz_answers_503_through_http(settings, database):
    import httpx

    port = closed_port()
    broken = settings.model_copy(
        update={"database_url": f"postgresql+asyncpg://deskboard:pw@127.0.0.1:{port}/x"}
    )
    unreachable = Database(broken)
    app = create_app(broken, unreachable)
    transport = httpx.ASGITransport(app=app)
    previous = db_module._database
    set_database(unreachable)  # what the app's start-up does (ASGITransport runs no lifespan)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            response = await http.get("/readyz")
    finally:
        set_database(previous)
        await unreachable.dispose()
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert "Connect" not in response.text and "127.0.0.1" not in response.text


async def test_readyz_answers_200_degraded_through_http_while_redis_is_down(settings, database):
    import httpx

    broken = settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{closed_port()}/0"})
    app = create_app(broken, database)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        response = await http.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert "Connect" not in response.text and "127.0.0.1" not in response.text
