"""Serve one socket of /api/ws: authenticate, register, replay, then read client messages."""

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass

from starlette.websockets import WebSocket, WebSocketDisconnect

from deskboard.auth.deps import TOKEN_REVOKED, user_from_token
from deskboard.auth.security import decode_access_token
from deskboard.core.errors import Unauthorized
from deskboard.db import get_database
from deskboard.realtime import metrics
from deskboard.realtime.connection import Connection
from deskboard.realtime.gate import PENDING
from deskboard.realtime.hub import REVOKED_REASON, Hub
from deskboard.realtime.protocol import (
    AuthMessage,
    CloseCode,
    PresenceMessage,
    ProtocolError,
    close_reason,
    dumps,
    parse_client_message,
    parse_event_id,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Identity:
    user_id: int
    role: str
    token_version: int
    expires_at: float  # the access token's `exp`, seconds since the epoch


class AuthFailure(Exception):
    def __init__(self, code: CloseCode, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


async def authenticate(token: str, hub: Hub) -> Identity:
    """Resolve an access token to an active person, with a short-lived database session."""
    try:
        async with get_database().unit_of_work() as session:
            user = await user_from_token(session, token)
            identity = Identity(
                user_id=user.id,
                role=str(user.role),
                token_version=user.token_version,
                expires_at=float(decode_access_token(token)["exp"]),
            )
    except Unauthorized as exc:
        if exc.detail == "Token expired":
            raise AuthFailure(
                CloseCode.TOKEN_EXPIRED, "Token expired; refresh and reconnect"
            ) from exc
        if exc.detail == TOKEN_REVOKED:
            raise AuthFailure(CloseCode.SESSION_REVOKED, REVOKED_REASON) from exc
        raise AuthFailure(CloseCode.UNAUTHENTICATED, str(exc.detail)) from exc
    # Read before a bump committed whose event this process has already handled: the socket
    # would register after its person's sockets were closed, so refuse it now.
    if hub.revoked(identity.user_id, identity.token_version):
        raise AuthFailure(CloseCode.SESSION_REVOKED, REVOKED_REASON)
    return identity


async def _refuse(websocket: WebSocket, code: CloseCode, reason: str) -> None:
    metrics.REFUSED.labels(code=str(int(code))).inc()
    with contextlib.suppress(Exception):  # the peer may already be gone
        await websocket.close(int(code), close_reason(reason))


async def _first_message(websocket: WebSocket, hub: Hub) -> AuthMessage | None:
    """The auth message, counted among the address's unauthenticated sockets while awaited."""
    address = websocket.client.host if websocket.client else ""
    if not PENDING.enter(address, hub.settings.max_unauthenticated_per_address):
        await _refuse(websocket, CloseCode.TOO_MANY_CONNECTIONS, "Too many unauthenticated sockets")
        return None
    try:
        return await _read_first_message(websocket, hub)
    finally:
        PENDING.leave(address)


async def _read_first_message(websocket: WebSocket, hub: Hub) -> AuthMessage | None:
    try:
        text = await asyncio.wait_for(_receive_text(websocket), hub.settings.auth_timeout)
        message = parse_client_message(text, max_chars=hub.settings.max_auth_message_chars)
    except TimeoutError:
        await _refuse(websocket, CloseCode.AUTH_TIMEOUT, "No auth message in time")
        return None
    except ProtocolError as exc:
        await _refuse(websocket, CloseCode.PROTOCOL_ERROR, str(exc))
        return None
    except WebSocketDisconnect:
        return None
    if not isinstance(message, AuthMessage):
        await _refuse(websocket, CloseCode.PROTOCOL_ERROR, "The first message must be auth")
        return None
    return message


async def serve_socket(websocket: WebSocket, hub: Hub) -> None:
    await websocket.accept()
    auth = await _first_message(websocket, hub)
    if auth is None:
        return
    try:
        identity = await authenticate(auth.token, hub)
    except AuthFailure as exc:
        await _refuse(websocket, exc.code, exc.reason)
        return
    except Exception:  # the database is unreachable: the client retries with backoff
        logger.exception("Authenticating a socket failed")
        await _refuse(websocket, CloseCode.INTERNAL_ERROR, "Server error; retry shortly")
        return
    connection = Connection(
        websocket,
        user_id=identity.user_id,
        role=identity.role,
        token_version=identity.token_version,
        client_id=auth.client_id,
        queue_size=hub.settings.send_queue_size,
        on_close=hub.unregister,
    )
    if not hub.register(connection):
        await _refuse(
            websocket,
            CloseCode.TOO_MANY_CONNECTIONS,
            f"At most {hub.settings.max_connections_per_user} open connections per person",
        )
        return
    connection.start()
    connection.expire_at(identity.expires_at)
    position = None
    if auth.last_event_id is not None:
        # A malformed id cannot be placed in the log: treat it as a gap, so the client resyncs.
        position = parse_event_id(auth.last_event_id) or (-1, -1)
    try:
        await hub.open_stream(connection, position)
    except Exception:  # the backend (Redis) failed while reading the replay
        logger.exception("Opening the event stream of socket %s failed", connection.id)
        connection.close(CloseCode.INTERNAL_ERROR, "Server error; retry shortly")
    receiver = asyncio.create_task(
        _receive_forever(connection, hub), name=f"ws-recv-{connection.id}"
    )
    try:
        await connection.wait_closed()
    finally:
        receiver.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await receiver
        connection.dispose()


async def _receive_forever(connection: Connection, hub: Hub) -> None:
    try:
        while True:
            text = await _receive_text(connection.websocket)
            await _handle(connection, hub, text)
    except WebSocketDisconnect:
        connection.dispose()
    except ProtocolError as exc:
        connection.close(CloseCode.PROTOCOL_ERROR, str(exc))
    except AuthFailure as exc:
        connection.close(exc.code, exc.reason)
    except Exception:  # e.g. the database failed during re-authentication
        logger.exception("Handling a message of socket %s failed", connection.id)
        connection.close(CloseCode.INTERNAL_ERROR, "Server error; retry shortly")


async def _receive_text(websocket: WebSocket) -> str:
    message = await websocket.receive()
    if message["type"] == "websocket.disconnect":
        raise WebSocketDisconnect(message.get("code", 1000), message.get("reason"))
    text = message.get("text")
    if text is None:
        raise ProtocolError("Binary messages are not accepted")
    return str(text)


async def _handle(connection: Connection, hub: Hub, text: str) -> None:
    connection.last_heard = time.monotonic()
    message = parse_client_message(text, max_chars=hub.settings.max_message_chars)
    if isinstance(message, PresenceMessage):
        hub.set_editing(connection, message.editing)
    elif isinstance(message, AuthMessage):
        identity = await authenticate(message.token, hub)
        if identity.user_id != connection.user_id:
            raise ProtocolError("Re-authentication must be for the same person")
        connection.token_version = identity.token_version
        hub.change_role(connection, identity.role)
        connection.expire_at(identity.expires_at)
        connection.send(
            dumps(
                {
                    "type": "auth.ok",
                    "user": {"id": identity.user_id, "role": identity.role},
                    "expires_at": connection.expires_at_iso,
                }
            )
        )
