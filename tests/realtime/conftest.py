"""Realtime test kit: the test app served by a real uvicorn on a free port, and socket helpers."""

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import jwt
import pytest
import uvicorn
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from deskboard.auth.models import User
from deskboard.auth.security import ALGORITHM, create_access_token
from deskboard.config import get_settings
from deskboard.core import events
from deskboard.core.events import Audience, Event
from deskboard.db import Database
from deskboard.realtime.hub import Hub

RECEIVE_TIMEOUT = 10.0


@pytest.fixture(scope="session")
async def ws_url(app: Any) -> AsyncIterator[str]:
    """Serve the session's app (its lifespan already entered) over real sockets."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, lifespan="off", log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"ws://127.0.0.1:{port}/api/ws"
    server.should_exit = True
    await task


@pytest.fixture
def hub(app: Any) -> Hub:
    return app.state.hub


def token_expiring_in(user: User, seconds: float) -> str:
    """An access token whose `exp` is `seconds` from now (negative: already expired)."""
    now = int(time.time())
    claims = {"sub": str(user.id), "role": user.role, "iat": now, "exp": now + seconds}
    claims["ver"] = user.token_version
    claims["typ"] = "access"
    return jwt.encode(claims, get_settings().resolved_secret_key, algorithm=ALGORITHM)


class Socket:
    """A websockets client with JSON helpers."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection
        self.ready: dict[str, Any] = {}

    async def send(self, message: dict[str, Any]) -> None:
        await self.connection.send(json.dumps(message))

    async def receive(self, within: float = RECEIVE_TIMEOUT) -> dict[str, Any]:
        return json.loads(await asyncio.wait_for(self.connection.recv(), within))

    async def receive_type(self, kind: str, within: float = RECEIVE_TIMEOUT) -> dict[str, Any]:
        """Return the next message of one type, skipping pings."""
        while True:
            message = await self.receive(within)
            if message["type"] == "ping":
                continue
            assert message["type"] == kind, message
            return message

    async def until_closed(
        self, within: float = RECEIVE_TIMEOUT
    ) -> tuple[list[dict[str, Any]], int | None]:
        """Read until the server closes; return what came before (pings aside) and the code."""
        received: list[dict[str, Any]] = []
        try:
            async with asyncio.timeout(within):
                while True:
                    message = json.loads(await self.connection.recv())
                    if message["type"] != "ping":
                        received.append(message)
        except ConnectionClosed as closed:
            return received, closed.rcvd.code if closed.rcvd else None

    async def close_code(self, within: float = RECEIVE_TIMEOUT) -> int | None:
        """Read until the server closes; return its close code."""
        try:
            async with asyncio.timeout(within):
                while True:
                    await self.connection.recv()
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None
        raise AssertionError("unreachable")


Connect = Callable[..., Awaitable[Socket]]


@pytest.fixture
async def open_socket(ws_url: str) -> AsyncIterator[Connect]:
    """Factory: a socket, authenticated as `user` unless `auth=False`; closed after the test."""
    opened: list[ClientConnection] = []

    async def factory(
        user: User | None = None,
        *,
        token: str | None = None,
        client_id: str | None = None,
        last_event_id: str | None = None,
        expect_ready: bool = True,
        url: str | None = None,
        **connect_options: Any,
    ) -> Socket:
        connection = await connect(url or ws_url, **connect_options)
        opened.append(connection)
        socket = Socket(connection)
        if user is None and token is None:
            return socket
        auth: dict[str, Any] = {"type": "auth", "token": token or access_token(user)}
        if client_id is not None:
            auth["client_id"] = client_id
        if last_event_id is not None:
            auth["last_event_id"] = last_event_id
        await socket.send(auth)
        if expect_ready:
            socket.ready = await socket.receive_type("ready")
        return socket

    yield factory
    for connection in opened:
        with contextlib.suppress(Exception):
            await connection.close()


def access_token(user: User | None) -> str:
    assert user is not None
    return create_access_token(user.id, user.role, version=user.token_version)


Emit = Callable[..., Awaitable[None]]


@pytest.fixture
def emit(database: Database) -> Emit:
    """Emit events through a committed unit of work, the way services do."""

    async def emit_events(*batch: Event) -> None:
        async with database.unit_of_work() as session:
            for event in batch:
                events.emit(session, event)

    return emit_events


def event(
    kind: str,
    data: dict[str, Any],
    *,
    user_ids: set[int] = frozenset(),  # type: ignore[assignment]
    roles: set[str] = frozenset(),  # type: ignore[assignment]
    origin: str | None = None,
) -> Event:
    return Event(
        kind, data, audience=Audience(frozenset(user_ids), frozenset(roles)), origin=origin
    )


def marker(label: str) -> Event:
    """An event every role sees: the next thing a socket receives after what it must NOT get."""
    return event("test.marker", {"label": label}, roles={"admin", "agent", "user", "guest"})
