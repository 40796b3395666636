"""Migration 0009 creates teams, team_members and saved_replies as the models say, and goes back."""

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from deskboard.migrations import alembic_config, upgrade
from deskboard.models import metadata

MINE = {"teams", "team_members", "saved_replies"}


def _tables(item: object) -> set[str]:
    """Every table name inside one compare_metadata entry."""
    if isinstance(item, str):
        return {item}
    if isinstance(item, list | tuple):
        return {name for part in item for name in _tables(part)}
    table = getattr(item, "table", None)
    name = getattr(table, "name", None) or getattr(item, "name", None)
    return {name} if isinstance(name, str) else set()


@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_the_teams_and_replies_migration_matches_the_models_and_downgrades(tmp_path: Path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'm.db'}"
    engine = create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    upgrade(url)
    assert set(inspect(engine).get_table_names()) >= MINE
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    assert [d for d in diff if MINE & _tables(d)] == []

    command.downgrade(alembic_config(url), "0008_sla_policies")
    assert not MINE & set(inspect(engine).get_table_names())
    assert "sla_policies" in inspect(engine).get_table_names()
    upgrade(url)
    assert set(inspect(engine).get_table_names()) >= MINE
    engine.dispose()
