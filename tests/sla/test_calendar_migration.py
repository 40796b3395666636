"""Migration 0007 creates business_calendars and takes it away again."""

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, inspect

from deskboard.migrations import alembic_config, upgrade


def test_the_calendar_migration_upgrades_and_downgrades(tmp_path: Path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'migrate.db'}"
    engine = create_engine(f"sqlite:///{tmp_path / 'migrate.db'}")

    def columns() -> set[str] | None:
        inspector = inspect(engine)
        if "business_calendars" not in inspector.get_table_names():
            return None
        return {column["name"] for column in inspector.get_columns("business_calendars")}

    upgrade(url)
    assert columns() == {"id", "name", "timezone", "hours", "holidays", "created_at", "updated_at"}
    command.downgrade(alembic_config(url), "0007_business_calendars-1")
    assert columns() is None
    upgrade(url)
    assert columns() is not None
    engine.dispose()
