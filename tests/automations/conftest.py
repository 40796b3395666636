"""Automation test kit: a fast user factory, teams and rules made through the API."""

import functools
import itertools
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from deskboard.auth.models import User
from deskboard.auth.security import hash_password
from deskboard.automations.models import AutomationRun
from deskboard.db import Database
from tests.conftest import TEST_PASSWORD

_emails = itertools.count(1)


@functools.cache
def _password_hash() -> str:
    return hash_password(TEST_PASSWORD)


@pytest.fixture
def make_user(database: Database) -> Callable[..., Awaitable[User]]:
    """The harness's user factory with the test password hashed once."""

    async def factory(
        role: str = "user", *, name: str | None = None, is_active: bool = True, away: bool = False
    ) -> User:
        number = next(_emails)
        user = User(
            email=f"auto-{role}{number}@example.test",
            name=name or f"{role} {number}",
            role=role,
            password_hash=_password_hash(),
            is_active=is_active,
            away=away,
        )
        async with database.unit_of_work() as session:
            session.add(user)
        return user

    return factory


Make = Callable[..., Awaitable[dict[str, Any]]]


async def _created(response: httpx.Response) -> Any:
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
def make_team() -> Make:
    names = itertools.count(1)

    async def factory(http: httpx.AsyncClient, member_ids: list[int]) -> Any:
        body = {"name": f"Team {next(names)}", "member_ids": member_ids}
        return await _created(await http.post("/api/teams", json=body))

    return factory


@pytest.fixture
def make_rule() -> Make:
    names = itertools.count(1)

    async def factory(http: httpx.AsyncClient, **fields: Any) -> Any:
        body = {"name": f"Rule {next(names)}", "when": "ticket.created", **fields}
        return await _created(await http.post("/api/automations", json=body))

    return factory


@pytest.fixture
def make_ticket() -> Make:
    async def factory(http: httpx.AsyncClient, **fields: Any) -> Any:
        body = {"title": "Printer on fire", **fields}
        return await _created(await http.post("/api/tickets", json=body))

    return factory


@pytest.fixture
def runs_of(database: Database) -> Callable[[int], Awaitable[list[AutomationRun]]]:
    async def read(automation_id: int) -> list[AutomationRun]:
        async with database.sessionmaker() as session:
            stmt = (
                select(AutomationRun)
                .where(AutomationRun.automation_id == automation_id)
                .order_by(AutomationRun.id)
            )
            return list((await session.execute(stmt)).scalars())

    return read
