"""Seeding into the test database (SQLite or PostgreSQL): rows, enums, timestamps, tags, search."""

import httpx
from sqlalchemy import func, select

from deskboard.auth.models import User
from deskboard.db import Database
from deskboard.seeding.service import seed_tickets
from deskboard.seeding.vocabulary import TAGS
from deskboard.tickets.filters import TicketPriority, TicketStatus
from deskboard.tickets.models import Comment, Ticket, TicketChange, TicketTag
from tests.conftest import RoleClient


async def seed(database: Database, count: int, **kwargs: object) -> None:
    url = database.engine.url.render_as_string(hide_password=False)
    result = await seed_tickets(url, count=count, batch_size=70, seed=7, **kwargs)
    assert result.tickets == count


async def scalar(database: Database, stmt: object) -> object:
    async with database.sessionmaker() as session:
        return await session.scalar(stmt)  # type: ignore[call-overload]


async def test_seeding_n_tickets_gives_n_consistent_rows(database: Database) -> None:
    await seed(database, 250, detail_rate=0.5)
    async with database.sessionmaker() as session:
        tickets = list(await session.scalars(select(Ticket)))
        tags = list(await session.scalars(select(TicketTag.tag)))
        comments = await session.scalar(select(func.count()).select_from(Comment))
        changes = await session.scalar(select(func.count()).select_from(TicketChange))
        roles = dict(
            (await session.execute(select(User.role, func.count()).group_by(User.role))).all()
        )
    assert len(tickets) == 250
    assert {t.status for t in tickets} <= {s.value for s in TicketStatus}
    assert {t.priority for t in tickets} <= {p.value for p in TicketPriority}
    for ticket in tickets:
        assert ticket.number == ticket.id
        assert ticket.created_at <= ticket.updated_at
        assert ticket.due_at is not None and ticket.due_at > ticket.created_at
        if ticket.status in ("resolved", "closed"):
            assert ticket.resolved_at is not None
            assert ticket.created_at <= ticket.resolved_at <= ticket.updated_at
        else:
            assert ticket.resolved_at is None
    assert tags and set(tags) <= set(TAGS)
    assert comments and changes
    # Requesters are users and assignees agents, created for the occasion.
    assert roles["user"] >= 50 and roles["agent"] >= 8


async def test_seeding_again_adds_and_reuses_the_people(database: Database) -> None:
    await seed(database, 100)
    users = await scalar(database, select(func.count()).select_from(User))
    await seed(database, 60)
    assert await scalar(database, select(func.count()).select_from(Ticket)) == 160
    assert await scalar(database, select(func.count()).select_from(User)) == users
    numbers = await scalar(database, select(func.count(func.distinct(Ticket.number))))
    assert numbers == 160


async def test_the_api_creates_tickets_after_a_bulk_load(
    database: Database, as_user: RoleClient
) -> None:
    """Ids and numbers stay in step with what the service assigns (the sequence on PostgreSQL)."""
    await seed(database, 120)
    highest = await scalar(database, select(func.max(Ticket.id)))
    created = await as_user.post("/api/tickets", json={"title": "Printer on fire"})
    assert created.status_code == 201, created.text
    assert created.json()["number"] == created.json()["id"] > highest  # type: ignore[operator]


async def test_full_text_search_finds_seeded_words(
    database: Database, as_agent: RoleClient
) -> None:
    await seed(database, 200)
    async with database.sessionmaker() as session:
        ticket = await session.scalar(
            select(Ticket).where(Ticket.title.like("Invoice #%")).order_by(Ticket.id).limit(1)
        )
        vpn = await session.scalar(
            select(func.count()).select_from(Ticket).where(Ticket.title.like("%VPN%"))
        )
    assert ticket is not None and vpn
    invoice = ticket.title.split("#")[1].split()[0]
    found = await as_agent.get("/api/tickets", params={"q": invoice})
    assert found.status_code == 200, found.text
    assert ticket.id in {item["id"] for item in found.json()["items"]}

    listed = await all_pages(as_agent, {"q": "vpn", "limit": "200"})
    # Every ticket with VPN in its title is found (descriptions may add more).
    assert len(listed) >= vpn  # type: ignore[operator]
    assert all("vpn" in (item["title"] + item["description"]).lower() for item in listed)


async def test_seeded_tickets_are_filtered_by_tag_and_status(
    database: Database, as_agent: RoleClient
) -> None:
    await seed(database, 150)
    async with database.sessionmaker() as session:
        billing = await session.scalar(
            select(func.count()).select_from(TicketTag).where(TicketTag.tag == "billing")
        )
        open_count = await session.scalar(
            select(func.count()).select_from(Ticket).where(Ticket.status == "open")
        )
    tagged = await all_pages(as_agent, {"tag": "billing", "limit": "200"})
    assert len(tagged) == billing and all("billing" in item["tags"] for item in tagged)
    opened = await all_pages(as_agent, {"status": "open", "limit": "200"})
    assert len(opened) == open_count


async def all_pages(http: httpx.AsyncClient, params: dict[str, str]) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    cursor: str | None = None
    while True:
        page = await http.get(
            "/api/tickets", params={**params, **({"cursor": cursor} if cursor else {})}
        )
        assert page.status_code == 200, page.text
        items += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return items
