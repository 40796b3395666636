"""A wrong DESKBOARD_DATABASE_URL or an unreachable Redis at start-up: one line, exit 2."""

import os

import pytest

from tests.ops.helpers import one_line, run_deskboard
from tests.ops.test_readyz import closed_port

BAD_DATABASES = [
    ("mysql://root@127.0.0.1/deskboard", "unsupported scheme 'mysql'"),
    (f"postgresql+asyncpg://postgres@127.0.0.1:{closed_port()}/x", "connection refused"),
    (
        "postgresql+asyncpg://postgres@no-such-host.invalid/x",
        "host 'no-such-host.invalid' not found",
    ),
    ("sqlite+aiosqlite:////proc/no/such/folder/deskboard.db", "cannot open the SQLite database"),
]


@pytest.mark.parametrize(("url", "said"), BAD_DATABASES)
def test_a_wrong_database_url_stops_migrate_with_one_line(url, said, tmp_path):
    env = {"DESKBOARD_DATABASE_URL": url, "DESKBOARD_DATA_DIR": str(tmp_path)}
    result = run_deskboard("migrate", env=env, timeout=30)
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert line.startswith("deskboard: ") and said in line


def test_a_wrong_database_url_stops_serve_with_one_line(tmp_path):
    url, said = BAD_DATABASES[1]
    env = {"DESKBOARD_DATABASE_URL": url, "DESKBOARD_DATA_DIR": str(tmp_path)}
    result = run_deskboard("serve", "--port", str(closed_port()), env=env, timeout=30)
    assert result.returncode == 2
    assert said in one_line(result.stderr)


def test_a_missing_postgresql_database_is_named(tmp_path):
    base = os.environ.get("DESKBOARD_TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        pytest.skip("needs the PostgreSQL server of DESKBOARD_TEST_DATABASE_URL")
    url = base.rsplit("/", 1)[0] + "/no_such_database_here"
    result = run_deskboard("migrate", env={"DESKBOARD_DATABASE_URL": url}, timeout=30)
    assert result.returncode == 2
    assert "database 'no_such_database_here' does not exist" in one_line(result.stderr)


@pytest.mark.parametrize(
    ("redis_url", "said"),
    [
        (f"redis://127.0.0.1:{closed_port()}/0", "connection refused"),
        ("http://127.0.0.1:6379", "is not a Redis URL"),
    ],
)
def test_an_unreachable_redis_stops_serve_with_one_line(redis_url, said, tmp_path):
    env = {"DESKBOARD_DATA_DIR": str(tmp_path), "DESKBOARD_REDIS_URL": redis_url}
    result = run_deskboard("serve", "--port", str(closed_port()), env=env, timeout=30)
    assert result.returncode == 2
    assert said in one_line(result.stderr)


def test_migrate_does_not_need_redis(tmp_path):
    env = {
        "DESKBOARD_DATA_DIR": str(tmp_path),
        "DESKBOARD_REDIS_URL": f"redis://127.0.0.1:{closed_port()}/0",
    }
    result = run_deskboard("migrate", env=env, timeout=60)
    assert result.returncode == 0, result.stderr
