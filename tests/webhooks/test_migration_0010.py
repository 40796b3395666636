"""Migration 0010 adds webhooks, their deliveries, API tokens and tickets.channel (existing
tickets read "web"), and takes them away again."""

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, inspect, text

from deskboard.migrations import alembic_config, upgrade

PREVIOUS = "0010_webhooks_api_tokens-1"


def test_migration_0010_upgrades_with_existing_tickets_and_downgrades(tmp_path: Path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'migrate.db'}"
    engine = create_engine(f"sqlite:///{tmp_path / 'migrate.db'}")

    def tables() -> set[str]:
        return set(inspect(engine).get_table_names())

    def ticket_columns() -> set[str]:
        return {column["name"] for column in inspect(engine).get_columns("tickets")}

    upgrade(url)
    command.downgrade(alembic_config(url), PREVIOUS)
    assert not {"webhooks", "webhook_deliveries", "api_tokens"} & tables()
    assert "channel" not in ticket_columns()
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (email, name, role, password_hash, is_active, token_version,"
                " created_at, updated_at) VALUES ('a@example.test', 'A', 'user', 'x', 1, 0,"
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

    upgrade(url)

    assert {"webhooks", "webhook_deliveries", "api_tokens"} <= tables()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT channel FROM tickets")).scalar_one() == "web"
    command.downgrade(alembic_config(url), PREVIOUS)
    assert "channel" not in ticket_columns()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT title FROM tickets")).scalar_one() == "Old"
    engine.dispose()
