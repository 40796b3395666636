"""The one event hub: every event that leaves the service passes through here.

The rest of the code only calls `deskboard.core.events.emit(session, Event(...))`; after the
commit, `Hub.publish` hands the event to the backend (in-process, or a Redis stream shared by
every server process), and the backend calls `Hub._deliver` in each process, which queues the
event on the sockets whose person may see it.
"""

import asyncio
import contextlib
import json
import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Coroutine
from typing import Any

from deskboard.config import Settings
from deskboard.core import events as core_events
from deskboard.core.events import SESSION_REVOKED, Event
from deskboard.realtime import metrics
from deskboard.realtime.connection import Connection
from deskboard.realtime.inprocess import InProcessBackend
from deskboard.realtime.log import Backend, LoggedEvent, PresenceCount, log_event
from deskboard.realtime.presence import PresenceBook
from deskboard.realtime.protocol import CloseCode, EventId, dumps, format_event_id
from deskboard.realtime.redis_backend import RedisBackend
from deskboard.realtime.settings import RealtimeSettings

logger = logging.getLogger(__name__)
_PING = dumps({"type": "ping"})
REVOKED_REASON = "Session changed; refresh the token and reconnect"
# How long a revocation is remembered for sockets still authenticating when it arrived (their
# token was read before the bump committed): far longer than one authentication takes.
_REVOCATION_MEMORY = 300.0
# After a failed publish to Redis, events go straight to this process's sockets for this long
# (or until the stream reader is back), instead of each write waiting on a dead Redis.
_DEGRADED_SECONDS = 5.0


