"""Fast bulk writes of generated ticket batches, one transaction per batch.

PostgreSQL: binary COPY through asyncpg (whatever driver the app's URL names), ids reserved from
the tickets' own sequence so it stays in step and concurrent inserts never collide; the
`search_vector` generated column fills itself. SQLite: executemany inside a transaction, so the
FTS5 triggers index every row as it lands.
"""

import json
from abc import ABC, abstractmethod
from typing import Any

import asyncpg
from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import make_url

from deskboard.db import make_engine
from deskboard.seeding.generator import (
    CHANGE_COLUMNS,
    COMMENT_COLUMNS,
    TAG_COLUMNS,
    TICKET_COLUMNS,
    TicketBatch,
)
from deskboard.tickets.models import Comment, Ticket, TicketChange, TicketTag

SEEDED_TABLES = ("tickets", "ticket_tags", "ticket_comments", "ticket_changes")


class BulkWriter(ABC):
    """Writes batches into one database; `finish` refreshes planner statistics."""

    @abstractmethod
    async def reserve_ids(self, count: int) -> list[int]: ...

    @abstractmethod
    async def write(self, batch: TicketBatch) -> None: ...

    @abstractmethod
    async def finish(self) -> None: ...

    @abstractmethod
    async def close(self) -> None: ...


async def open_writer(database_url: str) -> BulkWriter:
    if database_url.startswith("postgresql"):
        return await PostgresWriter.connect(database_url)
    if database_url.startswith("sqlite"):
        return await SqliteWriter.open(database_url)
    raise ValueError(f"seeding supports PostgreSQL and SQLite, not {database_url.split(':')[0]}")


def asyncpg_dsn(database_url: str) -> str:
    """The same database as a plain libpq URL (drops the SQLAlchemy driver name)."""
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


class PostgresWriter(BulkWriter):
    def __init__(self, connection: asyncpg.Connection) -> None:
        self.connection = connection

    @classmethod
    async def connect(cls, database_url: str) -> "PostgresWriter":
        connection = await asyncpg.connect(asyncpg_dsn(database_url))
        # Seeding can be re-run: a crash may lose the last batches, never corrupt anything.
        await connection.execute("SET synchronous_commit = off")
        return cls(connection)

    async def reserve_ids(self, count: int) -> list[int]:
        rows = await self.connection.fetch(
            "SELECT nextval(pg_get_serial_sequence('tickets', 'id')) AS id "
            "FROM generate_series(1, $1)",
            count,
        )
        return [row["id"] for row in rows]

    async def write(self, batch: TicketBatch) -> None:
        copy = self.connection.copy_records_to_table
        async with self.connection.transaction():
            await copy("tickets", records=batch.tickets, columns=TICKET_COLUMNS)
            if batch.tags:
                await copy("ticket_tags", records=batch.tags, columns=TAG_COLUMNS)
            if batch.comments:
                await copy("ticket_comments", records=batch.comments, columns=COMMENT_COLUMNS)
            if batch.changes:
                # asyncpg takes jsonb values as JSON text.
                changes = [
                    (*row[:3], json.dumps(row[3]), json.dumps(row[4]), row[5])
                    for row in batch.changes
                ]
                await copy("ticket_changes", records=changes, columns=CHANGE_COLUMNS)

    async def finish(self) -> None:
        await self.connection.execute(f"ANALYZE {', '.join(SEEDED_TABLES)}")

    async def close(self) -> None:
        await self.connection.close()


class SqliteWriter(BulkWriter):
    """SQLite has one writer at a time: ids continue from the highest one at the start."""

    def __init__(self, database_url: str, next_id: int) -> None:
        self.engine = make_engine(database_url)
        self.next_id = next_id

    @classmethod
    async def open(cls, database_url: str) -> "SqliteWriter":
        writer = cls(database_url, 1)
        async with writer.engine.connect() as connection:
            highest = (await connection.execute(select(func.max(Ticket.id)))).scalar()
        writer.next_id = (highest or 0) + 1
        return writer

    async def reserve_ids(self, count: int) -> list[int]:
        ids = list(range(self.next_id, self.next_id + count))
        self.next_id += count
        return ids

    async def write(self, batch: TicketBatch) -> None:
        async with self.engine.begin() as connection:
            for model, columns, rows in (
                (Ticket, TICKET_COLUMNS, batch.tickets),
                (TicketTag, TAG_COLUMNS, batch.tags),
                (Comment, COMMENT_COLUMNS, batch.comments),
                (TicketChange, CHANGE_COLUMNS, batch.changes),
            ):
                if rows:
                    await connection.execute(insert(model), _as_dicts(columns, rows))

    async def finish(self) -> None:
        async with self.engine.begin() as connection:
            await connection.execute(text("ANALYZE"))

    async def close(self) -> None:
        await self.engine.dispose()


def _as_dicts(columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    return [dict(zip(columns, row, strict=True)) for row in rows]
