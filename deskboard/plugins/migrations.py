"""Each plugin's own tables: Alembic revisions inside the plugin, run by `deskboard migrate`
after the core's, tracked in a version table per plugin so removing one touches nothing else."""

from pathlib import Path

from alembic import command
from alembic.config import Config

from deskboard.plugins.discovery import PluginRecord, Plugins, get_plugins

ENV = Path(__file__).resolve().parent / "alembic"


def version_table(name: str) -> str:
    return "alembic_version_" + name.replace("-", "_")


def plugin_config(record: PluginRecord, database_url: str) -> Config:
    assert record.migrations_dir is not None
    config = Config()
    config.set_main_option("script_location", str(ENV))
    config.set_main_option("version_locations", str(record.migrations_dir))
    config.set_main_option("version_table", version_table(record.name))
    config.set_main_option("sqlalchemy.url", database_url)
    return config


def migratable(plugins: Plugins | None = None) -> list[PluginRecord]:
    """Plugins that loaded and carry migrations (enabled or not: their tables wait for them)."""
    plugins = plugins or get_plugins()
    return [r for r in plugins.usable() if r.migrations_dir is not None]


def upgrade_plugins(database_url: str, plugins: Plugins | None = None) -> list[str]:
    """Bring every plugin's tables up to date; return the names migrated."""
    done = []
    for record in migratable(plugins):
        command.upgrade(plugin_config(record, database_url), "heads")
        done.append(record.name)
    return done


def remove_tables(database_url: str, name: str, plugins: Plugins | None = None) -> None:
    """Run a plugin's migrations down to nothing (its tables and its version table go)."""
    plugins = plugins or get_plugins()
    record = plugins.records.get(name)
    if record is None or record.migrations_dir is None:
        raise LookupError(f"plugin {name!r} is not installed or has no tables")
    command.downgrade(plugin_config(record, database_url), "base")
    _drop_version_table(database_url, version_table(name))


def _drop_version_table(database_url: str, table: str) -> None:
    import asyncio

    from sqlalchemy import text

    from deskboard.db import make_engine

    async def drop() -> None:
        engine = make_engine(database_url)
        async with engine.begin() as connection:
            await connection.execute(text(f'DROP TABLE IF EXISTS "{table}"'))
        await engine.dispose()

    asyncio.run(drop())