class Hub:
    def __init__(self, backend: Backend, settings: RealtimeSettings) -> None:
        self.backend = backend
        self.settings = settings
        self.process = uuid.uuid4().hex
        self._by_user: dict[int, set[Connection]] = defaultdict(set)
        self._by_role: dict[str, set[Connection]] = defaultdict(set)
        self._presence = PresenceBook(process=self.process, ttl=settings.heartbeat_interval * 3)
        self._ticker: asyncio.Task[None] | None = None
        # user id -> (newest token version announced, monotonic time it arrived)
        self._revocations: dict[int, tuple[int, float]] = {}
        self._background: set[asyncio.Task[None]] = set()
        # Told the id of each event the backend accepted (the outbox deletes its row).
        self.on_published: Callable[[str], None] | None = None
        self._last_id: EventId = (0, 0)
        self._degraded_until = 0.0

    # --- life cycle -------------------------------------------------------------------------

    async def start(self) -> None:
        if isinstance(self.backend, RedisBackend):
            self.backend.on_recover = self._recovered
        await self.backend.start(self._deliver, self._on_presence)
        self._ticker = asyncio.create_task(self._tick_forever(), name="realtime-heartbeat")

    async def stop(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
        connections = self.connections()
        for connection in connections:
            connection.close(CloseCode.GOING_AWAY, "Server shutting down; reconnect")
        if connections:
            await asyncio.wait([asyncio.create_task(c.wait_closed()) for c in connections])
        for task in list(self._background):
            task.cancel()
        await self.backend.stop()

    # --- events -----------------------------------------------------------------------------

    @property
    def degraded(self) -> bool:
        """Whether Redis failed lately, so events reach only this process's sockets."""
        return time.monotonic() < self._degraded_until

    async def publish(self, event: Event) -> None:
        """Hand a committed event to the backend; a backend failure is logged, never raised.

        Redis down: the event still reaches this process's sockets (real time degrades to one
        process), its outbox row stays for the outbox leader to publish once Redis is back, and
        every socket of this process is told to resync when the stream reader recovers."""
        metrics.EVENTS_PUBLISHED.labels(type=event.type).inc()
        if self.degraded:
            self._deliver_locally(event)
            return
        try:
            await self.backend.publish(event)
        except Exception:  # the write is committed; losing its notification must not fail it
            metrics.PUBLISH_FAILURES.inc()
            logger.exception("Could not publish realtime event %s", event.type)
            if isinstance(self.backend, RedisBackend):
                self._degraded_until = time.monotonic() + _DEGRADED_SECONDS
                self._deliver_locally(event)
            return
        if self.on_published is not None:
            self.on_published(event.id)

    def _deliver_locally(self, event: Event) -> None:
        """Deliver in this process only, with an id just after the last one seen (a socket
        that resumes from it is past the stream's head, so it is told to resync)."""
        self._deliver(log_event((self._last_id[0], self._last_id[1] + 1), event))

    def _recovered(self) -> None:
        """The stream reader is back after an outage: sockets may have missed events of other
        processes (or had some delivered out of the stream), so each is told to resync."""
        self._degraded_until = 0.0
        logger.warning("Realtime stream is back; telling every socket to resync")
        self._spawn(self._resync_all())

    async def _resync_all(self) -> None:
        head = await self.backend.head()
        message = dumps({"type": "resync", "last_event_id": format_event_id(head)})
        for connection in self.connections():
            connection.send(message)

    def _deliver(self, event: LoggedEvent) -> None:
        self._last_id = max(self._last_id, event.id)
        if event.type == SESSION_REVOKED:
            self._revoke(event)
            return
        # Per-process caches (analytics) drop what this or another process changed.
        core_events.delivered(event.type)
        recipients: set[Connection] = set()
        for user_id in event.audience.user_ids:
            recipients.update(self._by_user.get(user_id, ()))
        for role in event.audience.roles:
            recipients.update(self._by_role.get(role, ()))
        delivered = 0
        for connection in recipients:
            if connection.sees(event) and connection.offer(event):
                delivered += 1
        metrics.EVENTS_DELIVERED.inc(delivered)

    # --- revocation -------------------------------------------------------------------------

    def _revoke(self, event: LoggedEvent) -> None:
        """Close the person's sockets opened with a token older than the announced version."""
        try:
            data = json.loads(event.wire)["data"]
            user_id, version = int(data["user_id"]), int(data["token_version"])
        except (ValueError, KeyError, TypeError):
            logger.warning("Malformed %s event %s", SESSION_REVOKED, event.id)
            return
        known = self._revocations.get(user_id)
        if known is None or version > known[0]:
            self._revocations[user_id] = (version, time.monotonic())
        for connection in self.connections(user_id):
            if connection.token_version < version:
                connection.close(CloseCode.SESSION_REVOKED, REVOKED_REASON)

    def forget_revocations(self) -> None:
        """Forget the remembered revocations (a test harness that reuses user ids)."""
        self._revocations.clear()

    def revoked(self, user_id: int, token_version: int) -> bool:
        """Whether a token of this version was revoked by an event this process already saw."""
        known = self._revocations.get(user_id)
        return known is not None and token_version < known[0]

    # --- connections ------------------------------------------------------------------------

    def connections(self, user_id: int | None = None) -> list[Connection]:
        if user_id is not None:
            return list(self._by_user.get(user_id, ()))
        return [c for group in self._by_user.values() for c in group]

    def register(self, connection: Connection) -> bool:
        """Add a socket; False when its person already has the most sockets allowed."""
        mine = self._by_user[connection.user_id]
        if len(mine) >= self.settings.max_connections_per_user:
            if not mine:
                del self._by_user[connection.user_id]
            return False
        mine.add(connection)
        self._by_role[connection.role].add(connection)
        metrics.CONNECTIONS.inc()
        return True

    def unregister(self, connection: Connection) -> None:
        mine = self._by_user.get(connection.user_id)
        if mine is None or connection not in mine:
            return
        mine.discard(connection)
        if not mine:
            del self._by_user[connection.user_id]
        self._by_role[connection.role].discard(connection)
        metrics.CONNECTIONS.dec()
        if connection.editing:
            connection.editing = False
            self._presence_changed(connection.user_id)

    def change_role(self, connection: Connection, role: str) -> None:
        if role == connection.role:
            return
        self._by_role[connection.role].discard(connection)
        connection.role = role
        self._by_role[role].add(connection)

    async def open_stream(
        self, connection: Connection, last_event_id: EventId | None
    ) -> dict[str, Any]:
        """Send `ready`, then what the socket missed (or `resync`), then live events."""
        replay: list[LoggedEvent] | None = []
        if last_event_id is not None:
            replay = await self.backend.replay(last_event_id)
        head = await self.backend.head()
        position = head if replay is None or last_event_id is None else last_event_id
        ready = {
            "type": "ready",
            "connection_id": connection.id,
            "user": {"id": connection.user_id, "role": connection.role},
            "last_event_id": format_event_id(position),
            "expires_at": connection.expires_at_iso,
            "heartbeat": self.settings.heartbeat_interval,
        }
        connection.send(dumps(ready))
        replayed = 0
        for event in replay or []:
            if connection.sees(event) and connection.replayed(event):
                replayed += 1
            position = max(position, event.id)
        if replay is None:
            connection.send(dumps({"type": "resync", "last_event_id": format_event_id(head)}))
        connection.release(position)
        self._tell_presence(connection)
        return {"replayed": replayed, "resync": replay is None}

    # --- presence ---------------------------------------------------------------------------

    def set_editing(self, connection: Connection, editing: bool) -> None:
        if connection.editing == editing or connection.close_code is not None:
            return
        connection.editing = editing
        self._presence_changed(connection.user_id)

    def _local_editing(self, user_id: int) -> int:
        return sum(c.editing for c in self._by_user.get(user_id, ()))

    def _presence_changed(self, user_id: int) -> None:
        for connection in self.connections(user_id):
            self._tell_presence(connection)
        count = PresenceCount(self.process, user_id, self._local_editing(user_id))
        self._spawn(self.backend.publish_presence(count))

    def _on_presence(self, count: PresenceCount) -> None:
        if self._presence.record(count):
            for connection in self.connections(count.user_id):
                self._tell_presence(connection)

    def _tell_presence(self, connection: Connection) -> None:
        """Tell a socket how many OTHER sessions of its person are editing, when that changed."""
        others = (
            self._local_editing(connection.user_id)
            - connection.editing
            + self._presence.remote_total(connection.user_id)
        )
        if others != connection.presence_sent:
            connection.presence_sent = others
            connection.send(dumps({"type": "presence", "data": {"editing_sessions": others}}))

    # --- heartbeat --------------------------------------------------------------------------

    async def _tick_forever(self) -> None:
        while True:
            await asyncio.sleep(self.settings.heartbeat_interval)
            self.tick()

    def tick(self) -> None:
        """Ping every socket, drop the silent ones, refresh and expire presence counts."""
        silent_after = self.settings.heartbeat_interval * self.settings.heartbeat_misses
        now = time.monotonic()
        for connection in self.connections():
            if now - connection.last_heard > silent_after:
                connection.close(CloseCode.HEARTBEAT_TIMEOUT, "No answer to pings; reconnect")
            else:
                connection.send(_PING)
        for user_id in list(self._by_user):
            editing = self._local_editing(user_id)
            if editing:
                self._spawn(
                    self.backend.publish_presence(PresenceCount(self.process, user_id, editing))
                )
        for user_id in self._presence.prune():
            for connection in self.connections(user_id):
                self._tell_presence(connection)
        forget_before = now - _REVOCATION_MEMORY
        for user_id, (_, arrived) in list(self._revocations.items()):
            if arrived < forget_before:
                del self._revocations[user_id]

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coroutine)
        self._background.add(task)
        task.add_done_callback(self._background_done)

    def _background_done(self, task: "asyncio.Task[None]") -> None:
        self._background.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.warning("Realtime background task failed: %s", task.exception())


def create_hub(settings: Settings, realtime: RealtimeSettings | None = None) -> Hub:
    """Build the hub: Redis when DESKBOARD_REDIS_URL is set, else in-process."""
    realtime = realtime or RealtimeSettings()
    backend: Backend
    if settings.redis_url:
        backend = RedisBackend(
            settings.redis_url,
            stream=realtime.redis_stream,
            log_size=realtime.log_size,
            replay_limit=realtime.replay_limit,
        )
    else:
        backend = InProcessBackend(log_size=realtime.log_size, replay_limit=realtime.replay_limit)
    return Hub(backend, realtime)
