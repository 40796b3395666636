"""Sign-in guessing limits (OWASP): strangers are slowed down, the owner is never locked out."""

import asyncio
import os
import uuid

import httpx
import pytest

from deskboard.auth.ratelimit import DEVICE_COOKIE, RateLimits
from deskboard.auth.security import device_token_nonce, issue_device_token
from tests.auth.helpers import login
from tests.conftest import TEST_PASSWORD as RIGHT

OWNER = "owner@example.test"
WRONG = "a-wrong-guess-again"
REDIS_URL = os.environ.get("DESKBOARD_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def device_cookie(response: httpx.Response) -> str:
    return response.cookies[DEVICE_COOKIE]


async def login_with_device(
    http: httpx.AsyncClient, email: str, password: str, device: str
) -> httpx.Response:
    """Sign in presenting exactly this device cookie, as the browser holding it would."""
    http.cookies.clear()
    return await http.post(
        "/api/auth/login",
        json={"email": email, "password": password},
        headers={"Cookie": f"{DEVICE_COOKIE}={device}"},
    )


def retry_after(response: httpx.Response) -> int:
    assert response.status_code == 429, response.text
    return int(response.headers["Retry-After"])


@pytest.fixture
def short_backoff(settings, monkeypatch):
    monkeypatch.setattr(settings, "login_free_failures", 3)
    monkeypatch.setattr(settings, "login_backoff_seconds", 1)


async def test_a_strangers_guesses_from_elsewhere_do_not_stop_the_owners_browser(
    from_address, make_user
):
    await make_user("user", email=OWNER)
    home = from_address("198.51.100.10")
    device = device_cookie(await login(home, OWNER))

    # 50 wrong guesses from 50 addresses: the account cap soon holds the strangers back.
    statuses = [
        (await login(from_address(f"203.0.113.{i}"), OWNER, WRONG)).status_code for i in range(50)
    ]
    assert statuses[:20] == [401] * 20 and set(statuses[20:]) == {429}

    # The owner's browser gets in, at home and on the road.
    assert (await login_with_device(home, OWNER, RIGHT, device)).status_code == 200
    away = from_address("192.0.2.33")
    assert (await login_with_device(away, OWNER, RIGHT, device)).status_code == 200


async def test_a_stranger_behind_the_owners_address_does_not_lock_the_owner_out(
    from_address, make_user
):
    # Same office network: the stranger's guesses back off the (account, address) pair, but a
    # browser with a device cookie is counted by its device, not by the address.
    await make_user("user", email=OWNER)
    office = "198.51.100.20"
    device = device_cookie(await login(from_address(office), OWNER))
    stranger = from_address(office)
    for _ in range(12):
        await login(stranger, OWNER, WRONG)
    assert retry_after(await login(stranger, OWNER)) >= 1

    owner = from_address(office)
    assert (await login_with_device(owner, OWNER, RIGHT, device)).status_code == 200


async def test_a_pair_backs_off_longer_after_each_further_failure(
    short_backoff, from_address, make_user
):
    await make_user("user", email=OWNER)
    http = from_address("198.51.100.30")

    statuses = [(await login(http, OWNER, WRONG)).status_code for _ in range(4)]
    assert statuses == [401] * 4  # three free failures, then the fourth starts the back-off
    first_wait = retry_after(await login(http, OWNER, WRONG))
    assert first_wait == 1
    # While it waits, even the right password is held back, and refusals cost nothing.
    for _ in range(5):
        retry_after(await login(http, OWNER))

    await asyncio.sleep(1.1)
    assert (await login(http, OWNER, WRONG)).status_code == 401
    assert retry_after(await login(http, OWNER)) == 2  # doubled

    # Another address for the same account is a different pair.
    assert (await login(from_address("198.51.100.31"), OWNER)).status_code == 200


async def test_the_back_off_stops_at_its_maximum(
    short_backoff, settings, monkeypatch, from_address
):
    monkeypatch.setattr(settings, "login_free_failures", 1)
    monkeypatch.setattr(settings, "login_backoff_max_seconds", 1)
    http = from_address("198.51.100.35")
    assert (await login(http, "nobody@example.test", WRONG)).status_code == 401  # the free one
    for _ in range(3):  # 1, 2, 4 seconds uncapped
        assert (await login(http, "nobody@example.test", WRONG)).status_code == 401
        assert retry_after(await login(http, "nobody@example.test", WRONG)) == 1
        await asyncio.sleep(1.1)


async def test_a_successful_sign_in_clears_the_pairs_failures(
    short_backoff, from_address, make_user
):
    await make_user("user", email=OWNER)
    http = from_address("198.51.100.40")
    for _ in range(3):
        assert (await login(http, OWNER, WRONG)).status_code == 401
    assert (await login(http, OWNER)).status_code == 200

    # The count starts again: three more free failures before any wait.
    statuses = [(await login(http, OWNER, WRONG)).status_code for _ in range(4)]
    assert statuses == [401] * 4
    retry_after(await login(http, OWNER, WRONG))


async def test_spraying_many_accounts_from_one_address_is_capped(
    settings, monkeypatch, from_address, make_user
):
    monkeypatch.setattr(settings, "login_address_failure_limit", "5 per 15 minutes")
    await make_user("user", email="sprayed@example.test")
    sprayer = from_address("192.0.2.66")

    statuses = [
        (await login(sprayer, f"victim{i}@example.test", "Summer2024!-password")).status_code
        for i in range(5)
    ]
    assert statuses == [401] * 5
    wait = retry_after(await login(sprayer, "sprayed@example.test", "Summer2024!-password"))
    assert 1 <= wait <= 15 * 60
    # The sprayed accounts and other addresses are not held back.
    assert (await login(from_address("192.0.2.67"), "sprayed@example.test")).status_code == 200


async def test_under_attack_a_correct_password_from_an_unknown_browser_waits(
    settings, monkeypatch, from_address, make_user
):
    # OWASP's trade-off: while wrong guesses pour in from many addresses, nothing tells the owner
    # on a new browser from the attacker, so both wait for the account cap's window; the owner's
    # known browsers (device cookie) are not held back, which is what keeps this from being a
    # lockout.
    monkeypatch.setattr(settings, "login_account_failure_limit", "10 per hour")
    await make_user("user", email=OWNER)
    device = device_cookie(await login(from_address("198.51.100.50"), OWNER))
    for i in range(10):
        assert (await login(from_address(f"203.0.113.{100 + i}"), OWNER, WRONG)).status_code == 401

    new_browser = from_address("198.51.100.51")
    wait = retry_after(await login(new_browser, OWNER))
    assert 1 <= wait <= 3600
    assert "try again" in (await login(new_browser, OWNER)).json()["detail"]
    assert (await login_with_device(new_browser, OWNER, RIGHT, device)).status_code == 200


async def test_counts_for_one_account_do_not_touch_another(
    short_backoff, settings, monkeypatch, from_address, make_user
):
    monkeypatch.setattr(settings, "login_account_failure_limit", "5 per hour")
    await make_user("user", email=OWNER)
    await make_user("user", email="neighbour@example.test")
    shared = from_address("198.51.100.60")
    for i in range(6):
        await login(from_address(f"203.0.113.{200 + i}"), OWNER, WRONG)
    for _ in range(4):
        await login(shared, OWNER, WRONG)
    retry_after(await login(shared, OWNER))  # the owner's pair and account are held back

    assert (await login(shared, "neighbour@example.test")).status_code == 200
    assert (await login(from_address("203.0.113.200"), "neighbour@example.test")).status_code == 200


async def test_a_device_cookie_for_another_account_or_a_forged_one_does_not_help(
    settings, monkeypatch, from_address, make_user
):
    monkeypatch.setattr(settings, "login_account_failure_limit", "3 per hour")
    await make_user("user", email=OWNER)
    await make_user("user", email="other@example.test")
    others_device = device_cookie(await login(from_address("198.51.100.70"), "other@example.test"))
    for i in range(3):
        await login(from_address(f"203.0.113.{50 + i}"), OWNER, WRONG)
    nonce, expiry, signature = others_device.split(".")
    forged = f"{nonce}.{int(expiry) + 1}.{signature}"

    http = from_address("198.51.100.71")
    for presented in (others_device, forged, "not.a.cookie", "x" * 300):
        response = await login_with_device(http, OWNER, RIGHT, presented)
        assert response.status_code == 429


async def test_a_device_cookie_that_guesses_backs_off_like_a_pair(
    short_backoff, from_address, make_user
):
    # A stolen device cookie is no master key: its own failures make it wait.
    await make_user("user", email=OWNER)
    device = device_cookie(await login(from_address("198.51.100.80"), OWNER))
    thief = from_address("192.0.2.80")
    statuses = [
        (await login_with_device(thief, OWNER, WRONG, device)).status_code for _ in range(4)
    ]
    assert statuses == [401] * 4
    retry_after(await login_with_device(thief, OWNER, WRONG, device))


async def test_the_device_cookie_is_http_only_strict_and_secure_over_https(
    settings, from_address, make_user
):
    await make_user("user", email=OWNER)

    plain = (await login(from_address("198.51.100.90"), OWNER)).headers.get_list("set-cookie")
    tls = (await login(from_address("198.51.100.91", "https"), OWNER)).headers.get_list(
        "set-cookie"
    )

    [plain_device] = [c for c in plain if c.startswith(f"{DEVICE_COOKIE}=")]
    [tls_device] = [c for c in tls if c.startswith(f"{DEVICE_COOKIE}=")]
    for cookie in (plain_device.lower(), tls_device.lower()):
        assert "httponly" in cookie
        assert "samesite=strict" in cookie
        assert "path=/api/auth/login" in cookie
        assert f"max-age={settings.device_cookie_days * 86400}" in cookie
    assert "secure" not in plain_device.lower()
    assert "secure" in tls_device.lower()
    assert OWNER not in plain_device  # the cookie names no one


def test_a_device_token_is_bound_to_its_account_and_expires():
    token = issue_device_token(OWNER, days=1)

    assert device_token_nonce(token, OWNER) == token.split(".")[0]
    assert device_token_nonce(token, "someone@example.test") is None
    assert device_token_nonce(issue_device_token(OWNER, days=0), OWNER) is None
    assert device_token_nonce("é.1.x", OWNER) is None
    assert device_token_nonce(None, OWNER) is None


async def test_back_off_is_shared_through_redis_when_it_is_configured(settings):
    # Two limiters on one Redis behave like two server processes: one count between them.
    key = f"redis-{uuid.uuid4().hex}@example.test/address/192.0.2.1"
    first, second = RateLimits(REDIS_URL), RateLimits(REDIS_URL)
    for _ in range(settings.login_free_failures):
        await first.count_failure(key, settings)
    assert await second.backoff_seconds(key) == 0

    await second.count_failure(key, settings)

    assert 0 < await first.backoff_seconds(key) <= settings.login_backoff_seconds
    await first.forget(key)
    assert await second.backoff_seconds(key) == 0
