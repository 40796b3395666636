"""One authenticated socket: its identity, its bounded send queue and its one sender task."""

import asyncio
import contextlib
import logging
import time
import uuid
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime

from starlette.websockets import WebSocket

from deskboard.realtime import metrics
from deskboard.realtime.log import LoggedEvent
from deskboard.realtime.protocol import CloseCode, EventId, close_reason

logger = logging.getLogger(__name__)
_CLOSE_TIMEOUT = 5.0


class Connection:
    def __init__(
        self,
        websocket: WebSocket,
        *,
        user_id: int,
        role: str,
        token_version: int,
        client_id: str | None,
        queue_size: int,
        on_close: Callable[["Connection"], None],
    ) -> None:
        self.id = uuid.uuid4().hex[:16]
        self.websocket = websocket
        self.user_id = user_id
        self.role = role
        self.token_version = token_version  # of the token it authenticated with (last re-auth)
        self.client_id = client_id
        self.editing = False
        self.presence_sent = 0  # the editing_sessions figure this socket was last told
        self.last_heard = time.monotonic()
        self.close_code: int | None = None
        self.closed = asyncio.Event()
        # The send queue: a deque and one waiter (what asyncio.Queue does, for a fraction of
        # its CPU: each event is queued on every socket of its audience).
        self._pending: deque[str] = deque()
        self._queue_size = queue_size
        self._wakeup: asyncio.Future[None] | None = None
        self._on_close = on_close
        self._sender: asyncio.Task[None] | None = None
        self._closer: asyncio.Task[None] | None = None
        self._expiry: asyncio.TimerHandle | None = None
        self.expires_at = 0.0
        # While replay is being read, live events wait here; `watermark` then drops duplicates.
        self._held: list[LoggedEvent] | None = []
        self._watermark: EventId | None = None

    def start(self) -> None:
        self._sender = asyncio.create_task(self._send_forever(), name=f"ws-sender-{self.id}")

    def sees(self, event: LoggedEvent) -> bool:
        """Whether this socket may receive the event (and did not cause it)."""
        if self.client_id is not None and self.client_id == event.origin:
            return False
        return event.audience.includes(self.user_id, self.role)

    def send(self, text: str) -> bool:
        """Queue a message without waiting; a full queue drops this socket as a slow consumer."""
        if self.close_code is not None:
            return False
        if len(self._pending) >= self._queue_size:
            self.close(CloseCode.SLOW_CONSUMER, "Too slow to keep up; reconnect with last_event_id")
            return False
        self._pending.append(text)
        waiter = self._wakeup
        if waiter is not None and not waiter.done():
            waiter.set_result(None)
        return True

    def offer(self, event: LoggedEvent) -> bool:
        """Queue a live event (the caller checked `sees`); hold it while replay is under way."""
        if self._held is not None:
            self._held.append(event)
            return False
        return self._send_event(event)

    def _send_event(self, event: LoggedEvent) -> bool:
        if self._watermark is not None and event.id <= self._watermark:
            return False
        self._watermark = event.id
        return self.send(event.wire)

    def release(self, watermark: EventId) -> int:
        """End replay: send the held live events newer than `watermark`; return how many."""
        held, self._held = self._held or [], None
        self._watermark = watermark
        return sum(self._send_event(event) for event in held)

    def replayed(self, event: LoggedEvent) -> bool:
        return self._send_event(event)

    def expire_at(self, expires_at: float) -> None:
        """Close with TOKEN_EXPIRED when the access token runs out (re-auth moves this)."""
        self.expires_at = expires_at
        if self._expiry is not None:
            self._expiry.cancel()
        delay = max(0.0, expires_at - time.time())
        self._expiry = asyncio.get_running_loop().call_later(
            delay, self.close, CloseCode.TOKEN_EXPIRED, "Token expired; refresh and reconnect"
        )

    @property
    def expires_at_iso(self) -> str:
        moment = datetime.fromtimestamp(self.expires_at, UTC)
        return moment.isoformat().replace("+00:00", "Z")

    def close(self, code: int, reason: str) -> None:
        """Close with a code (the client is told why); safe to call more than once."""
        if self._finish(code):
            metrics.CLOSED.labels(code=str(code)).inc()
            self._closer = asyncio.create_task(self._send_close(code, close_reason(reason)))

    def dispose(self) -> None:
        """Forget a socket the client already closed."""
        if self._finish(1000):
            self.closed.set()

    def _finish(self, code: int) -> bool:
        if self.close_code is not None:
            return False
        self.close_code = code
        if self._expiry is not None:
            self._expiry.cancel()
        if self._sender is not None and self._sender is not asyncio.current_task():
            self._sender.cancel()
        self._on_close(self)
        return True

    async def _send_close(self, code: int, reason: str) -> None:
        try:
            # A client that stopped reading may never take the close frame: do not wait forever.
            await asyncio.wait_for(self.websocket.close(code, reason), _CLOSE_TIMEOUT)
        except Exception:  # already gone, or stuck: either way the socket is finished
            logger.debug("Close of socket %s did not complete", self.id, exc_info=True)
        finally:
            self.closed.set()

    async def _send_forever(self) -> None:
        loop = asyncio.get_running_loop()
        pending = self._pending
        try:
            while True:
                while not pending:
                    self._wakeup = loop.create_future()
                    await self._wakeup
                await self.websocket.send_text(pending.popleft())
        except asyncio.CancelledError:
            raise
        except Exception:  # the peer went away mid-send
            logger.debug("Send to socket %s failed", self.id, exc_info=True)
            self.dispose()

    async def wait_closed(self) -> None:
        await self.closed.wait()
        if self._closer is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._closer
