"""The WebSocket protocol of /api/ws: close codes, server messages, client messages, event ids."""

import json
from enum import IntEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError


class CloseCode(IntEnum):
    """Why the server closed a socket, and what the client should do about it."""

    GOING_AWAY = 1001  # server shutting down: reconnect with last_event_id
    INTERNAL_ERROR = 1011  # database or Redis trouble: reconnect with backoff
    HEARTBEAT_TIMEOUT = 4000  # nothing heard for too long: reconnect with last_event_id
    TOKEN_EXPIRED = 4001  # access token expired: refresh it, reconnect with last_event_id
    SLOW_CONSUMER = 4002  # send queue overflowed: reconnect with last_event_id
    # The person signed out elsewhere, or their role, password or account changed: refresh the
    # token (a refused refresh means sign in again) and reconnect with last_event_id.
    SESSION_REVOKED = 4003
    PROTOCOL_ERROR = 4400  # malformed message, or first message not auth: fix the client
    UNAUTHENTICATED = 4401  # forged token or disabled account: sign in again
    AUTH_TIMEOUT = 4408  # no auth message in time: reconnect and authenticate at once
    # Per-person cap, or per-address cap of sockets awaiting auth: close another tab; retry later.
    TOO_MANY_CONNECTIONS = 4429


class _ClientMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AuthMessage(_ClientMessage):
    type: Literal["auth"]
    token: Annotated[str, Field(min_length=1, max_length=4096)]
    client_id: Annotated[str | None, Field(max_length=128)] = None
    last_event_id: Annotated[str | None, Field(max_length=64)] = None


class PongMessage(_ClientMessage):
    type: Literal["pong"]


class PresenceMessage(_ClientMessage):
    type: Literal["presence"]
    editing: bool


ClientMessage = Annotated[AuthMessage | PongMessage | PresenceMessage, Field(discriminator="type")]
_client_message: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)


class ProtocolError(Exception):
    """A client message the server cannot accept; the socket is closed with 4400."""


def parse_client_message(text: str, *, max_chars: int) -> ClientMessage:
    if len(text) > max_chars:
        raise ProtocolError(f"Message over {max_chars} characters")
    try:
        return _client_message.validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "message"
        raise ProtocolError(f"{where}: {first['msg']}") from exc


def dumps(message: dict[str, Any]) -> str:
    return json.dumps(message, separators=(",", ":"), default=str)


def close_reason(text: str) -> str:
    """Trim a close reason to the 123 bytes a close frame can carry."""
    return text.encode()[:123].decode(errors="ignore")


EventId = tuple[int, int]


def parse_event_id(value: str) -> EventId | None:
    """Parse "<milliseconds>-<sequence>" (a Redis stream id); None when malformed."""
    head, sep, tail = value.partition("-")
    if not sep or not head.isdigit() or not tail.isdigit():
        return None
    return int(head), int(tail)


def format_event_id(event_id: EventId) -> str:
    return f"{event_id[0]}-{event_id[1]}"
