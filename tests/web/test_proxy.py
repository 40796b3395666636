"""DESKBOARD_TRUSTED_PROXIES: forwarded headers believed from trusted peers only."""

from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from deskboard.config import get_settings
from deskboard.web.proxy import ForwardedHeaders, TrustedProxies, parse_address
from tests.web.conftest import deskboard_serve


async def _echo(request: Request) -> JSONResponse:
    return JSONResponse(
        {
            "client": request.client.host if request.client else None,
            "scheme": request.url.scheme,
            "host": request.headers.get("host"),
            "forwarded": [k for k in request.headers if k.startswith("x-forwarded-")],
        }
    )


async def _seen(
    trusted: list[str], peer: str, headers: dict[str, str] | list[tuple[str, str]]
) -> dict[str, Any]:
    app = ForwardedHeaders(Starlette(routes=[Route("/", _echo)]), trusted=trusted)
    transport = httpx.ASGITransport(app=app, client=(peer, 5555))
    async with httpx.AsyncClient(transport=transport, base_url="http://direct.test") as http:
        response = await http.get("/", headers=headers)
    return response.json()


SPOOF = {
    "X-Forwarded-For": "6.6.6.6",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "evil.example",
}


async def test_by_default_no_peer_is_trusted_not_even_loopback():
    seen = await _seen([], "127.0.0.1", SPOOF)

    assert seen == {
        "client": "127.0.0.1",
        "scheme": "http",
        "host": "direct.test",
        "forwarded": [],  # dropped, so nothing further down can read them
    }


async def test_an_untrusted_peer_cannot_choose_its_address_scheme_or_host():
    seen = await _seen(["10.0.0.0/8"], "192.0.2.7", SPOOF)

    assert (seen["client"], seen["scheme"], seen["host"]) == ("192.0.2.7", "http", "direct.test")


async def test_a_trusted_proxy_gives_the_client_address_scheme_and_host():
    seen = await _seen(
        ["10.0.0.5"],
        "10.0.0.5",
        {
            "X-Forwarded-For": "203.0.113.9",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "desk.example.com",
        },
    )

    assert (seen["client"], seen["scheme"], seen["host"]) == (
        "203.0.113.9",
        "https",
        "desk.example.com",
    )


async def test_the_rightmost_untrusted_hop_wins_over_what_the_client_prepended():
    # The client sent "6.6.6.6" itself; our proxies appended the address they saw.
    seen = await _seen(
        ["10.0.0.0/8"], "10.0.0.3", {"X-Forwarded-For": "6.6.6.6, 198.51.100.4, 10.0.0.2"}
    )

    assert seen["client"] == "198.51.100.4"


async def test_repeated_forwarded_for_headers_are_one_list():
    seen = await _seen(
        ["10.0.0.0/8"],
        "10.0.0.3",
        [("X-Forwarded-For", "6.6.6.6"), ("X-Forwarded-For", "198.51.100.4, 10.0.0.2")],
    )

    assert seen["client"] == "198.51.100.4"


async def test_when_every_hop_is_trusted_the_leftmost_is_the_client():
    seen = await _seen(["10.0.0.0/8"], "10.0.0.3", {"X-Forwarded-For": "10.1.1.1, 10.0.0.2"})

    assert seen["client"] == "10.1.1.1"


async def test_a_garbage_hop_stops_at_the_nearest_trusted_address():
    seen = await _seen(["10.0.0.0/8"], "10.0.0.3", {"X-Forwarded-For": "unknown, 10.0.0.2"})

    assert seen["client"] == "10.0.0.2"


async def test_ipv6_proxies_and_clients():
    seen = await _seen(["fd00::/8"], "fd00::1", {"X-Forwarded-For": "[2001:db8::7]:443"})

    assert seen["client"] == "2001:db8::7"


@pytest.mark.parametrize("proto", ["ftp", "https;evil", ""])
async def test_an_unknown_scheme_is_ignored(proto):
    seen = await _seen(["10.0.0.5"], "10.0.0.5", {"X-Forwarded-Proto": proto})

    assert seen["scheme"] == "http"


@pytest.mark.parametrize("host", ["evil.example/path", "a b", "x;y", "[zz]"])
async def test_a_malformed_forwarded_host_is_ignored(host):
    seen = await _seen(["10.0.0.5"], "10.0.0.5", {"X-Forwarded-Host": host})

    assert seen["host"] == "direct.test"


def test_a_peer_that_is_not_an_ip_is_never_trusted():
    # Starlette's TestClient calls itself "testclient".
    assert not TrustedProxies(["0.0.0.0/0"]).trusts(parse_address("testclient"))


async def _refresh_statuses(http: httpx.AsyncClient, forwarded_for: list[str]) -> list[int]:
    """Refresh without a cookie: only the per-address budget counts."""
    return [
        (await http.post("/api/auth/refresh", headers={"X-Forwarded-For": hop})).status_code
        for hop in forwarded_for
    ]


async def test_rate_limits_count_the_forwarded_client_behind_a_trusted_proxy(
    client_with, monkeypatch
):
    # The limits are read from the process's settings object (the app's copy has no say).
    monkeypatch.setattr(get_settings(), "refresh_rate_limit", "2/minute")
    http = await client_with(peer="10.0.0.5", trusted_proxies=["10.0.0.5"])

    # Two people behind the proxy have a budget each; the third request of one is refused.
    assert await _refresh_statuses(http, ["198.51.100.1", "198.51.100.2"] * 2) == [401] * 4
    assert await _refresh_statuses(http, ["198.51.100.1"]) == [429]


async def test_rate_limits_ignore_forwarded_for_from_an_untrusted_peer(client_with, monkeypatch):
    # The limits are read from the process's settings object (the app's copy has no say).
    monkeypatch.setattr(get_settings(), "refresh_rate_limit", "2/minute")
    http = await client_with(peer="127.0.0.1")

    # Today's bug: a local client picked a fresh address per request.
    assert await _refresh_statuses(http, ["198.51.100.1", "198.51.100.2", "198.51.100.3"]) == [
        401,
        401,
        429,
    ]


def test_deskboard_serve_leaves_forwarded_headers_to_the_setting(settings):
    """Real processes: uvicorn's own proxy handling (which trusts loopback) is off."""
    limits = {"DESKBOARD_REFRESH_RATE_LIMIT": "2/minute"}
    spoofed = [{"X-Forwarded-For": f"198.51.100.{n}"} for n in range(3)]

    with deskboard_serve(env=limits) as served, served.client() as http:
        statuses = [http.post("/api/auth/refresh", headers=h).status_code for h in spoofed]
    assert statuses == [401, 401, 429]

    trusting = {**limits, "DESKBOARD_TRUSTED_PROXIES": "127.0.0.1"}
    with deskboard_serve(env=trusting) as served, served.client() as http:
        statuses = [http.post("/api/auth/refresh", headers=h).status_code for h in spoofed]
        https = http.get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert statuses == [401, 401, 401]
    assert "max-age=" in https.headers["Strict-Transport-Security"]
