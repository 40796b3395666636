"""Team test kit: a fast user factory, teams made through the API, rows read back."""

import functools
import itertools
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from deskboard.audit.models import AuditEntry
from deskboard.auth.models import User
from deskboard.auth.security import hash_password
from deskboard.db import Database
from deskboard.teams.models import Team, TeamMember
from tests.conftest import TEST_PASSWORD

_emails = itertools.count(1)


@functools.cache
def _password_hash() -> str:
    return hash_password(TEST_PASSWORD)


@pytest.fixture
def make_user(database: Database) -> Callable[..., Awaitable[User]]:
    """The harness's user factory with the test password hashed once (no test here signs in
    with a password; argon2id per user made them slow)."""

    async def factory(
        role: str = "user", *, name: str | None = None, is_active: bool = True
    ) -> User:
        number = next(_emails)
        user = User(
            email=f"team-{role}{number}@example.test",
            name=name or f"{role} {number}",
            role=role,
            password_hash=_password_hash(),
            is_active=is_active,
        )
        async with database.unit_of_work() as session:
            session.add(user)
        return user

    return factory


MakeTeam = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
def make_team() -> MakeTeam:
    """Factory: POST a team as `http` (an admin's client; 201 expected) and return its JSON."""
    names = itertools.count(1)

    async def factory(http: httpx.AsyncClient, **fields: Any) -> Any:
        body = {"name": f"Team {next(names)}", **fields}
        response = await http.post("/api/teams", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    return factory


Stored = Callable[[], Awaitable[Any]]


@pytest.fixture
def stored_teams(database: Database) -> Stored:
    """Every team and membership as tuples (a refused write must change nothing)."""

    async def read() -> tuple[list[tuple[Any, ...]], list[tuple[int, int]]]:
        async with database.sessionmaker() as session:
            teams = (await session.execute(select(Team).order_by(Team.id))).scalars()
            members = await session.execute(
                select(TeamMember.team_id, TeamMember.user_id).order_by(
                    TeamMember.team_id, TeamMember.user_id
                )
            )
            return (
                [(t.id, t.name, t.restrict_visibility, t.updated_at) for t in teams],
                [tuple(row) for row in members.all()],
            )

    return read


@pytest.fixture
def audit_of(database: Database) -> Callable[[str], Awaitable[list[AuditEntry]]]:
    async def read(entity_type: str) -> list[AuditEntry]:
        async with database.sessionmaker() as session:
            stmt = (
                select(AuditEntry)
                .where(AuditEntry.entity_type == entity_type)
                .order_by(AuditEntry.id)
            )
            return list((await session.execute(stmt)).scalars())

    return read
