"""Role x endpoint matrices: one row per endpoint, one parametrized test case per cell.

ROWS = [Endpoint("GET", "/api/things", expect(admin=200, agent=200, user=403, guest=403))]

@pytest.mark.parametrize(("role", "endpoint", "status"), cells(ROWS))
async def test_matrix(role, endpoint, status, client, client_as):
    http = await client_for(role, client, client_as)
    assert (await endpoint.call(http)).status_code == status
"""

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

ROLES = ("admin", "agent", "user", "guest", "anonymous")


def expect(
    *, admin: int, agent: int, user: int, guest: int, anonymous: int = 401
) -> dict[str, int]:
    """The expected status for every role (anonymous: no token at all)."""
    return {"admin": admin, "agent": agent, "user": user, "guest": guest, "anonymous": anonymous}


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # may hold {placeholders}, filled by call(**values)
    expected: Mapping[str, int]
    body: Any = None

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    async def call(self, http: httpx.AsyncClient, **values: object) -> httpx.Response:
        kwargs = {} if self.body is None else {"json": self.body}
        return await http.request(self.method, self.path.format(**values), **kwargs)


def cells(endpoints: Iterable[Endpoint]) -> list[Any]:
    """One pytest param (role, endpoint, expected status) per cell, e.g. id 'agent-GET /api/x'."""
    params = []
    for endpoint in endpoints:
        missing = set(ROLES) - set(endpoint.expected)
        if missing:
            raise ValueError(f"{endpoint}: no expected status for {sorted(missing)}")
        for role in ROLES:
            params.append(
                pytest.param(role, endpoint, endpoint.expected[role], id=f"{role}-{endpoint}")
            )
    return params


async def client_for(
    role: str,
    anonymous: httpx.AsyncClient,
    client_as: Callable[[str], Awaitable[httpx.AsyncClient]],
) -> httpx.AsyncClient:
    """A client signed in with the role, or the plain client for 'anonymous'."""
    return anonymous if role == "anonymous" else await client_as(role)
