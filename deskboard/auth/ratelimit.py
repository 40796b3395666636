"""Rate limits on refresh and registration, and guessing limits on sign-in.

Refresh and registration: a budget per account and per client address (moving windows, no burst
at a window's edge). Sign-in follows OWASP's Authentication Cheat Sheet so that a stranger cannot
lock a person out by guessing wrong on purpose (see the Settings docstring for the knobs):

- Only FAILED sign-ins count. Per (account, address) pair, after a few free failures each further
  one makes that pair wait, doubling each time (429 + Retry-After); a success clears the pair.
- Per address across accounts: a cap on failures, against password spraying.
- Per account across addresses: a cap on failures that holds back only clients WITHOUT a device
  cookie for that account. A successful sign-in leaves a signed device cookie; a browser that
  has one is counted by (account, device) instead of by address and passes both caps, so the
  owner's known browser gets in with the right password whatever strangers do.

Trade-off (OWASP's): while an account is under attack from many addresses, its owner on a new
browser (no device cookie) is held back with the strangers, since nothing tells them apart.

Checks run before the password is verified and failures are counted after, so requests in
flight together can pass a budget by their number; argon2's cost bounds that.
Counts live in process memory by default and in Redis when DESKBOARD_REDIS_URL is set, so that
several server processes share them.
"""

import logging
import math
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, cast

from fastapi import Request, Response
from limits import RateLimitItem, parse
from limits.aio.storage import Storage as AsyncStorage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from deskboard.auth.security import device_token_nonce, issue_device_token
from deskboard.config import Settings, get_settings
from deskboard.core.errors import TooManyRequests

log = logging.getLogger(__name__)

Scope = Literal["refresh", "register"]
DEVICE_COOKIE = "deskboard_device"
DEVICE_COOKIE_PATH = "/api/auth/login"  # the browser sends it to sign-in only


@lru_cache(maxsize=32)
def _parse(limit: str) -> RateLimitItem:
    return parse(limit)


def _limit_for(settings: Settings, scope: Scope) -> str:
    return {
        "refresh": settings.refresh_rate_limit,
        "register": settings.register_rate_limit,
    }[scope]


class RateLimits:
    """A budget per (scope, account) and per (scope, address); either running out refuses."""

    def __init__(self, redis_url: str | None):
        if redis_url:
            # Short timeouts: a paused Redis must not hold every sign-in (it is let through).
            storage = storage_from_string(
                f"async+{redis_url}",
                implementation="redispy",
                key_prefix="deskboard-limits",
                socket_timeout=2.0,
                socket_connect_timeout=2.0,
            )
        else:
            storage = storage_from_string("async+memory://")
        self._storage = cast(AsyncStorage, storage)  # "async+" URLs give the asyncio storages
        self._limiter = MovingWindowRateLimiter(storage)

    async def enforce(
        self, scope: Scope, limit: str, *, account: str | None, address: str | None
    ) -> None:
        """Count one attempt, or raise TooManyRequests (with Retry-After) when over budget."""
        item = _parse(limit)
        keys = [(kind, key) for kind, key in (("account", account), ("address", address)) if key]
        # Test every budget before spending any, so a refused attempt costs nothing.
        for kind, key in keys:
            if not await self._limiter.test(item, scope, kind, key):
                raise await self._refusal(item, scope, kind, key)
        for kind, key in keys:
            if not await self._limiter.hit(item, scope, kind, key):
                raise await self._refusal(item, scope, kind, key)

    async def _refusal(self, item: RateLimitItem, *identifiers: str) -> TooManyRequests:
        stats = await self._limiter.get_window_stats(item, *identifiers)
        return _too_many(stats.reset_time - time.time())

    async def cap_refusal(self, limit: str, kind: str, key: str) -> TooManyRequests | None:
        """Return the refusal when a failure cap (moving window) is spent, else None."""
        item = _parse(limit)
        if await self._limiter.test(item, "login-failures", kind, key):
            return None
        return await self._refusal(item, "login-failures", kind, key)

    async def count_against_cap(self, limit: str, kind: str, key: str) -> None:
        await self._limiter.hit(_parse(limit), "login-failures", kind, key)

    async def backoff_seconds(self, key: str) -> float:
        """Return how long a pair must still wait after its failures (0: it may try now)."""
        if await self._storage.get(f"login-backoff/{key}") <= 0:
            return 0.0
        return max(0.001, await self._storage.get_expiry(f"login-backoff/{key}") - time.time())

    async def count_failure(self, key: str, settings: Settings) -> None:
        """Count a pair's failure; past the free ones, make it wait twice as long as last time."""
        failures = await self._storage.incr(
            f"login-failures/{key}", settings.login_failure_memory_seconds
        )
        beyond = failures - settings.login_free_failures
        if beyond > 0:
            wait = min(
                settings.login_backoff_seconds * 2 ** min(beyond - 1, 30),
                settings.login_backoff_max_seconds,
            )
            await self._storage.clear(f"login-backoff/{key}")
            await self._storage.incr(f"login-backoff/{key}", wait)

    async def forget(self, key: str) -> None:
        await self._storage.clear(f"login-failures/{key}")
        await self._storage.clear(f"login-backoff/{key}")


