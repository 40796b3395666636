"""Alembic environment for one plugin's own migrations: its revision files live in the plugin
(version_locations), its version table is `alembic_version_<plugin>` (never the core's)."""

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from deskboard.db import make_engine

config = context.config
VERSION_TABLE = config.get_main_option("version_table") or "alembic_version_plugin"


def run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=None,
        render_as_batch=True,  # SQLite can only alter tables by copying them
        version_table=VERSION_TABLE,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_async() -> None:
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    async with engine.connect() as connection:
        await connection.run_sync(run_with)
    await engine.dispose()


asyncio.run(run_async())
