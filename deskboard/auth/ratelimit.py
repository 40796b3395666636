"""Rate limits on sign-in, refresh and registration, per account and per client address.

Counts live in process memory by default and in Redis when DESKBOARD_REDIS_URL is set, so that
several server processes share one budget. Moving windows: no burst at a window's edge.
"""

import logging
import math
import time
from functools import lru_cache
from typing import Literal

from limits import RateLimitItem, parse
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from deskboard.config import Settings, get_settings
from deskboard.core.errors import TooManyRequests

log = logging.getLogger(__name__)

Scope = Literal["login", "refresh", "register"]


@lru_cache(maxsize=32)
def _parse(limit: str) -> RateLimitItem:
    return parse(limit)


def _limit_for(settings: Settings, scope: Scope) -> str:
    return {
        "login": settings.login_rate_limit,
        "refresh": settings.refresh_rate_limit,
        "register": settings.register_rate_limit,
    }[scope]


class RateLimits:
    """A budget per (scope, account) and per (scope, address); either running out refuses."""

    def __init__(self, redis_url: str | None):
        if redis_url:
            storage = storage_from_string(
                f"async+{redis_url}", implementation="redispy", key_prefix="deskboard-limits"
            )
        else:
            storage = storage_from_string("async+memory://")
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
        seconds = max(1, math.ceil(stats.reset_time - time.time()))
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
