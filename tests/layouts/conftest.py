"""Layout tests create many users; hash the shared test password once, not per user."""

import itertools
from functools import cache

import pytest

from deskboard.auth.models import User
from deskboard.auth.security import hash_password
from deskboard.db import Database
from tests.conftest import TEST_PASSWORD, MakeUser

_numbers = itertools.count(1)


@cache
def _test_password_hash() -> str:
    return hash_password(TEST_PASSWORD)


@pytest.fixture
def make_user(database: Database) -> MakeUser:
    """Like the harness's factory, but without an argon2 hash per user."""

    async def factory(role: str = "user", *, name: str | None = None, **_: object) -> User:
        number = next(_numbers)
        user = User(
            email=f"layout-{role}{number}@example.test",
            name=name or f"{role} {number}",
            role=role,
            password_hash=_test_password_hash(),
            is_active=True,
        )
        async with database.unit_of_work() as session:
            session.add(user)
        return user

    return factory
