"""Migration 0011 adds tickets.team_id (referencing teams, indexed) without losing the SQLite
full text triggers on tickets, and goes back."""

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, inspect

from deskboard.migrations import alembic_config, upgrade


def test_the_ticket_teams_migration_adds_team_id_and_keeps_the_search_triggers(tmp_path: Path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'm.db'}"
    engine = create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    upgrade(url)
    tickets = inspect(engine)
    assert "team_id" in {c["name"] for c in tickets.get_columns("tickets")}
    assert "ix_tickets_team_id" in {i["name"] for i in tickets.get_indexes("tickets")}
    assert [fk["referred_table"] for fk in tickets.get_foreign_keys("tickets")].count("teams") == 1
    with engine.connect() as connection:
        triggers = connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'tickets'"
        )
        assert {row[0] for row in triggers} >= {
            "tickets_fts_insert",
            "tickets_fts_delete",
            "tickets_fts_update",
        }

    command.downgrade(alembic_config(url), "0010_webhooks_api_tokens")
    assert "team_id" not in {c["name"] for c in inspect(engine).get_columns("tickets")}
    upgrade(url)
    assert "team_id" in {c["name"] for c in inspect(engine).get_columns("tickets")}
    engine.dispose()
