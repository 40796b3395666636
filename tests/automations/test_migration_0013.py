"""Migration 0013 creates the automation tables, users.away and ticket_changes.automation_id as
the models say, and goes back."""

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from deskboard.migrations import alembic_config, upgrade
from deskboard.models import metadata

MINE = {"automations", "automation_runs", "automation_cursors"}
TOUCHED = MINE | {"users", "ticket_changes"}


def _tables(item: object) -> set[str]:
    """Every table name inside one compare_metadata entry."""
    if isinstance(item, str):
        return {item}
    if isinstance(item, list | tuple):
        return {name for part in item for name in _tables(part)}
    table = getattr(item, "table", None)
    name = getattr(table, "name", None) or getattr(item, "name", None)
    return {name} if isinstance(name, str) else set()


# The revision 0013 was chained onto when the branches merged.
PREVIOUS = "0016_idempotency_event_outbox"


@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_the_automations_migration_matches_the_models_and_downgrades(tmp_path: Path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'm.db'}"
    engine = create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    upgrade(url)
    assert set(inspect(engine).get_table_names()) >= MINE
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    assert [d for d in diff if TOUCHED & _tables(d)] == []

    command.downgrade(alembic_config(url), PREVIOUS)
    inspector = inspect(engine)
    assert not MINE & set(inspector.get_table_names())
    assert "away" not in {c["name"] for c in inspector.get_columns("users")}
    assert "automation_id" not in {c["name"] for c in inspector.get_columns("ticket_changes")}
    with engine.begin() as connection:  # existing rows survive both ways
        connection.execute(
            text(
                "INSERT INTO users (email, name, role, password_hash, is_active, token_version,"
                " created_at, updated_at) VALUES ('a@example.test', 'A', 'agent', 'x', 1, 0,"
                " '2026-12-01 10:00:00', '2026-12-01 10:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO tickets (title, description, status, priority, requester_id,"
                " created_at, updated_at, version) VALUES ('Old', '', 'new', 'normal', 1,"
                " '2026-12-01 10:00:00', '2026-12-01 10:00:00', 1)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO ticket_changes (ticket_id, actor_id, field, old, new, at)"
                " VALUES (1, 1, 'status', '\"new\"', '\"open\"', '2026-12-01 10:00:00')"
            )
        )
    upgrade(url)
    assert set(inspect(engine).get_table_names()) >= MINE
    with engine.connect() as connection:
        assert connection.execute(text("SELECT away FROM users")).scalar_one() == 0
        row = connection.execute(text("SELECT field, automation_id FROM ticket_changes")).one()
        assert tuple(row) == ("status", None)
    command.downgrade(alembic_config(url), PREVIOUS)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM ticket_changes")).scalar_one() == 1
    engine.dispose()
