"""ticket_day_counts (PostgreSQL's pre-aggregated counts) stays equal to counting the tickets,
and the analytics figures read from it equal the ones counted from the tickets."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select, text, update

from deskboard.analytics import summary
from deskboard.analytics.models import TicketDayCount
from deskboard.analytics.parallel import run_figures
from deskboard.auth.models import User
from deskboard.tickets.filters import TicketFilter
from deskboard.tickets.models import Ticket
from tests.analytics.helpers import get_json


async def _summary_rows(database) -> dict[tuple[str, str, str], int]:
    async with database.unit_of_work() as session:
        rows = (
            await session.execute(
                select(
                    TicketDayCount.day,
                    TicketDayCount.status,
                    TicketDayCount.priority,
                    TicketDayCount.tickets,
                ).where(TicketDayCount.tickets != 0)
            )
        ).all()
    return {(str(day), status, priority): n for day, status, priority, n in rows}


async def _counted_rows(database) -> dict[tuple[str, str, str], int]:
    day = func.date(func.timezone("UTC", Ticket.created_at))
    async with database.unit_of_work() as session:
        rows = (
            await session.execute(
                select(day, Ticket.status, Ticket.priority, func.count()).group_by(
                    day, Ticket.status, Ticket.priority
                )
            )
        ).all()
    return {(str(d), status, priority): n for d, status, priority, n in rows}


async def test_day_counts_follow_inserts_updates_deletes_and_truncate(
    database, is_postgres, desk, as_agent, as_admin
):
    if not is_postgres:
        pytest.skip("SQLite keeps no summary: analytics counts the tickets there")
    assert await _summary_rows(database) == await _counted_rows(database)

    # Through the API: a new ticket, a status change, a priority change, a deletion.
    created = await as_agent.post("/api/tickets", json={"title": "Printer on fire"})
    assert created.status_code == 201, created.text
    ticket = created.json()
    changed = await as_agent.put(
        f"/api/tickets/{ticket['id']}",
        json={"version": ticket["version"], "status": "open", "priority": "high"},
    )
    assert changed.status_code == 200, changed.text
    assert (await as_admin.delete(f"/api/tickets/{desk.ids['t3']}")).status_code == 204
    assert await _summary_rows(database) == await _counted_rows(database)

    # Straight SQL: many rows in one statement, a moved creation day, then a truncate.
    async with database.unit_of_work() as session:
        await session.execute(update(Ticket).values(status="closed"))
        await session.execute(
            update(Ticket)
            .where(Ticket.id == desk.ids["t1"])
            .values(created_at=datetime.now(UTC) - timedelta(days=400))
        )
        await session.execute(delete(Ticket).where(Ticket.id == desk.ids["t6"]))
    assert await _summary_rows(database) == await _counted_rows(database)
    async with database.unit_of_work() as session:
        await session.execute(text("TRUNCATE tickets CASCADE"))
    assert await _summary_rows(database) == {}


async def test_figures_from_the_summary_equal_counting_the_tickets(desk):
    """The same answers whichever way they are computed (the requester's are always counted)."""
    for ticket_filter in ({}, {"status": ["open", "new"]}, {"priority": ["normal", "urgent"]}):
        staff = await get_json(desk.agent, "/api/analytics/by-status", filter=ticket_filter)
        # A filter on the requester forces counting tickets; it selects every ticket here.
        everyone = [desk.requester.user.id, desk.other_requester_id]
        counted = await get_json(
            desk.agent,
            "/api/analytics/by-status",
            filter={**ticket_filter, "requester_id": everyone},
        )
        assert [s["count"] for s in staff["segments"]] == [s["count"] for s in counted["segments"]]


async def test_summary_is_used_only_when_it_counts_exactly_the_filtered_tickets():
    class _Session:
        def __init__(self, dialect: str):
            self.dialect = dialect

        def get_bind(self):
            return type("Bind", (), {"dialect": type("D", (), {"name": self.dialect})})()

    # An admin: no restricted team hides anything (an agent's hidden teams need a database:
    # tests/teams/test_team_visibility.py).
    agent = User(id=1, role="admin", email="a@example.com", name="A")
    requester = User(id=2, role="user", email="u@example.com", name="U")
    pg, lite = _Session("postgresql"), _Session("sqlite")
    plain = TicketFilter.model_validate(
        {"status": ["open"], "priority": ["high"], "created": {"from": "2026-01-01"}}
    )
    assert await summary.usable(pg, plain, agent)  # type: ignore[arg-type]
    assert not await summary.usable(lite, plain, agent)  # type: ignore[arg-type]
    assert not await summary.usable(pg, plain, requester)  # type: ignore[arg-type]
    for narrowing in (
        {"assignee_id": ["me"]},
        {"requester_id": [2]},
        {"team_id": ["none"]},
        {"tag": ["vip"]},
        {"q": "printer"},
        {"overdue": False},
    ):
        narrowed = TicketFilter.model_validate(narrowing)
        assert not await summary.usable(pg, narrowed, agent), narrowing  # type: ignore[arg-type]


async def test_run_figures_keeps_the_order_on_both_databases(database):
    async def constant(value: int):
        async def figure(session):
            return (await session.execute(select(value))).scalar_one()

        return figure

    figures = [await constant(n) for n in range(6)]
    async with database.unit_of_work() as session:
        assert await run_figures(session, figures) == list(range(6))