def _too_many(seconds_left: float) -> TooManyRequests:
    seconds = max(1, math.ceil(seconds_left))
    return TooManyRequests(
        f"Too many attempts; try again in {seconds} seconds",
        headers={"Retry-After": str(seconds)},
    )


_rate_limits: RateLimits | None = None


def get_rate_limits() -> RateLimits:
    global _rate_limits
    if _rate_limits is None:
        _rate_limits = RateLimits(get_settings().redis_url)
    return _rate_limits


def reset_rate_limits() -> None:
    """Forget every count (tests; a changed storage setting)."""
    global _rate_limits
    _rate_limits = None


async def enforce_rate_limit(scope: Scope, *, account: str | None, address: str | None) -> None:
    """Apply the configured limit of a scope; a storage outage lets the attempt through."""
    settings = get_settings()
    if not settings.rate_limit_enabled:
        return
    limit = _limit_for(settings, scope)
    _parse(limit)  # a malformed setting is a configuration error, not a storage outage
    try:
        await get_rate_limits().enforce(scope, limit, account=account, address=address)
    except TooManyRequests:
        raise
    except Exception:  # Redis unreachable: availability beats a brief gap in throttling
        log.exception("rate limit storage failed; %s attempt not counted", scope)


@dataclass(frozen=True)
class LoginAttempt:
    """Who is trying to sign in, as the guessing limits see them."""

    account: str
    address: str | None
    device: str | None  # the nonce of a genuine device cookie for this account, if any

    @property
    def pair(self) -> str:
        """The key a failure counts against: the device when known, else the address."""
        if self.device:
            return f"{self.account}/device/{self.device}"
        return f"{self.account}/address/{self.address or '-'}"


async def check_login(
    *, account: str, address: str | None, device_token: str | None
) -> LoginAttempt:
    """Refuse (429 + Retry-After) a sign-in that the guessing limits hold back; else describe it.

    A storage outage lets the attempt through.
    """
    attempt = LoginAttempt(account, address, device_token_nonce(device_token, account))
    settings = get_settings()
    if not settings.rate_limit_enabled:
        return attempt
    caps = _caps(settings, attempt)  # a malformed setting is a configuration error, not an outage
    try:
        limits = get_rate_limits()
        wait = await limits.backoff_seconds(attempt.pair)
        if wait:
            raise _too_many(wait)
        for limit, kind, key in caps:
            refusal = await limits.cap_refusal(limit, kind, key)
            if refusal:
                raise refusal
    except TooManyRequests:
        raise
    except Exception:  # Redis unreachable: availability beats a brief gap in throttling
        log.exception("rate limit storage failed; login attempt not checked")
    return attempt


async def login_failed(attempt: LoginAttempt) -> None:
    """Count a wrong password against the pair (or device) and, for unknown clients, the caps."""
    settings = get_settings()
    if not settings.rate_limit_enabled:
        return
    try:
        limits = get_rate_limits()
        await limits.count_failure(attempt.pair, settings)
        for limit, kind, key in _caps(settings, attempt):
            await limits.count_against_cap(limit, kind, key)
    except Exception:
        log.exception("rate limit storage failed; login failure not counted")


async def login_succeeded(attempt: LoginAttempt) -> None:
    """Clear the failures of the pair (and of the device) that just signed in."""
    if not get_settings().rate_limit_enabled:
        return
    try:
        limits = get_rate_limits()
        await limits.forget(LoginAttempt(attempt.account, attempt.address, None).pair)
        if attempt.device:
            await limits.forget(attempt.pair)
    except Exception:
        log.exception("rate limit storage failed; login failures not cleared")


def _caps(settings: Settings, attempt: LoginAttempt) -> list[tuple[str, str, str]]:
    """The failure caps that apply: none for a client with a device cookie for the account."""
    if attempt.device:
        return []
    caps = [(settings.login_account_failure_limit, "account", attempt.account)]
    if attempt.address:
        caps.insert(0, (settings.login_address_failure_limit, "address", attempt.address))
    for limit, _, _ in caps:
        _parse(limit)
    return caps


def remember_device(request: Request, response: Response, *, account: str) -> None:
    """Leave a device cookie for `account` on the browser that just signed in (OWASP)."""
    days = get_settings().device_cookie_days
    response.set_cookie(
        DEVICE_COOKIE,
        issue_device_token(account, days=days),
        max_age=days * 86400,
        path=DEVICE_COOKIE_PATH,
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )
