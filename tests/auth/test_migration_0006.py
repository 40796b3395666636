"""Migration 0006 on a database with sessions in it: versions start at 0, families keep their
start (the oldest token's created_at), and it goes down again. On a scratch database of the
dialect under test (SQLite batch mode, or PostgreSQL when DESKBOARD_TEST_DATABASE_URL names one)."""

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from deskboard.migrations import alembic_config, upgrade
from deskboard.models import metadata

T0 = datetime(2026, 11, 1, 9, 0, 0, tzinfo=UTC)


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(async URL for Alembic, sync URL for the checks) of an empty database."""
    requested = os.environ.get("DESKBOARD_TEST_DATABASE_URL", "")
    if not requested.startswith("postgresql"):
        yield f"sqlite+aiosqlite:///{tmp_path / 'm.db'}", f"sqlite:///{tmp_path / 'm.db'}"
        return
    parts = urlsplit(requested)
    name = f"deskboard_m0006_{os.getpid()}"
    admin_url = urlunsplit(parts._replace(scheme="postgresql+psycopg", path="/postgres"))
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield (
            urlunsplit(parts._replace(scheme="postgresql+asyncpg", path=f"/{name}")),
            urlunsplit(parts._replace(scheme="postgresql+psycopg", path=f"/{name}")),
        )
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_upgrade_backfills_and_downgrade_restores(scratch: tuple[str, str]) -> None:
    url, sync_url = scratch
    upgrade(url, "0005_analytics")
    engine = create_engine(sync_url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (id, email, name, role, password_hash, is_active, created_at,"
                " updated_at) VALUES (1, 'a@x.test', 'A', 'agent', '-', :yes, :t, :t)"
            ),
            {"t": T0, "yes": True},
        )
        rows = [
            ("h1", "fam-a", T0),
            ("h2", "fam-a", T0 + timedelta(days=3)),
            ("h3", "fam-b", T0 + timedelta(days=1)),
        ]
        for token_hash, family, created in rows:
            connection.execute(
                text(
                    "INSERT INTO refresh_tokens (user_id, token_hash, family_id, expires_at,"
                    " created_at) VALUES (1, :h, :f, :e, :c)"
                ),
                {"h": token_hash, "f": family, "e": created + timedelta(days=14), "c": created},
            )

    upgrade(url)

    with engine.connect() as connection:
        assert connection.execute(text("SELECT token_version FROM users")).scalar_one() == 0
        started = dict(
            connection.execute(text("SELECT token_hash, family_started_at FROM refresh_tokens"))
            .tuples()
            .all()
        )
        # The schema the models describe, for the columns this migration adds.
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    assert {k: _utc_text(v) for k, v in started.items()} == {
        "h1": "2026-11-01 09:00:00",
        "h2": "2026-11-01 09:00:00",
        "h3": "2026-11-02 09:00:00",
    }
    mine = {"token_version", "family_started_at", "internal"}
    assert [d for d in diff if mine & set(map(str, _flatten(d)))] == []

    command.downgrade(alembic_config(url), "0005_analytics")
    columns = {c["name"] for c in inspect(engine).get_columns("refresh_tokens")}
    assert "family_started_at" not in columns
    assert "token_version" not in {c["name"] for c in inspect(engine).get_columns("users")}
    assert "internal" not in {c["name"] for c in inspect(engine).get_columns("notifications")}
    engine.dispose()


def _flatten(item: object) -> list[object]:
    """Every name inside one compare_metadata entry (tuples of tuples of columns)."""
    if isinstance(item, list | tuple):
        return [leaf for part in item for leaf in _flatten(part)]
    return [getattr(item, "name", item)]


def _utc_text(value: object) -> str:
    """A stored instant as UTC text (PostgreSQL answers in its session zone, SQLite in text)."""
    if isinstance(value, datetime):
        value = value.astimezone(UTC) if value.tzinfo else value
    return str(value)[:19]
