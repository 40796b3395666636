"""Alembic migrations, run programmatically so no alembic.ini path juggling is needed."""

from pathlib import Path

from alembic import command
from alembic.config import Config

HERE = Path(__file__).resolve().parent


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.set_main_option("sqlalchemy.url", database_url)
    return config


def upgrade(database_url: str, revision: str = "heads") -> None:
    """Apply migrations; 'heads' so independent domain branches all apply. Then, for a full
    upgrade, each installed plugin's own migrations (deskboard/plugins/migrations.py)."""
    command.upgrade(alembic_config(database_url), revision)
    if revision == "heads":
        from deskboard.plugins.migrations import upgrade_plugins

        upgrade_plugins(database_url)
