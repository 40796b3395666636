"""In-process backend: a bounded deque is the log; delivery is a direct call."""

import time
from collections import deque

from deskboard.core.events import Event
from deskboard.realtime.log import (
    DeliverEvent,
    DeliverPresence,
    LoggedEvent,
    PresenceCount,
    log_event,
)
from deskboard.realtime.protocol import EventId


class InProcessBackend:
    """One server process: ids are (start-up milliseconds, counter), so a restart is detected."""

    def __init__(self, *, log_size: int, replay_limit: int) -> None:
        self._epoch = int(time.time() * 1000)
        self._sequence = 0
        self._trimmed_through = 0  # highest sequence number dropped from the log
        self._log: deque[LoggedEvent] = deque(maxlen=log_size)
        self._replay_limit = replay_limit
        self._deliver: DeliverEvent | None = None

    async def start(self, deliver: DeliverEvent, presence: DeliverPresence) -> None:
        # Presence is counted by the hub itself; with one process there is nothing to relay.
        self._deliver = deliver

    async def stop(self) -> None:
        self._deliver = None

    async def publish(self, event: Event) -> None:
        self._sequence += 1
        logged = log_event((self._epoch, self._sequence), event)
        if len(self._log) == self._log.maxlen:
            self._trimmed_through = self._log[0].id[1]
        self._log.append(logged)
        if self._deliver is not None:
            self._deliver(logged)

    async def publish_presence(self, count: PresenceCount) -> None:
        return None

    async def head(self) -> EventId:
        return self._epoch, self._sequence

    async def replay(self, after: EventId) -> list[LoggedEvent] | None:
        epoch, sequence = after
        if epoch != self._epoch or sequence < self._trimmed_through or sequence > self._sequence:
            return None
        missed = self._sequence - sequence
        if missed > self._replay_limit:
            return None
        return list(self._log)[len(self._log) - missed :] if missed else []
