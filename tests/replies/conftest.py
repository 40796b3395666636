"""Saved reply test kit: replies and tickets made through the API, rows read back."""

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from deskboard.db import Database
from deskboard.replies.models import SavedReply
from tests.teams.conftest import audit_of, make_team, make_user  # noqa: F401  (fixtures)

MakeReply = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
def make_reply() -> MakeReply:
    """Factory: POST a saved reply as `http` (201 expected) and return its JSON."""

    async def factory(http: httpx.AsyncClient, **fields: Any) -> Any:
        body = {"title": "Thanks", "body": "Hi {{ requester.name }}, thanks!", **fields}
        response = await http.post("/api/saved-replies", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    return factory


@pytest.fixture
def make_ticket() -> Callable[..., Awaitable[dict[str, Any]]]:
    async def factory(http: httpx.AsyncClient, **fields: Any) -> Any:
        body = {"title": "Printer jams", "description": "It eats paper.", **fields}
        response = await http.post("/api/tickets", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    return factory


@pytest.fixture
def stored_replies(database: Database) -> Callable[[], Awaitable[list[tuple[Any, ...]]]]:
    """Every stored reply as a tuple of its columns (a refused write must change nothing)."""

    async def read() -> list[tuple[Any, ...]]:
        async with database.sessionmaker() as session:
            rows = (await session.execute(select(SavedReply).order_by(SavedReply.id))).scalars()
            return [
                (
                    r.id,
                    r.title,
                    r.body,
                    r.scope,
                    r.owner_id,
                    r.team_id,
                    r.usage_count,
                    r.last_used_at,
                    r.updated_at,
                )
                for r in rows
            ]

    return read


def titles(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [reply["title"] for reply in response.json()]
