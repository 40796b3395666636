"""Ticket test helpers: create tickets through the API as a given client."""

import functools
import itertools
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update

from deskboard.audit.models import AuditEntry
from deskboard.auth.models import User
from deskboard.auth.security import hash_password
from deskboard.db import Database
from deskboard.tickets.models import Comment, Ticket, TicketChange, TicketTag
from tests.conftest import TEST_PASSWORD

_emails = itertools.count(1)


@functools.cache
def _password_hash() -> str:
    return hash_password(TEST_PASSWORD)


@pytest.fixture
def make_user(database: Database) -> Callable[..., Awaitable[User]]:
    """The harness's user factory, hashing the one test password once: ticket tests never sign
    in with a password, and argon2id per user made them slow."""

    async def factory(
        role: str = "user", *, name: str | None = None, is_active: bool = True
    ) -> User:
        number = next(_emails)
        user = User(
            email=f"ticket-{role}{number}@example.test",
            name=name or f"{role} {number}",
            role=role,
            password_hash=_password_hash(),
            is_active=is_active,
        )
        async with database.unit_of_work() as session:
            session.add(user)
        return user

    return factory


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


@pytest.fixture
def set_ticket_fields(database: Database) -> Callable[..., Awaitable[None]]:
    """Write columns directly (e.g. created_at in the past), bypassing the API's rules."""

    async def write(ticket_id: int, **values: Any) -> None:
        async with database.unit_of_work() as session:
            await session.execute(update(Ticket).where(Ticket.id == ticket_id).values(**values))

    return write
