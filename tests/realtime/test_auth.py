"""Authentication of /api/ws: the first message, bad and expired tokens, expiry, re-auth."""

import asyncio

from deskboard.realtime.protocol import CloseCode
from tests.realtime.conftest import access_token, marker, token_expiring_in


async def test_socket_without_auth_message_is_closed_with_auth_timeout(
    open_socket, hub, monkeypatch
):
    monkeypatch.setattr(hub.settings, "auth_timeout", 0.3)
    socket = await open_socket()
    assert await socket.close_code() == CloseCode.AUTH_TIMEOUT


async def test_first_message_other_than_auth_is_a_protocol_error(open_socket):
    socket = await open_socket()
    await socket.send({"type": "presence", "editing": True})
    assert await socket.close_code() == CloseCode.PROTOCOL_ERROR


async def test_malformed_json_is_a_protocol_error(open_socket):
    socket = await open_socket()
    await socket.connection.send("{not json")
    assert await socket.close_code() == CloseCode.PROTOCOL_ERROR


async def test_auth_with_unknown_field_is_a_protocol_error(open_socket, make_user):
    user = await make_user("user")
    socket = await open_socket()
    await socket.send({"type": "auth", "token": access_token(user), "extra": 1})
    assert await socket.close_code() == CloseCode.PROTOCOL_ERROR


async def test_forged_token_is_closed_as_unauthenticated(open_socket):
    socket = await open_socket(token="not.a.jwt", expect_ready=False)
    assert await socket.close_code() == CloseCode.UNAUTHENTICATED


async def test_expired_token_is_closed_with_refresh_code(open_socket, make_user):
    user = await make_user("user")
    socket = await open_socket(token=token_expiring_in(user, -5), expect_ready=False)
    assert await socket.close_code() == CloseCode.TOKEN_EXPIRED


async def test_disabled_account_is_closed_as_unauthenticated(open_socket, make_user):
    user = await make_user("user", is_active=False)
    socket = await open_socket(user, expect_ready=False)
    assert await socket.close_code() == CloseCode.UNAUTHENTICATED


async def test_valid_token_gets_ready_with_identity(open_socket, make_user, database):
    user = await make_user("agent")
    socket = await open_socket(user)
    assert socket.ready["user"] == {"id": user.id, "role": "agent"}
    assert socket.ready["connection_id"]
    assert socket.ready["last_event_id"]
    assert socket.ready["expires_at"].endswith("Z")


async def test_token_expiry_closes_an_open_socket(open_socket, make_user):
    user = await make_user("user")
    socket = await open_socket(token=token_expiring_in(user, 2))
    assert await socket.close_code(within=5) == CloseCode.TOKEN_EXPIRED


async def test_re_auth_in_band_extends_the_socket(open_socket, make_user, emit):
    user = await make_user("user")
    socket = await open_socket(token=token_expiring_in(user, 2))
    await socket.send({"type": "auth", "token": access_token(user)})
    ok = await socket.receive_type("auth.ok")
    assert ok["user"] == {"id": user.id, "role": "user"}
    await asyncio.sleep(2.5)
    await emit(marker("still open"))
    assert (await socket.receive_type("test.marker"))["data"] == {"label": "still open"}


async def test_re_auth_as_another_person_is_a_protocol_error(open_socket, make_user):
    first, second = await make_user("user"), await make_user("user")
    socket = await open_socket(first)
    await socket.send({"type": "auth", "token": access_token(second)})
    assert await socket.close_code() == CloseCode.PROTOCOL_ERROR


async def test_re_auth_with_expired_token_closes_with_refresh_code(open_socket, make_user):
    user = await make_user("user")
    socket = await open_socket(user)
    await socket.send({"type": "auth", "token": token_expiring_in(user, -5)})
    assert await socket.close_code() == CloseCode.TOKEN_EXPIRED
