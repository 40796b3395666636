"""Sockets not yet authenticated, counted per client address, so one address cannot hold open
an unbounded number of them (each costs a task and buffers until its auth timeout)."""

from collections import Counter


class PendingSockets:
    """Per-process count of sockets awaiting their auth message, by client address."""

    def __init__(self) -> None:
        self._open: Counter[str] = Counter()

    def enter(self, address: str, limit: int) -> bool:
        if self._open[address] >= limit:
            return False
        self._open[address] += 1
        return True

    def leave(self, address: str) -> None:
        self._open[address] -= 1
        if self._open[address] <= 0:
            del self._open[address]

    def count(self, address: str) -> int:
        return self._open[address]


PENDING = PendingSockets()
