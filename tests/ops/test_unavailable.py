"""A database that refuses connections or is starting up answers 503 + Retry-After, not 500.

Both are real servers: a closed port, and a PostgreSQL cluster of our own started as a standby
with hot_standby=off, which answers every connection with SQLSTATE 57P03 ("the database system
is not accepting connections", asyncpg's CannotConnectNowError), as PostgreSQL does while it
starts up after a restart.
"""

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from deskboard.auth.security import create_access_token
from deskboard.config import Settings
from deskboard.db import Database, get_database, set_database
from tests.ops.helpers import one_line, run_deskboard
from tests.ops.test_readyz import closed_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _as_postgres(*command: str) -> list[str]:
    # PostgreSQL refuses to run as root (CI and these machines are root).
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else list(command)


@pytest.fixture(scope="module")
def starting_up_url() -> Iterator[str]:
    if not (PG_BIN / "initdb").exists():
        pytest.skip("PostgreSQL 15 server binaries not installed")
    work = Path(tempfile.mkdtemp(prefix="deskboard-pg-starting-"))
    data = work / "data"
    if os.geteuid() == 0:
        shutil.chown(work, "postgres")
    work.chmod(0o700)
    port = closed_port()
    subprocess.run(
        _as_postgres(
            str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"
        ),  # fmt: skip
        check=True,
        capture_output=True,
    )
    (data / "standby.signal").touch()
    if os.geteuid() == 0:
        shutil.chown(data / "standby.signal", "postgres")
    options = f"-p {port} -c hot_standby=off -c listen_addresses=127.0.0.1 -k {work}"
    pg_ctl = str(PG_BIN / "pg_ctl")
    subprocess.run(
        _as_postgres(
            pg_ctl,
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(work / "log"),
            "-w",
            "-t",
            "10",
            "start",
        ),  # fmt: skip
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+asyncpg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_postgres(pg_ctl, "-D", str(data), "-m", "immediate", "stop"), capture_output=True
        )
        shutil.rmtree(work, ignore_errors=True)


@asynccontextmanager
async def serving_from(url: str):
    """Point the running test app at another database for the length of the block."""
    previous = get_database()
    database = Database(Settings(database_url=url))
    set_database(database)
    try:
        yield
    finally:
        set_database(previous)
        await database.dispose()


async def _assert_unavailable(client) -> None:
    token = {"Authorization": f"Bearer {create_access_token(1, 'admin', version=0)}"}
    for method, path, body in (
        ("GET", "/api/tickets", None),
        ("POST", "/api/tickets", {"title": "During the restart", "description": "x"}),
        ("POST", "/api/auth/login", {"email": "a@example.test", "password": "whatever-long"}),
    ):
        response = await client.request(method, path, json=body, headers=token)
        assert response.status_code == 503, (path, response.text)
        assert response.headers["Retry-After"] == "1"
        assert response.json() == {"detail": "The database is unavailable; retry shortly"}
    ready = await client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["checks"]["database"] == "unavailable"


async def test_a_refused_connection_is_503_with_retry_after(client):
    async with serving_from(f"postgresql+asyncpg://postgres@127.0.0.1:{closed_port()}/x"):
        await _assert_unavailable(client)


async def test_a_database_starting_up_is_503_with_retry_after(client, starting_up_url):
    async with serving_from(starting_up_url):
        await _assert_unavailable(client)


def test_migrate_against_a_database_starting_up_is_one_line(starting_up_url, tmp_path):
    env = {"DESKBOARD_DATABASE_URL": starting_up_url, "DESKBOARD_DATA_DIR": str(tmp_path)}
    result = run_deskboard("migrate", env=env)
    assert result.returncode == 2
    assert "is starting up; try again shortly" in one_line(result.stderr)
