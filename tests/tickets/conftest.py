"""Ticket test helpers: create tickets through the API as a given client."""

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from deskboard.audit.models import AuditEntry
from deskboard.db import Database
from deskboard.tickets.models import Comment, Ticket, TicketChange, TicketTag

MakeTicket = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
def make_ticket() -> MakeTicket:
    """Factory: POST a ticket as `http` and return its JSON."""

    async def factory(http: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
        body = {"title": "Printer on floor 3 jams", "description": "It eats paper.", **fields}
        response = await http.post("/api/tickets", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    return factory


Snapshot = Callable[[], Awaitable[dict[str, Any]]]


@pytest.fixture
def snapshot(database: Database) -> Snapshot:
    """Everything the ticket domain stores, to assert a refused request changed nothing."""

    async def take() -> dict[str, Any]:
        async with database.sessionmaker() as session:
            tickets = (await session.execute(select(Ticket).order_by(Ticket.id))).scalars()
            rows = [
                (t.id, t.title, t.description, t.status, t.priority, t.assignee_id, t.version)
                for t in tickets
            ]
            counts = {
                model.__name__: (
                    await session.execute(select(func.count()).select_from(model))
                ).scalar_one()
                for model in (Ticket, TicketTag, Comment, TicketChange, AuditEntry)
            }
        return {"tickets": rows, "counts": counts}

    return take
