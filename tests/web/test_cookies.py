"""The refresh cookie: Secure under https (direct or via a trusted proxy); Origin checked."""

import httpx
import pytest

from tests.auth.helpers import REFRESH_COOKIE, login, refresh_cookie, refresh_with
from tests.conftest import TEST_PASSWORD
from tests.web.conftest import deskboard_serve


def _cookie_flags(response: httpx.Response) -> list[str]:
    header = response.headers["set-cookie"]
    return [part.strip().lower() for part in header.split(";")[1:]]


async def test_cookie_is_secure_when_the_request_came_over_https(client_with, make_user):
    user = await make_user()
    http = await client_with(base_url="https://test")

    response = await login(http, user.email)

    assert response.status_code == 200
    assert "secure" in _cookie_flags(response)
    assert {"httponly", "samesite=strict", "path=/api/auth"} <= set(_cookie_flags(response))


async def test_cookie_is_not_secure_over_plain_http_outside_production(client_with, make_user):
    user = await make_user()
    http = await client_with()

    assert "secure" not in _cookie_flags(await login(http, user.email))


async def test_cookie_is_secure_when_a_trusted_proxy_says_https(client_with, make_user):
    user = await make_user()
    behind_proxy = await client_with(peer="10.0.0.5", trusted_proxies=["10.0.0.5"])
    spoofing = await client_with(peer="192.0.2.9", trusted_proxies=["10.0.0.5"])
    https = {"X-Forwarded-Proto": "https"}
    body = {"email": user.email, "password": TEST_PASSWORD}

    proxied = await behind_proxy.post("/api/auth/login", json=body, headers=https)
    spoofed = await spoofing.post("/api/auth/login", json=body, headers=https)

    assert "secure" in _cookie_flags(proxied)
    assert "secure" not in _cookie_flags(spoofed)


async def test_logout_clears_the_cookie_with_the_same_flags(client_with, make_user):
    user = await make_user()
    http = await client_with(base_url="https://test")
    await login(http, user.email)

    response = await http.post("/api/auth/logout", headers={"Origin": "https://test"})

    assert response.status_code == 204
    assert "secure" in _cookie_flags(response)
    assert "max-age=0" in _cookie_flags(response)


@pytest.mark.parametrize(
    "origin",
    ["https://evil.example", "http://test.evil.example", "https://test", "http://test:81", "null"],
)
async def test_refresh_from_another_origin_is_refused_and_rotates_nothing(
    client, make_user, origin
):
    user = await make_user()
    token = refresh_cookie(await login(client, user.email))
    client.cookies.clear()

    refused = await client.post(
        "/api/auth/refresh",
        headers={"Cookie": f"{REFRESH_COOKIE}={token}", "Origin": origin},
    )

    assert refused.status_code == 403
    assert refused.json() == {"detail": "Cross-origin request refused"}
    assert "set-cookie" not in refused.headers
    # The token was not spent: its owner's own page still refreshes with it.
    assert (await refresh_with(client, token)).status_code == 200


async def test_logout_from_another_origin_is_refused_and_keeps_the_session(client, make_user):
    user = await make_user()
    token = refresh_cookie(await login(client, user.email))

    refused = await client.post("/api/auth/logout", headers={"Origin": "https://evil.example"})

    assert refused.status_code == 403
    assert (await refresh_with(client, token)).status_code == 200


@pytest.mark.parametrize("origin", ["http://test", "HTTP://TEST", "http://test:80", None])
async def test_refresh_from_the_apps_own_origin_or_without_origin_works(client, make_user, origin):
    user = await make_user()
    token = refresh_cookie(await login(client, user.email))
    client.cookies.clear()
    headers = {"Cookie": f"{REFRESH_COOKIE}={token}"}
    if origin:
        headers["Origin"] = origin

    assert (await client.post("/api/auth/refresh", headers=headers)).status_code == 200


async def test_own_origin_is_the_one_seen_through_a_trusted_proxy(client_with, make_user):
    user = await make_user()
    http = await client_with(
        peer="10.0.0.5", trusted_proxies=["10.0.0.5"], allowed_hosts=["desk.example.com"]
    )
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "desk.example.com"}
    token = refresh_cookie(
        await http.post(
            "/api/auth/login",
            json={"email": user.email, "password": TEST_PASSWORD},
            headers=forwarded,
        )
    )
    http.cookies.clear()
    cookie = {"Cookie": f"{REFRESH_COOKIE}={token}"}

    internal = await http.post(
        "/api/auth/refresh", headers={**forwarded, **cookie, "Origin": "http://test"}
    )
    public = await http.post(
        "/api/auth/refresh",
        headers={**forwarded, **cookie, "Origin": "https://desk.example.com"},
    )

    assert internal.status_code == 403
    assert public.status_code == 200


async def test_deskboard_serve_speaks_tls(self_signed, make_user):
    user = await make_user()
    with deskboard_serve(tls=self_signed) as served, served.client() as http:
        health = http.get("/healthz")
        signed_in = http.post(
            "/api/auth/login", json={"email": user.email, "password": TEST_PASSWORD}
        )
        cross = http.post("/api/auth/refresh", headers={"Origin": "https://evil.example"})
        own = http.post("/api/auth/refresh", headers={"Origin": served.base_url})

    assert health.status_code == 200
    assert health.url.scheme == "https"
    assert health.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "server" not in health.headers  # uvicorn's banner is off
    assert signed_in.status_code == 200
    assert "secure" in _cookie_flags(signed_in)
    assert cross.status_code == 403
    assert own.status_code == 200
