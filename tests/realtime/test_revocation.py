"""Open sockets end with their person's tokens: role change, sign-out, deactivation, password."""

import pytest

from deskboard.auth.models import User
from deskboard.core.events import SESSION_REVOKED, Audience, Event
from deskboard.db import Database
from deskboard.realtime.protocol import CloseCode
from tests.auth.helpers import REFRESH_COOKIE, login, refresh_cookie
from tests.realtime.conftest import access_token, marker


async def _current(database: Database, user_id: int) -> User:
    async with database.sessionmaker() as session:
        return await session.get_one(User, user_id)


async def _internal_note(http, ticket_id: int, body: str) -> None:
    response = await http.post(
        f"/api/tickets/{ticket_id}/comments", json={"body": body, "internal": True}
    )
    assert response.status_code == 201, response.text


async def test_a_demoted_agents_socket_is_closed_and_gets_no_more_internal_events(
    open_socket, as_admin, as_user, make_user, database
):
    agent = await make_user("agent")
    colleague = await make_user("agent")
    ticket = (await as_user.post("/api/tickets", json={"title": "Secret"})).json()
    demoted_socket = await open_socket(agent)
    colleague_socket = await open_socket(colleague)

    response = await as_admin.patch(f"/api/users/{agent.id}", json={"role": "user"})
    assert response.status_code == 200
    await _internal_note(as_admin, ticket["id"], "for staff eyes only")

    received, code = await demoted_socket.until_closed()
    assert code == CloseCode.SESSION_REVOKED
    assert not [m for m in received if m["type"].startswith("ticket.")], received
    # The note was sent: staff still get it.
    note = await colleague_socket.receive_type("ticket.updated")
    assert note["data"]["comment"]["internal"] is True


async def test_a_reconnected_demoted_socket_receives_no_internal_events(
    open_socket, as_admin, as_user, make_user, database, emit
):
    agent = await make_user("agent")
    ticket = (await as_user.post("/api/tickets", json={"title": "Secret"})).json()
    await as_admin.patch(f"/api/users/{agent.id}", json={"role": "user"})
    # What the client does on 4003: refresh (a token of the new version), then reconnect.
    socket = await open_socket(await _current(database, agent.id))
    assert socket.ready["user"] == {"id": agent.id, "role": "user"}

    await _internal_note(as_admin, ticket["id"], "for staff eyes only")
    await emit(marker("after the note"))

    assert (await socket.receive_type("test.marker"))["data"] == {"label": "after the note"}


async def test_the_old_token_after_a_role_change_is_refused_with_the_refresh_code(
    open_socket, as_admin, make_user
):
    agent = await make_user("agent")
    stale = access_token(agent)
    await as_admin.patch(f"/api/users/{agent.id}", json={"role": "user"})

    socket = await open_socket(token=stale, expect_ready=False)

    assert await socket.close_code() == CloseCode.SESSION_REVOKED


async def test_re_auth_in_band_with_a_revoked_token_closes_the_socket(
    open_socket, as_admin, make_user
):
    agent = await make_user("agent")
    stale = access_token(agent)
    socket = await open_socket(agent)
    await as_admin.patch(f"/api/users/{agent.id}", json={"name": "Renamed"})  # no revocation

    await socket.send({"type": "auth", "token": stale})
    assert (await socket.receive_type("auth.ok"))["user"]["role"] == "agent"

    await as_admin.patch(f"/api/users/{agent.id}", json={"role": "guest"})
    assert await socket.close_code() == CloseCode.SESSION_REVOKED


async def test_sign_out_closes_every_socket_of_the_person_and_no_one_elses(
    open_socket, client, make_user, database, emit
):
    person = await make_user("user", email="ws.out@example.test")
    other = await make_user("user")
    signed_in = await login(client, "ws.out@example.test")
    first = await open_socket(token=signed_in.json()["access_token"])
    second = await open_socket(person)
    bystander = await open_socket(other)

    response = await client.post(
        "/api/auth/logout", headers={"Cookie": f"{REFRESH_COOKIE}={refresh_cookie(signed_in)}"}
    )
    assert response.status_code == 204

    assert await first.close_code() == CloseCode.SESSION_REVOKED
    assert await second.close_code() == CloseCode.SESSION_REVOKED
    await emit(marker("bystander still here"))
    assert (await bystander.receive_type("test.marker"))["data"]["label"] == "bystander still here"
    # A token of the new version (after a refresh elsewhere) connects again.
    assert (await open_socket(await _current(database, person.id))).ready["user"]["id"] == person.id


async def test_deactivation_closes_the_socket_and_a_reconnect_is_unauthenticated(
    open_socket, as_admin, make_user, database
):
    agent = await make_user("agent")
    socket = await open_socket(agent)

    await as_admin.patch(f"/api/users/{agent.id}", json={"is_active": False})

    assert await socket.close_code() == CloseCode.SESSION_REVOKED
    current = await _current(database, agent.id)
    again = await open_socket(current, expect_ready=False)
    assert await again.close_code() == CloseCode.UNAUTHENTICATED


async def test_a_password_reset_closes_the_socket(open_socket, as_admin, make_user):
    agent = await make_user("agent")
    socket = await open_socket(agent)

    await as_admin.patch(f"/api/users/{agent.id}", json={"password": "another-good-pass"})

    assert await socket.close_code() == CloseCode.SESSION_REVOKED


async def test_a_revocation_seen_before_the_socket_registers_still_counts(
    open_socket, hub, make_user
):
    """A socket whose token was checked against the database before the bump committed, when
    the hub already handled the bump's event, is refused (the hub remembers the version)."""
    agent = await make_user("agent")
    await hub.publish(Event(SESSION_REVOKED, {"user_id": agent.id, "token_version": 1}, Audience()))

    # The database still says version 0: only the hub's memory refuses this token.
    socket = await open_socket(agent, expect_ready=False)

    assert await socket.close_code() == CloseCode.SESSION_REVOKED


async def test_an_older_revocation_leaves_newer_sockets_open(open_socket, hub, make_user, emit):
    agent = await make_user("agent")
    socket = await open_socket(agent)  # version 0

    await hub.publish(Event(SESSION_REVOKED, {"user_id": agent.id, "token_version": 0}, Audience()))
    await emit(marker("still open"))

    assert (await socket.receive_type("test.marker"))["data"] == {"label": "still open"}


@pytest.mark.parametrize("data", [{}, {"user_id": "x", "token_version": 1}, {"user_id": 1}])
async def test_a_malformed_revocation_is_ignored(open_socket, hub, make_user, emit, data):
    agent = await make_user("agent")
    socket = await open_socket(agent)

    await hub.publish(Event(SESSION_REVOKED, data, Audience()))
    await emit(marker("unharmed"))

    assert (await socket.receive_type("test.marker"))["data"] == {"label": "unharmed"}


async def test_revocations_are_never_sent_to_browsers(open_socket, hub, make_user, emit):
    agent, admin = await make_user("agent"), await make_user("admin")
    admin_socket = await open_socket(admin)
    last = admin_socket.ready["last_event_id"]

    await hub.publish(Event(SESSION_REVOKED, {"user_id": agent.id, "token_version": 1}, Audience()))
    await emit(marker("next"))

    assert (await admin_socket.receive_type("test.marker"))["data"] == {"label": "next"}
    # Nor replayed to a socket that reconnects from before it.
    replaying = await open_socket(admin, last_event_id=last)
    assert (await replaying.receive_type("test.marker"))["data"] == {"label": "next"}
