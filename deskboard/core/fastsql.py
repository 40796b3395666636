"""Hot-path reads straight on the asyncpg connection under a session.

Every request reads its caller's account and most read a ticket page. Through SQLAlchemy's
execution and result layers each statement costs about 0.3 ms of CPU more than asyncpg alone
(bench/REPORT.md, "Speed against the floor"), a third of a list request. For statements that
are built once and reused (module constants, the list's cached first pages), this compiles the
statement once for asyncpg and runs it with asyncpg's own prepared-statement cache. Other
drivers (SQLite) and one-off statements take the ordinary path. Same SQL, same parameters,
same connection as the session's (in a unit of work that has not yet sent a statement, the read
runs before its transaction begins: as READ COMMITTED would see it anyway).
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Dialect, Select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.compiler import SQLCompiler


@dataclass(frozen=True)
class _Prepared:
    sql: str
    compiled: SQLCompiler
    names: tuple[str, ...]

    def arguments(self, params: Mapping[str, Any] | None) -> list[Any]:
        values = self.compiled.construct_params(dict(params or {}), escape_names=False) or {}
        processors: Mapping[str, Any] = self.compiled._bind_processors  # the dialect's conversions
        arguments = []
        for name in self.names:
            value = values[name]
            processor = processors.get(name)
            arguments.append(processor(value) if processor is not None else value)
        return arguments


# Called with each statement run here, as SQLAlchemy's before_cursor_execute is for the others
# (tests count a request's statements with both).
statement_listeners: list[Callable[[str], None]] = []

# Keyed by the statement object: callers pass long-lived statements only.
_PREPARED: "WeakKeyDictionary[Select[Any], _Prepared]" = WeakKeyDictionary()


def _prepare(stmt: Select[Any], dialect: Dialect) -> _Prepared:
    prepared = _PREPARED.get(stmt)
    if prepared is None:
        compiled = stmt.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
        assert isinstance(compiled, SQLCompiler)
        prepared = _PREPARED[stmt] = _Prepared(
            sql=str(compiled), compiled=compiled, names=tuple(compiled.positiontup or ())
        )
    return prepared


# Session.info key: the session's transaction and its asyncpg connection, found once per
# transaction (asking the session costs two greenlet round trips per statement).
_DRIVER = "deskboard_fastsql_driver"


async def _asyncpg_connection(session: AsyncSession) -> tuple[Dialect, Any] | None:
    """The dialect and asyncpg connection under the session's transaction; None on other
    drivers."""
    cached = session.info.get(_DRIVER)
    if cached is not None and cached[0] is session.sync_session.get_transaction():
        return cached[1], cached[2]
    connection = await session.connection()
    if connection.dialect.driver != "asyncpg":
        return None
    raw = await connection.get_raw_connection()
    transaction = session.sync_session.get_transaction()
    session.info[_DRIVER] = (transaction, connection.dialect, raw.driver_connection)
    return connection.dialect, raw.driver_connection


async def fetch_rows(
    session: AsyncSession, stmt: Select[Any], params: Mapping[str, Any] | None = None
) -> Sequence[Sequence[Any]]:
    """All rows of a long-lived SELECT of plain columns, as sequences in column order (asyncpg
    records, or SQLAlchemy rows on other drivers). Access columns by position."""
    found = await _asyncpg_connection(session)
    if found is None:
        return (await (await session.connection()).execute(stmt, params)).all()
    dialect, driver = found
    prepared = _prepare(stmt, dialect)
    for listener in statement_listeners:
        listener(prepared.sql)
    try:
        rows: Sequence[Sequence[Any]] = await driver.fetch(
            prepared.sql, *prepared.arguments(params)
        )
    except Exception:
        # Run it again the ordinary way: SQLAlchemy then translates the driver's error as for
        # any statement (a lost connection invalidates the pool; "starting up" becomes 503).
        # A SELECT may safely run twice.
        session.info.pop(_DRIVER, None)
        connection = await session.connection()
        return (await connection.execute(stmt, params)).all()
    return rows
