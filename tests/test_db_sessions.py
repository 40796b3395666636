"""The one session dependency: GET and HEAD read without a transaction (no BEGIN/COMMIT round
trips) and may not write; other methods get a unit of work."""

import pytest
from sqlalchemy import event, select, update

from deskboard.auth.models import User
from deskboard.db import STANDALONE_WRITE, Database, WriteInReadOnlySession
from tests.statements import recorded_statements


async def test_a_read_session_refuses_orm_writes(database: Database, make_user) -> None:
    user = await make_user("agent")
    async with database.reading() as session:
        loaded = (await session.execute(select(User).where(User.id == user.id))).scalar_one()
        loaded.name = "Changed in a GET"
        with pytest.raises(WriteInReadOnlySession):
            await session.flush()
    async with database.reading() as session:
        stored = (await session.execute(select(User.name).where(User.id == user.id))).scalar()
    assert stored != "Changed in a GET"


async def test_a_read_session_refuses_dml_but_a_standalone_write_commits(
    database: Database, make_user
) -> None:
    user = await make_user("agent")
    rename = update(User).where(User.id == user.id).values(name="Renamed")
    async with database.reading() as session:
        with pytest.raises(WriteInReadOnlySession):
            await session.execute(rename)
        # No commit follows a read: the bookkeeping statement commits on its own.
        await session.execute(rename.execution_options(**{STANDALONE_WRITE: True}))
    async with database.unit_of_work() as session:
        stored = (await session.execute(select(User.name).where(User.id == user.id))).scalar()
    assert stored == "Renamed"


async def test_a_get_reads_in_autocommit_and_a_post_writes_in_a_transaction(
    database: Database, as_agent
) -> None:
    modes: list[tuple[str, str | None]] = []

    def record(conn, _cursor, statement, *_args) -> None:
        level = conn.get_execution_options().get("isolation_level")
        modes.append((statement.split()[0].upper(), level))

    event.listen(database.engine.sync_engine, "before_cursor_execute", record)
    try:
        # On PostgreSQL the account and the first page run straight on asyncpg (fastsql), on
        # the same autocommit connection; SQLite sends them through SQLAlchemy.
        with recorded_statements(database) as statements:
            assert (await as_agent.get("/api/tickets")).status_code == 200
        assert len(statements) == 2, statements
        assert all(mode == ("SELECT", "AUTOCOMMIT") for mode in modes), modes
        modes.clear()
        created = await as_agent.post("/api/tickets", json={"title": "Printer jam"})
        assert created.status_code == 201, created.text
        assert any(verb == "INSERT" for verb, _ in modes)
        assert all(level is None for _, level in modes), modes
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", record)
