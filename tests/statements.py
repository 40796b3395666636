"""Count the SQL statements a piece of code sends, whichever path sends them (SQLAlchemy's
execution, or core/fastsql.py straight on asyncpg)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from deskboard.core import fastsql
from deskboard.db import Database


@contextmanager
def recorded_statements(database: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def through_sqlalchemy(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(database.engine.sync_engine, "before_cursor_execute", through_sqlalchemy)
    fastsql.statement_listeners.append(statements.append)
    try:
        yield statements
    finally:
        fastsql.statement_listeners.remove(statements.append)
        event.remove(database.engine.sync_engine, "before_cursor_execute", through_sqlalchemy)
