"""Migration 0012: the built-in per-priority due date becomes the default policy, and existing
tickets get their SLA rows (the same figures as the built-in table, on a 24x7 calendar)."""

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from deskboard.migrations import alembic_config, upgrade


def _sync_url(url: str) -> str:
    return url.replace("+asyncpg", "+psycopg").replace("+aiosqlite", "")


def aware(value: datetime | None) -> datetime | None:
    return None if value is None else value.replace(tzinfo=UTC)


def naive(value: Any) -> datetime:
    """A stored instant as naive UTC (SQLite keeps text, PostgreSQL an aware value)."""
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


@pytest.fixture
def migration_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of the kind under test (SQLite, or PostgreSQL beside the test one)."""
    requested = os.environ.get("DESKBOARD_TEST_DATABASE_URL", "")
    if not requested.startswith("postgresql"):
        yield f"sqlite+aiosqlite:///{tmp_path / 'migrate.db'}"
        return
    parts = urlsplit(requested)
    name = f"deskboard_sla_migration_{os.getpid()}"
    admin = create_engine(
        _sync_url(urlunsplit(parts._replace(path="/postgres"))), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_existing_tickets_take_on_the_default_policy(migration_url: str):
    url = migration_url
    engine = create_engine(_sync_url(url))
    is_postgres = url.startswith("postgresql")
    command.upgrade(alembic_config(url), "0010_webhooks_api_tokens")
    created = datetime(2026, 1, 5, 9, 0)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (id, email, name, role, password_hash, is_active, created_at,"
                " updated_at)"
                " VALUES (1, 'a@example.com', 'A', 'admin', 'x', true, :at, :at)"
            ),
            {"at": created.replace(tzinfo=UTC) if is_postgres else created},
        )
        rows = [
            # id, priority, due_at (the table's, a hand-set one), resolved_at
            (1, "urgent", created + timedelta(hours=4), None),
            (2, "low", datetime(2026, 3, 1), None),
            (3, "high", created + timedelta(days=1), created + timedelta(hours=2)),
        ]
        for ticket_id, priority, due, resolved in rows:
            connection.execute(
                text(
                    "INSERT INTO tickets (id, number, title, description, status, priority,"
                    " requester_id, due_at, resolved_at, created_at, updated_at, version, channel)"
                    " VALUES (:id, :id, 't', '', :status, :priority, 1, :due, :resolved, :at, :at,"
                    " 1, 'web')"
                ),
                {
                    "id": ticket_id,
                    "status": "resolved" if resolved else "open",
                    "priority": priority,
                    "due": aware(due) if is_postgres else due,
                    "resolved": aware(resolved) if is_postgres else resolved,
                    "at": aware(created) if is_postgres else created,
                },
            )
    upgrade(url)
    with engine.connect() as connection:
        policies = dict(
            connection.execute(
                text("SELECT name, resolution_minutes FROM sla_policies ORDER BY position")
            ).all()
        )
        assert policies == {
            "Default: urgent": 240,
            "Default: high": 1440,
            "Default: normal": 4320,
            "Default: low": 10080,
        }
        states = connection.execute(
            text(
                "SELECT ticket_id, resolution_due_at, resolution_breached, breach_at,"
                " tracks_due_at, warned_breached FROM ticket_sla ORDER BY ticket_id"
            )
        ).all()
    assert [(s[0], naive(s[1])) for s in states] == [
        (1, datetime(2026, 1, 5, 13)),
        (2, datetime(2026, 1, 12, 9)),
        (3, datetime(2026, 1, 6, 9)),
    ]
    # Resolved in time; the open ones are long past due (and not warned about now: old news).
    assert [bool(s[2]) for s in states] == [True, True, False]
    assert states[2][3] is None
    assert [bool(s[4]) for s in states] == [True, False, True]
    assert all(bool(s[5]) for s in states[:2])
    command.downgrade(alembic_config(url), "0010_webhooks_api_tokens")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM sla_policies")).scalar_one() == 0
    engine.dispose()
