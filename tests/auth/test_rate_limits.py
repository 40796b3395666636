"""Refresh and registration are throttled per account and per client address.

Sign-in guessing limits are in test_login_guessing.py.
"""

import os
import uuid

import pytest

from deskboard.auth.ratelimit import RateLimits, reset_rate_limits
from deskboard.core.errors import TooManyRequests
from tests.auth.helpers import REFRESH_COOKIE, login, refresh_cookie

PASSWORD = "a-long-enough-pass"
REDIS_URL = os.environ.get("DESKBOARD_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def tight_limits(settings, monkeypatch):
    monkeypatch.setattr(settings, "register_rate_limit", "2/minute")
    monkeypatch.setattr(settings, "refresh_rate_limit", "2/minute")


async def test_register_is_limited_per_address(tight_limits, from_address):
    http = from_address("198.51.100.1")
    statuses = [
        (
            await http.post(
                "/api/auth/register",
                json={"email": f"n{i}@example.test", "name": "N", "password": PASSWORD},
            )
        ).status_code
        for i in range(3)
    ]

    assert statuses == [202, 202, 429]


async def test_register_is_limited_per_account(tight_limits, from_address):
    body = {"email": "same@example.test", "name": "N", "password": PASSWORD}
    statuses = [
        (await from_address(f"198.51.100.{i}").post("/api/auth/register", json=body)).status_code
        for i in range(3)
    ]

    # The same answer whether the email was free or just taken; a third try waits.
    assert statuses == [202, 202, 429]


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


async def test_counts_are_shared_through_redis_when_it_is_configured():
    # Two limiters on one Redis behave like two server processes: one budget between them.
    account = f"redis-{uuid.uuid4().hex}@example.test"
    first, second = RateLimits(REDIS_URL), RateLimits(REDIS_URL)

    await first.enforce("register", "2/minute", account=account, address=None)
    await second.enforce("register", "2/minute", account=account, address=None)
    with pytest.raises(TooManyRequests) as refused:
        await first.enforce("register", "2/minute", account=account, address=None)

    assert 1 <= int(refused.value.headers["Retry-After"]) <= 60


async def test_an_unreachable_limit_store_lets_sign_in_through(
    settings, monkeypatch, client, make_user, caplog
):
    await make_user("user", email="outage@example.test")
    monkeypatch.setattr(settings, "redis_url", "redis://127.0.0.1:1/0")
    reset_rate_limits()

    assert (await login(client, "outage@example.test")).status_code == 200
    assert (await login(client, "outage@example.test", "guess-guess")).status_code == 401
    assert "rate limit storage failed" in caplog.text
