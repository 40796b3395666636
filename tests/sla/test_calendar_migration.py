"""Migrations 0007 and 0008 create business_calendars and sla_policies and take them away."""

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, inspect

from deskboard.migrations import alembic_config, upgrade


def test_the_calendar_migration_upgrades_and_downgrades(tmp_path: Path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'migrate.db'}"
    engine = create_engine(f"sqlite:///{tmp_path / 'migrate.db'}")

    def columns(table: str = "business_calendars") -> set[str] | None:
        inspector = inspect(engine)
        if table not in inspector.get_table_names():
            return None
        return {column["name"] for column in inspector.get_columns(table)}

    upgrade(url)
    assert columns() == {"id", "name", "timezone", "hours", "holidays", "created_at", "updated_at"}
    assert "calendar_id" in (columns("sla_policies") or set())
    command.downgrade(alembic_config(url), "0008_sla_policies-1")
    assert columns("sla_policies") is None
    assert columns() is not None
    command.downgrade(alembic_config(url), "0007_business_calendars-1")
    assert columns() is None
    upgrade(url)
    assert columns() is not None
    assert columns("sla_policies") is not None
    engine.dispose()
