"""Events are queued on the session and leave only after its transaction commits."""

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.core import context
from deskboard.core.time import utcnow


@dataclass(frozen=True)
class Audience:
    """Who may receive an event: any listed user id, or anyone holding one of the roles."""

    user_ids: frozenset[int] = frozenset()
    roles: frozenset[str] = frozenset()

    def includes(self, user_id: int, role: str) -> bool:
        return user_id in self.user_ids or role in self.roles


# Internal event (never sent to a browser: its audience is empty): a person's token version
# changed, so every server process closes that person's sockets opened with an older token.
# data: {"user_id": int, "token_version": int}.
SESSION_REVOKED = "session.revoked"


@dataclass
class Event:
    type: str
    data: dict[str, Any]
    audience: Audience
    # Session id of the connection that caused it, so the sender's own socket can skip it.
    origin: str | None = None
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    at: datetime = field(default_factory=utcnow)
    # The request that raised it, for logs across processes (not sent to browsers).
    request_id: str | None = field(default_factory=context.request_id)


Publisher = Callable[[Event], Awaitable[None]]
Listener = Callable[[Event], None]
TypeListener = Callable[[str], None]
_publisher: Publisher | None = None
_listeners: list[Listener] = []
_delivery_listeners: list[TypeListener] = []
logger = logging.getLogger(__name__)
_PENDING = "deskboard.pending_events"


def set_publisher(publisher: Publisher | None) -> Publisher | None:
    """Install the realtime hub's publish function (done at start-up); return the one it
    replaces, for the app to put back when it stops (an app started inside another, in tests)."""
    global _publisher
    previous, _publisher = _publisher, publisher
    return previous


def add_listener(listener: Listener) -> None:
    """Also hand every committed event of this process to `listener` (e.g. to drop a cache)."""
    if listener not in _listeners:
        _listeners.append(listener)


def add_delivery_listener(listener: TypeListener) -> None:
    """Hand `listener` the type of every event the realtime hub receives, those committed by
    other server processes included (with Redis), e.g. to drop a per-process cache."""
    if listener not in _delivery_listeners:
        _delivery_listeners.append(listener)


def delivered(event_type: str) -> None:
    """Called by the realtime hub for each event its backend hands it, from any process."""
    for listener in _delivery_listeners:
        try:
            listener(event_type)
        except Exception:  # a listener's failure must not stop the event reaching browsers
            logger.exception("Delivery listener failed on %s", event_type)


def emit(session: AsyncSession, event: Event) -> None:
    """Queue an event on the session; it is published only if the transaction commits."""
    session.info.setdefault(_PENDING, []).append(event)


def pending(info: dict[str, Any]) -> list[Event]:
    """The events queued on a session (by its `info`), not yet published: a before-commit hook
    writes what must survive a crash (e.g. webhook deliveries) into the same transaction."""
    return list(info.get(_PENDING, ()))


def mark(session: AsyncSession) -> int:
    """How many events are queued now: `drop_since(session, mark)` forgets the later ones (the
    work that queued them was rolled back to a savepoint)."""
    return len(session.info.get(_PENDING, ()))


def drop_since(session: AsyncSession, marked: int) -> None:
    queued = session.info.get(_PENDING)
    if queued is not None:
        del queued[marked:]


async def release(session: AsyncSession) -> None:
    """Publish the events of a committed session."""
    pending: list[Event] = session.info.pop(_PENDING, [])
    for event in pending:
        for listener in _listeners:
            try:
                listener(event)
            except Exception:  # a listener's failure must not stop the event reaching browsers
                logger.exception("Event listener failed on %s", event.type)
    if _publisher is None:
        return
    for event in pending:
        await _publisher(event)


def discard(session: AsyncSession) -> None:
    session.info.pop(_PENDING, None)
