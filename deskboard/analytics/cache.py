"""A short-lived in-process cache of analytics answers, dropped whenever a ticket changes.

Keys are (endpoint, parameters, visibility scope): two callers who may see the same tickets share
an entry, a requester never gets a staff member's figures. Ticket events of this process clear
it at once (deskboard.core.events listener); those of other server processes clear it when the
realtime hub receives them from Redis (delivery listener), a moment later. The TTL bounds how
stale a figure can be should an event be lost.
"""

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import TypeVar

from deskboard.config import get_settings
from deskboard.core.events import Event

T = TypeVar("T")

MAX_ENTRIES = 2_000


class AnalyticsCache:
    def __init__(self, ttl: float | None = None, max_entries: int = MAX_ENTRIES) -> None:
        self._ttl = ttl  # None: DESKBOARD_ANALYTICS_CACHE_SECONDS, read on first use
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple[float, object]] = OrderedDict()
        self._generation = 0
        self.hits = 0
        self.misses = 0

    @property
    def ttl(self) -> float:
        if self._ttl is None:
            self._ttl = get_settings().analytics_cache_seconds
        return self._ttl

    async def get_or_compute(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        if self.ttl <= 0:
            self.misses += 1
            return await compute()
        now = time.monotonic()
        entry = self._entries.get(key)
        if entry is not None and entry[0] > now:
            self.hits += 1
            self._entries.move_to_end(key)
            return entry[1]  # type: ignore[return-value]
        self.misses += 1
        # Remember which generation we computed in: a ticket event that arrives while the
        # query runs must not let a stale answer be stored afterwards.
        generation = self._generation
        value = await compute()
        if generation == self._generation:
            self._entries[key] = (now + self.ttl, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        self._entries.clear()
        self._generation += 1

    def on_event(self, event: Event) -> None:
        """Drop every entry when a ticket is created, changed or deleted, or a team changes
        (its members and restriction decide who sees which tickets)."""
        self.on_event_type(event.type)

    def on_event_type(self, event_type: str) -> None:
        if event_type.startswith(("ticket.", "team.")):
            self.clear()

    def __len__(self) -> int:
        return len(self._entries)


cache = AnalyticsCache()
