"""Small helpers shared by the auth tests."""

import httpx

from tests.conftest import TEST_PASSWORD

REFRESH_COOKIE = "deskboard_refresh"


async def login(
    client: httpx.AsyncClient, email: str, password: str = TEST_PASSWORD
) -> httpx.Response:
    return await client.post("/api/auth/login", json={"email": email, "password": password})


def refresh_cookie(response: httpx.Response) -> str:
    """The refresh token a response set (read from Set-Cookie, not from the client's jar)."""
    return response.cookies[REFRESH_COOKIE]


async def refresh_with(client: httpx.AsyncClient, token: str) -> httpx.Response:
    """Present exactly this refresh token, as a browser (or a thief) holding it would."""
    client.cookies.clear()
    return await client.post("/api/auth/refresh", headers={"Cookie": f"{REFRESH_COOKIE}={token}"})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
