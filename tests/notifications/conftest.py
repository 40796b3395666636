"""Notification test kit: tickets made through the API, feeds read back, the sweep on demand."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from deskboard.db import Database
from deskboard.notifications.models import Notification
from deskboard.tickets.models import Ticket

# The realtime kit (a real server and sockets), for the `notification` event tests.
from tests.realtime.conftest import emit, open_socket, ws_url  # noqa: F401

MakeTicket = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
def make_ticket() -> MakeTicket:
    """Factory: POST a ticket as `http` and return its JSON."""

    async def factory(http: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
        response = await http.post("/api/tickets", json={"title": "Printer jams", **fields})
        assert response.status_code == 201, response.text
        return response.json()

    return factory


async def put(http: httpx.AsyncClient, ticket: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """PUT changed fields at the ticket's current version; return the new ticket."""
    current = (await http.get(f"/api/tickets/{ticket['id']}")).json()
    response = await http.put(
        f"/api/tickets/{ticket['id']}", json={"version": current["version"], **fields}
    )
    assert response.status_code == 200, response.text
    return response.json()


async def comment(
    http: httpx.AsyncClient, ticket: dict[str, Any], body: str, *, internal: bool = False
) -> dict[str, Any]:
    response = await http.post(
        f"/api/tickets/{ticket['id']}/comments", json={"body": body, "internal": internal}
    )
    assert response.status_code == 201, response.text
    return response.json()


async def feed(http: httpx.AsyncClient, **params: Any) -> dict[str, Any]:
    response = await http.get("/api/notifications", params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def kinds(http: httpx.AsyncClient) -> list[tuple[str, int | None]]:
    """(kind, ticket_id) of the caller's notifications, oldest first."""
    return [(item["kind"], item["ticket_id"]) for item in reversed((await feed(http))["items"])]


Stored = Callable[[], Awaitable[list[tuple[int, str, int | None]]]]


@pytest.fixture
def stored(database: Database) -> Stored:
    """Every stored notification as (recipient_id, kind, ticket_id), in id order."""

    async def read() -> list[tuple[int, str, int | None]]:
        async with database.sessionmaker() as session:
            rows = await session.execute(
                select(
                    Notification.recipient_id, Notification.kind, Notification.ticket_id
                ).order_by(Notification.id)
            )
            return [tuple(row) for row in rows.all()]  # type: ignore[misc]

    return read


@pytest.fixture
def set_due(database: Database) -> Callable[[int, timedelta | None], Awaitable[None]]:
    """Set a ticket's due date to now + delta (None: no due date), bypassing the API."""

    async def write(ticket_id: int, delta: timedelta | None) -> None:
        due = None if delta is None else datetime.now(UTC) + delta
        async with database.unit_of_work() as session:
            await session.execute(update(Ticket).where(Ticket.id == ticket_id).values(due_at=due))

    return write
