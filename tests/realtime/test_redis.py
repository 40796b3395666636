"""The Redis backend against the real local Redis, with two real server processes."""

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import httpx
import pytest
from redis.asyncio import Redis

from deskboard.core.events import Audience, Event
from deskboard.realtime.protocol import CloseCode
from deskboard.realtime.redis_backend import RedisBackend
from tests.realtime.conftest import Socket, access_token

REDIS_URL = os.environ.get("DESKBOARD_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}/api/ws"


def _start_server(stream: str) -> Server:
    port = _free_port()
    env = {**os.environ, "DESKBOARD_REDIS_URL": REDIS_URL, "DESKBOARD_WS_REDIS_STREAM": stream}
    command = [sys.executable, "-m", "uvicorn", "deskboard.app:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    return Server(subprocess.Popen(command, env=env), port)


def _wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + 120  # a loaded machine imports slowly
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server on {server.port} exited with {server.process.returncode}")
        try:
            if httpx.get(server.http + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"server on {server.port} did not start")


@pytest.fixture(scope="module")
def stream() -> str:
    return f"deskboard-test:{uuid.uuid4().hex}:events"


@pytest.fixture(scope="module")
def servers(settings, stream: str) -> Iterator[tuple[Server, Server]]:
    """Two uvicorn processes sharing the test database and one Redis stream."""
    pair = (_start_server(stream), _start_server(stream))
    try:
        for server in pair:
            _wait_until_up(server)
        yield pair
    finally:
        for server in pair:
            server.process.terminate()
        for server in pair:
            server.process.wait(timeout=10)


@pytest.fixture(scope="module", autouse=True)
async def _drop_stream(stream: str) -> AsyncIterator[None]:
    yield
    redis = Redis.from_url(REDIS_URL)
    await redis.delete(stream)
    await redis.aclose()


async def _socket_on(open_socket, server: Server, user, **options) -> Socket:
    return await open_socket(user, url=server.ws, **options)


async def test_ticket_created_in_one_process_reaches_sockets_on_the_other(
    servers, open_socket, make_user
):
    first, second = servers
    requester, stranger, agent = (
        await make_user("user"),
        await make_user("user"),
        await make_user("agent"),
    )
    agent_on_second = await open_socket(agent, url=second.ws)
    requester_on_second = await open_socket(requester, url=second.ws, client_id="tab-2")
    requester_on_first = await open_socket(requester, url=first.ws, client_id="tab-1")
    stranger_on_second = await open_socket(stranger, url=second.ws)

    async with httpx.AsyncClient(
        base_url=first.http, headers={"Authorization": f"Bearer {access_token(requester)}"}
    ) as http:
        response = await http.post(
            "/api/tickets", json={"title": "Across processes"}, headers={"X-Client-Id": "tab-1"}
        )
        assert response.status_code == 201, response.text
        ticket_id = response.json()["id"]
        update = await http.put(
            f"/api/tickets/{ticket_id}", json={"title": "Still across", "version": 1}
        )
        assert update.status_code == 200, update.text

    created = await agent_on_second.receive_type("ticket.created")
    assert created["data"]["id"] == ticket_id
    assert (await requester_on_second.receive_type("ticket.created"))["data"]["id"] == ticket_id
    # The writing tab (same client id) skips the creation but gets the update made without one.
    assert (await requester_on_first.receive_type("ticket.updated"))["data"]["id"] == ticket_id
    assert (await agent_on_second.receive_type("ticket.updated"))["id"] > created["id"]
    # The stranger never hears of it: its socket is still open and silent.
    with pytest.raises(TimeoutError):
        await stranger_on_second.receive_type("ticket.created", within=0.5)


async def test_a_ticket_change_in_one_process_refreshes_the_others_analytics_at_once(
    servers, make_user
):
    """Each process caches analytics (15 s); another process's ticket event drops the entry."""
    first, second = servers
    agent = await make_user("agent")
    headers = {"Authorization": f"Bearer {access_token(agent)}"}
    async with (
        httpx.AsyncClient(base_url=first.http, headers=headers) as on_first,
        httpx.AsyncClient(base_url=second.http, headers=headers) as on_second,
    ):

        async def total() -> int:
            response = await on_second.get("/api/analytics/by-status")
            assert response.status_code == 200, response.text
            return response.json()["total"]

        before = await total()  # now cached in the second process
        created = await on_first.post("/api/tickets", json={"title": "Counted elsewhere"})
        assert created.status_code == 201, created.text
        for _ in range(100):  # the event travels through Redis: well under the cache's 15 s
            if await total() == before + 1:
                break
            await asyncio.sleep(0.05)
        assert await total() == before + 1


async def test_presence_crosses_processes(servers, open_socket, make_user):
    first, second = servers
    owner = await make_user("user")
    watching = await open_socket(owner, url=second.ws)
    editing = await open_socket(owner, url=first.ws)
    await editing.send({"type": "presence", "editing": True})
    assert (await watching.receive_type("presence"))["data"] == {"editing_sessions": 1}
    await editing.connection.close()
    assert (await watching.receive_type("presence"))["data"] == {"editing_sessions": 0}


async def test_reconnect_to_the_other_process_replays_from_the_stream(
    servers, open_socket, make_user
):
    first, second = servers
    requester = await make_user("user")
    token = access_token(requester)
    before = await open_socket(requester, url=first.ws)
    last_seen = before.ready["last_event_id"]
    await before.connection.close()

    async with httpx.AsyncClient(
        base_url=first.http, headers={"Authorization": f"Bearer {token}"}
    ) as http:
        ids = []
        for title in ("one", "two"):
            response = await http.post("/api/tickets", json={"title": title})
            assert response.status_code == 201, response.text
            ids.append(response.json()["id"])

    after = await open_socket(requester, url=second.ws, last_event_id=last_seen)
    replayed = [await after.receive_type("ticket.created") for _ in ids]
    assert [m["data"]["id"] for m in replayed] == ids


async def test_a_role_change_in_one_process_closes_the_sockets_on_the_other(
    servers, open_socket, make_user
):
    first, second = servers
    admin, agent, colleague = (
        await make_user("admin"),
        await make_user("agent"),
        await make_user("agent"),
    )
    demoted = await open_socket(agent, url=second.ws)
    on_first = await open_socket(agent, url=first.ws)
    watching = await open_socket(colleague, url=second.ws)

    async with httpx.AsyncClient(
        base_url=first.http, headers={"Authorization": f"Bearer {access_token(admin)}"}
    ) as http:
        response = await http.patch(f"/api/users/{agent.id}", json={"role": "user"})
        assert response.status_code == 200, response.text
        ticket = await http.post("/api/tickets", json={"title": "Staff only talk"})
        note = await http.post(
            f"/api/tickets/{ticket.json()['id']}/comments",
            json={"body": "internal", "internal": True},
        )
        assert note.status_code == 201, note.text

    for closing in (demoted, on_first):
        received, code = await closing.until_closed()
        assert code == CloseCode.SESSION_REVOKED
        assert not [m for m in received if m["type"].startswith("ticket.")], received
    # The colleague on the demoted socket's process got both (the events did cross).
    assert (await watching.receive_type("ticket.created"))["data"]["id"] == ticket.json()["id"]
    assert (await watching.receive_type("ticket.updated"))["data"]["comment"]["internal"]


def _event(number: int) -> Event:
    return Event("ticket.updated", {"n": number}, audience=Audience(roles=frozenset({"agent"})))


async def test_redis_log_refuses_a_gap_older_than_the_stream():
    stream = f"deskboard-test:{uuid.uuid4().hex}:trim"
    backend = RedisBackend(REDIS_URL, stream=stream, log_size=10, replay_limit=50)
    delivered: list[int] = []
    await backend.start(lambda e: delivered.append(json.loads(e.wire)["data"]["n"]), print)
    try:
        start = await backend.head()
        assert await backend.replay(start) == []
        for number in range(3):
            await backend.publish(_event(number))
        replayed = await backend.replay(start)
        assert [json.loads(e.wire)["data"]["n"] for e in replayed or []] == [0, 1, 2]
        for number in range(3, 300):
            await backend.publish(_event(number))  # MAXLEN ~10 trims whole stream nodes
        assert await backend.replay(start) is None
        head = await backend.head()
        assert await backend.replay(head) == []
        assert await backend.replay((head[0] + 1, 0)) is None  # an id from the future
        for _ in range(100):
            if len(delivered) == 300:
                break
            await asyncio.sleep(0.02)
        assert delivered == list(range(300))  # the reader saw every event, in order
    finally:
        await backend.stop()
        redis = Redis.from_url(REDIS_URL)
        await redis.delete(stream)
        await redis.aclose()


async def test_publishing_while_redis_is_down_is_logged_not_raised():
    from deskboard.realtime import metrics
    from deskboard.realtime.hub import Hub
    from deskboard.realtime.settings import RealtimeSettings

    unreachable = RedisBackend("redis://127.0.0.1:1/0", stream="x", log_size=10, replay_limit=10)
    hub = Hub(unreachable, RealtimeSettings())
    await hub.start()  # the server still starts
    failures = metrics.PUBLISH_FAILURES._value.get()
    try:
        await hub.publish(_event(1))
    finally:
        await hub.stop()
    assert metrics.PUBLISH_FAILURES._value.get() == failures + 1
