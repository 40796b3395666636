"""Each plugin's own tables: Alembic revisions inside the plugin, run by `deskboard migrate`
after the core's, tracked in a version table per plugin so removing one touches nothing else."""

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncSession

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


@lru_cache
def _heads(migrations_dir: Path, name: str) -> frozenset[str]:
    config = Config()
    config.set_main_option("script_location", str(ENV))
    config.set_main_option("version_locations", str(migrations_dir))
    return frozenset(ScriptDirectory.from_config(config).get_heads())


async def tables_pending(session: AsyncSession, record: PluginRecord) -> bool:
    """True while the plugin's tables are not at its own migrations' head (installed or
    upgraded, but `deskboard migrate` not yet run): enabling it would answer 500s."""
    if record.migrations_dir is None:
        return False
    table = version_table(record.name)
    connection = await session.connection()
    if not await connection.run_sync(lambda sync: inspect(sync).has_table(table)):
        return True
    at = frozenset((await connection.execute(text(f'SELECT version_num FROM "{table}"'))).scalars())
    return not _heads(record.migrations_dir, record.name) <= at


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
