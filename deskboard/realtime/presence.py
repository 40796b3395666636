"""Who else is editing: per person, sessions in edit mode here and in other server processes."""

import time
from collections import defaultdict

from deskboard.realtime.log import PresenceCount


class PresenceBook:
    """Counts of editing sessions that other processes reported, each valid for `ttl` seconds.

    Processes re-announce their non-zero counts on every heartbeat, so the count of a process
    that died fades out after `ttl`.
    """

    def __init__(self, *, process: str, ttl: float) -> None:
        self.process = process
        self.ttl = ttl
        self._remote: dict[int, dict[str, tuple[int, float]]] = defaultdict(dict)

    def record(self, count: PresenceCount) -> bool:
        """Store another process's count; return whether the person's remote total changed."""
        if count.process == self.process:
            return False
        before = self.remote_total(count.user_id)
        by_process = self._remote[count.user_id]
        if count.editing > 0:
            by_process[count.process] = (count.editing, time.monotonic() + self.ttl)
        else:
            by_process.pop(count.process, None)
        if not by_process:
            del self._remote[count.user_id]
        return self.remote_total(count.user_id) != before

    def remote_total(self, user_id: int) -> int:
        by_process = self._remote.get(user_id)
        return sum(editing for editing, _ in by_process.values()) if by_process else 0

    def prune(self) -> set[int]:
        """Drop counts not re-announced in time; return the people whose total changed."""
        now = time.monotonic()
        changed: set[int] = set()
        for user_id, by_process in list(self._remote.items()):
            for process, (_, expires) in list(by_process.items()):
                if expires < now:
                    del by_process[process]
                    changed.add(user_id)
            if not by_process:
                del self._remote[user_id]
        return changed
