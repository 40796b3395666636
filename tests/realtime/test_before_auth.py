"""Before authentication a socket is cheap to refuse: a small first message, few per address."""

import asyncio

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from deskboard.realtime.gate import PENDING
from deskboard.realtime.protocol import CloseCode
from tests.realtime.conftest import access_token
from tests.web.conftest import deskboard_serve


async def _closed(socket, within: float = 10.0) -> tuple[int | None, str]:
    try:
        async with asyncio.timeout(within):
            while True:
                await socket.connection.recv()
    except ConnectionClosed as closed:
        return (closed.rcvd.code, closed.rcvd.reason) if closed.rcvd else (None, "")
    raise AssertionError("unreachable")


async def test_an_oversized_first_message_is_refused_before_parsing(open_socket, hub):
    socket = await open_socket()
    limit = hub.settings.max_auth_message_chars

    await socket.connection.send('{"type": "auth", "token": "' + "x" * limit + '"}')

    assert await _closed(socket) == (CloseCode.PROTOCOL_ERROR, f"Message over {limit} characters")


async def test_the_largest_valid_auth_message_fits(open_socket, make_user, hub):
    user = await make_user()
    token = access_token(user)
    message = {"type": "auth", "token": token, "client_id": "c" * 128, "last_event_id": "9" * 64}

    padded = await open_socket()
    await padded.send(message)

    assert (await padded.receive_type("ready"))["user"]["id"] == user.id
    # 4096 characters of token plus both ids is under the cap: nothing valid is refused.
    assert hub.settings.max_auth_message_chars > 4096 + 128 + 64 + 100


async def test_unauthenticated_sockets_per_address_are_capped(
    open_socket, make_user, hub, monkeypatch
):
    monkeypatch.setattr(hub.settings, "max_unauthenticated_per_address", 3)
    user = await make_user()
    waiting = [await open_socket() for _ in range(3)]
    await _until(lambda: PENDING.count("127.0.0.1") == 3)

    refused = await open_socket()
    assert await _closed(refused) == (
        CloseCode.TOO_MANY_CONNECTIONS,
        "Too many unauthenticated sockets",
    )

    # Authenticating one frees its place: the next socket from that address is admitted.
    await waiting[0].send({"type": "auth", "token": access_token(user)})
    await waiting[0].receive_type("ready")
    admitted = await open_socket()
    await admitted.send({"type": "auth", "token": access_token(user)})
    assert (await admitted.receive_type("ready"))["type"] == "ready"
    # A socket that leaves before authenticating frees its place too.
    await waiting[1].connection.close()
    await _until(lambda: PENDING.count("127.0.0.1") == 1)


async def _until(condition, seconds: float = 5.0) -> None:
    """Poll until `condition` holds (the server handles sockets in its own tasks)."""
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the server did not get there in time")


async def test_a_socket_for_an_unknown_host_is_refused_at_the_handshake(ws_url):
    port = int(ws_url.rsplit(":", 1)[1].split("/")[0])
    with pytest.raises(InvalidStatus) as refused:
        # The Host header names evil.example; the TCP connection goes to the test server.
        await connect(f"ws://evil.example:{port}/api/ws", host="127.0.0.1", port=port)

    assert refused.value.response.status_code == 403


@pytest.fixture
def served(settings):
    """A real `deskboard serve` trusting loopback as its proxy, 2 unauthenticated sockets each."""
    env = {
        "DESKBOARD_TRUSTED_PROXIES": "127.0.0.1",
        "DESKBOARD_WS_MAX_UNAUTHENTICATED_PER_ADDRESS": "2",
    }
    with deskboard_serve(env=env) as server:
        yield server.base_url.replace("http://", "ws://") + "/api/ws"


async def test_serve_caps_frames_before_the_app_reads_them(served):
    async with connect(served, max_size=None) as socket:
        await socket.send("x" * (1024 * 1024))
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(socket.recv(), 10)

    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1009  # message too big, refused by the server


async def test_the_cap_counts_the_forwarded_address_behind_a_trusted_proxy(served):
    def behind_proxy(address: str):
        return connect(served, additional_headers={"X-Forwarded-For": address})

    async with (
        behind_proxy("198.51.100.1") as first,
        behind_proxy("198.51.100.1") as second,
        behind_proxy("198.51.100.2") as other_person,
        behind_proxy("198.51.100.1") as third,
    ):
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(third.recv(), 10)
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == CloseCode.TOO_MANY_CONNECTIONS
        for kept in (first, second, other_person):
            with pytest.raises(TimeoutError):  # still open, awaiting auth
                await asyncio.wait_for(kept.recv(), 0.3)
