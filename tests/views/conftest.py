"""Saved view test kit: views and tickets made through the API, views read back."""

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from deskboard.db import Database
from deskboard.views.models import SavedView

MakeView = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
def make_view() -> MakeView:
    """Factory: POST a view as `http` (201 expected) and return its JSON."""

    async def factory(http: httpx.AsyncClient, name: str = "My queue", **fields: Any) -> Any:
        response = await http.post("/api/views", json={"name": name, **fields})
        assert response.status_code == 201, response.text
        return response.json()

    return factory


@pytest.fixture
def make_ticket() -> Callable[..., Awaitable[dict[str, Any]]]:
    async def factory(http: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
        response = await http.post("/api/tickets", json={"title": "Printer jams", **fields})
        assert response.status_code == 201, response.text
        return response.json()

    return factory


async def view_names(http: httpx.AsyncClient) -> list[str]:
    response = await http.get("/api/views")
    assert response.status_code == 200, response.text
    return [view["name"] for view in response.json()]


StoredViews = Callable[[], Awaitable[list[tuple[Any, ...]]]]


@pytest.fixture
def stored_views(database: Database) -> StoredViews:
    """Every stored view as a tuple of its columns, to assert a refused write changed nothing."""

    async def read() -> list[tuple[Any, ...]]:
        async with database.sessionmaker() as session:
            views = (await session.execute(select(SavedView).order_by(SavedView.id))).scalars()
            return [
                (v.id, v.owner_id, v.name, v.filter, v.columns, v.sort, v.shared, v.updated_at)
                for v in views
            ]

    return read
