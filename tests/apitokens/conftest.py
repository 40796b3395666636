"""API token test kit: tokens minted through the API, and clients that use them."""

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest

MakeToken = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
def make_token(as_admin: httpx.AsyncClient) -> MakeToken:
    """Factory: POST an API token as an admin (201 expected) and return the answer."""

    async def factory(*scopes: str, name: str | None = None) -> Any:
        body = {"name": name or f"CRM {'+'.join(scopes)}", "scopes": list(scopes)}
        response = await as_admin.post("/api/api-tokens", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    return factory


@pytest.fixture
async def token_client(app: object) -> AsyncIterator[Callable[[str], httpx.AsyncClient]]:
    """Factory: a client that sends `Authorization: Bearer <token>`."""
    opened: list[httpx.AsyncClient] = []

    def factory(token: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        http = httpx.AsyncClient(
            transport=transport,
            base_url="http://test",
            headers={"Authorization": f"Bearer {token}".encode()},  # bytes: odd tokens too
        )
        opened.append(http)
        return http

    yield factory
    for http in opened:
        await http.aclose()
