"""Login, refresh and registration are throttled per account and per client address."""

import uuid

import httpx
import pytest

from deskboard.auth.ratelimit import RateLimits, reset_rate_limits
from deskboard.core.errors import TooManyRequests
from tests.auth.helpers import REFRESH_COOKIE, login, refresh_cookie

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
async def from_address(app):
    """Factory: a client whose requests come from the given IP address."""
    opened: list[httpx.AsyncClient] = []

    def factory(address: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        http = httpx.AsyncClient(transport=transport, base_url="http://test")
        opened.append(http)
        return http

    yield factory
    for http in opened:
        await http.aclose()


@pytest.fixture
def tight_limits(settings, monkeypatch):
    monkeypatch.setattr(settings, "login_rate_limit", "3/minute")
    monkeypatch.setattr(settings, "register_rate_limit", "2/minute")
    monkeypatch.setattr(settings, "refresh_rate_limit", "2/minute")


async def test_login_is_limited_per_account_across_addresses(tight_limits, from_address, make_user):
    await make_user("user", email="target@example.test")
    statuses = [
        (await login(from_address(f"10.0.0.{i}"), "target@example.test", "guess-guess")).status_code
        for i in range(4)
    ]

    assert statuses == [401, 401, 401, 429]
    # Even the right password waits: the account's budget is spent.
    blocked = await login(from_address("10.0.0.99"), "target@example.test")
    assert blocked.status_code == 429
    assert 1 <= int(blocked.headers["Retry-After"]) <= 60
    assert "try again" in blocked.json()["detail"]


async def test_login_is_limited_per_address_across_accounts(tight_limits, from_address, make_user):
    await make_user("user", email="innocent@example.test")
    attacker = from_address("192.0.2.7")
    statuses = [
        (await login(attacker, f"victim{i}@example.test", "guess-guess")).status_code
        for i in range(4)
    ]

    assert statuses == [401, 401, 401, 429]
    assert "Retry-After" in (await login(attacker, "innocent@example.test")).headers
    # Another address and another account are unaffected.
    assert (await login(from_address("192.0.2.8"), "innocent@example.test")).status_code == 200


async def test_register_is_limited_per_address(tight_limits, from_address):
    http = from_address("198.51.100.1")
    statuses = [
        (
            await http.post(
                "/api/auth/register",
                json={"email": f"n{i}@example.test", "name": "N", "password": "long-enough"},
            )
        ).status_code
        for i in range(3)
    ]

    assert statuses == [201, 201, 429]


async def test_register_is_limited_per_account(tight_limits, from_address):
    body = {"email": "same@example.test", "name": "N", "password": "long-enough"}
    statuses = [
        (await from_address(f"198.51.100.{i}").post("/api/auth/register", json=body)).status_code
        for i in range(3)
    ]

    assert statuses == [201, 409, 429]


async def test_refresh_is_limited_per_account(tight_limits, from_address, make_user):
    await make_user("user", email="r@example.test")
    token = refresh_cookie(await login(from_address("203.0.113.1"), "r@example.test"))
    statuses = []
    for i in range(3):
        http = from_address(f"203.0.113.{10 + i}")
        response = await http.post(
            "/api/auth/refresh", headers={"Cookie": f"{REFRESH_COOKIE}={token}"}
        )
        statuses.append(response.status_code)
        if response.status_code == 200:
            token = refresh_cookie(response)

    assert statuses == [200, 200, 429]
    assert "Retry-After" in response.headers


async def test_refresh_is_limited_per_address(tight_limits, from_address):
    http = from_address("203.0.113.50")
    statuses = [(await http.post("/api/auth/refresh")).status_code for _ in range(3)]

    assert statuses == [401, 401, 429]


async def test_a_refused_attempt_does_not_spend_the_other_budget(
    tight_limits, from_address, make_user
):
    await make_user("user", email="spare@example.test")
    attacker = from_address("192.0.2.200")
    for i in range(3):
        await login(attacker, f"other{i}@example.test", "guess-guess")
    # Refused by the address budget: this must not count against spare@'s account budget.
    for _ in range(3):
        assert (await login(attacker, "spare@example.test")).status_code == 429

    assert (await login(from_address("192.0.2.201"), "spare@example.test")).status_code == 200


async def test_limits_can_be_turned_off(settings, monkeypatch, from_address):
    monkeypatch.setattr(settings, "login_rate_limit", "1/minute")
    monkeypatch.setattr(settings, "rate_limit_enabled", False)
    http = from_address("192.0.2.77")

    statuses = [(await login(http, "x@example.test", "guess-guess")).status_code for _ in range(3)]

    assert statuses == [401, 401, 401]


async def test_counts_are_shared_through_redis_when_it_is_configured():
    # Two limiters on one Redis behave like two server processes: one budget between them.
    account = f"redis-{uuid.uuid4().hex}@example.test"
    first, second = RateLimits(REDIS_URL), RateLimits(REDIS_URL)

    await first.enforce("login", "2/minute", account=account, address=None)
    await second.enforce("login", "2/minute", account=account, address=None)
    with pytest.raises(TooManyRequests) as refused:
        await first.enforce("login", "2/minute", account=account, address=None)

    assert 1 <= int(refused.value.headers["Retry-After"]) <= 60


async def test_an_unreachable_limit_store_lets_sign_in_through(
    settings, monkeypatch, client, make_user, caplog
):
    await make_user("user", email="outage@example.test")
    monkeypatch.setattr(settings, "redis_url", "redis://127.0.0.1:1/0")
    reset_rate_limits()

    assert (await login(client, "outage@example.test")).status_code == 200
    assert "rate limit storage failed" in caplog.text
