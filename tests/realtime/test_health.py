"""Heartbeat, dead sockets, slow-consumer isolation, the per-person cap, metrics."""

import asyncio
import secrets
import socket
import time
from urllib.parse import urlsplit

from deskboard.realtime.protocol import CloseCode
from tests.realtime.conftest import event, marker


def _connection_of(hub, user_id):
    (connection,) = hub.connections(user_id)
    return connection


async def test_heartbeat_pings_and_any_message_counts_as_an_answer(open_socket, make_user, hub):
    user = await make_user("user")
    socket = await open_socket(user)
    hub.tick()
    assert await socket.receive() == {"type": "ping"}
    connection = _connection_of(hub, user.id)
    heard = connection.last_heard
    await socket.send({"type": "pong"})
    for _ in range(100):
        if connection.last_heard > heard:
            break
        await asyncio.sleep(0.01)
    assert connection.last_heard > heard


async def test_silent_socket_is_dropped_as_dead(open_socket, make_user, hub):
    user = await make_user("user")
    socket = await open_socket(user)
    connection = _connection_of(hub, user.id)
    silent_for = hub.settings.heartbeat_interval * hub.settings.heartbeat_misses + 1
    connection.last_heard = time.monotonic() - silent_for
    hub.tick()
    assert await socket.close_code() == CloseCode.HEARTBEAT_TIMEOUT
    assert hub.connections(user.id) == []


async def _small_buffer_socket(url: str) -> socket.socket:
    address = urlsplit(url)
    raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16_384)
    raw.setblocking(False)
    await asyncio.get_running_loop().sock_connect(raw, (address.hostname, address.port))
    return raw


async def test_slow_consumer_is_dropped_without_slowing_the_others(
    open_socket, make_user, hub, emit, monkeypatch, ws_url
):
    monkeypatch.setattr(hub.settings, "send_queue_size", 8)
    agent_slow, agent_fast = await make_user("agent"), await make_user("agent")
    # The slow client buffers at most one message, has a small kernel buffer and never reads:
    # the server's writes to it back up (as they do for a browser on a bad network).
    slow = await open_socket(
        agent_slow, max_queue=1, compression=None, sock=await _small_buffer_socket(ws_url)
    )
    fast = await open_socket(agent_fast)
    total = 300
    received = 0

    async def read_fast() -> None:
        nonlocal received
        while received < total:
            message = await fast.receive_type("ticket.updated")
            assert message["data"]["n"] == received
            received += 1

    reader = asyncio.create_task(read_fast())
    started = time.monotonic()
    for number in range(total):
        body = secrets.token_urlsafe(24_000)  # incompressible, ~32 KB
        await emit(event("ticket.updated", {"n": number, "body": body}, roles={"agent"}))
        await asyncio.sleep(0.002)
    await asyncio.wait_for(reader, 10)
    assert received == total
    assert time.monotonic() - started < 10
    assert await slow.close_code(within=10) == CloseCode.SLOW_CONSUMER
    assert hub.connections(agent_slow.id) == []
    assert len(hub.connections(agent_fast.id)) == 1


async def test_connection_cap_refuses_the_newest_socket(open_socket, make_user, hub, monkeypatch):
    monkeypatch.setattr(hub.settings, "max_connections_per_user", 2)
    user = await make_user("user")
    first = await open_socket(user)
    await open_socket(user)
    refused = await open_socket(user, expect_ready=False)
    assert await refused.close_code() == CloseCode.TOO_MANY_CONNECTIONS
    await first.connection.close()
    for _ in range(100):
        if len(hub.connections(user.id)) < 2:
            break
        await asyncio.sleep(0.01)
    third = await open_socket(user)
    assert third.ready["user"]["id"] == user.id


async def test_cap_is_per_person(open_socket, make_user, hub, monkeypatch):
    monkeypatch.setattr(hub.settings, "max_connections_per_user", 1)
    first, second = await make_user("user"), await make_user("user")
    await open_socket(first)
    assert (await open_socket(second)).ready["user"]["id"] == second.id


async def test_metrics_count_connections_and_deliveries(open_socket, make_user, client, emit):
    user = await make_user("user")
    socket = await open_socket(user)
    before = await client.get("/metrics")
    await emit(marker("counted"))
    await socket.receive_type("test.marker")
    after = await client.get("/metrics")

    def figure(text: str, name: str) -> float:
        line = next(x for x in text.splitlines() if x.startswith(name + " "))
        return float(line.split()[1])

    assert figure(after.text, "deskboard_ws_connections") >= 1
    delivered = "deskboard_ws_events_delivered_total"
    assert figure(after.text, delivered) > figure(before.text, delivered)
