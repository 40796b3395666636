"""What the hub's backends carry: logged events (with ordered ids) and presence counts."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from deskboard.core.events import Audience, Event
from deskboard.realtime.protocol import EventId, dumps, format_event_id


@dataclass(frozen=True)
class LoggedEvent:
    """An event as stored in the log: its ordered id, who may see it, and its wire text."""

    id: EventId
    type: str
    audience: Audience
    origin: str | None
    wire: str  # {"type","id","at","data"}, serialised once for every recipient


@dataclass(frozen=True)
class PresenceCount:
    """How many sessions of one person are editing their layout in one server process."""

    process: str
    user_id: int
    editing: int


def encode_event(event: Event) -> str:
    """Serialise an event for the log (audience and origin included, unlike the wire form)."""
    return dumps(
        {
            "type": event.type,
            "at": event.at.isoformat().replace("+00:00", "Z"),
            "data": event.data,
            "user_ids": sorted(event.audience.user_ids),
            "roles": sorted(event.audience.roles),
            "origin": event.origin,
            "request_id": event.request_id,
        }
    )


def log_event(event_id: EventId, event: Event) -> LoggedEvent:
    """The logged form of an event raised in this process: one serialisation, for the wire."""
    wire = dumps(
        {
            "type": event.type,
            "id": format_event_id(event_id),
            "at": event.at.isoformat().replace("+00:00", "Z"),
            "data": event.data,
        }
    )
    return LoggedEvent(
        id=event_id,
        type=event.type,
        audience=event.audience,
        origin=event.origin,
        wire=wire,
    )


def decode_event(event_id: EventId, payload: str) -> LoggedEvent:
    stored: dict[str, Any] = json.loads(payload)
    wire = dumps(
        {
            "type": stored["type"],
            "id": format_event_id(event_id),
            "at": stored["at"],
            "data": stored["data"],
        }
    )
    return LoggedEvent(
        id=event_id,
        type=stored["type"],
        audience=Audience(user_ids=frozenset(stored["user_ids"]), roles=frozenset(stored["roles"])),
        origin=stored["origin"],
        wire=wire,
    )


def encode_presence(count: PresenceCount) -> str:
    return dumps({"process": count.process, "user_id": count.user_id, "editing": count.editing})


def decode_presence(payload: str) -> PresenceCount:
    stored = json.loads(payload)
    return PresenceCount(
        process=str(stored["process"]),
        user_id=int(stored["user_id"]),
        editing=int(stored["editing"]),
    )


DeliverEvent = Callable[[LoggedEvent], None]
DeliverPresence = Callable[[PresenceCount], None]


class Backend(Protocol):
    """Carries events to every server process and keeps a bounded log for replay."""

    async def start(self, deliver: DeliverEvent, presence: DeliverPresence) -> None: ...

    async def stop(self) -> None: ...

    async def publish(self, event: Event) -> None: ...

    async def publish_presence(self, count: PresenceCount) -> None: ...

    async def head(self) -> EventId:
        """Return the id of the newest event (a client that has seen it has missed nothing)."""
        ...

    async def replay(self, after: EventId) -> list[LoggedEvent] | None:
        """Return the events after `after`, or None when some were trimmed or it is unknown."""
        ...
