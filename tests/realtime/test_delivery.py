"""Who gets which event: audience by person and role, origin skipping, the wire shape."""

from deskboard.realtime.protocol import parse_event_id
from tests.realtime.conftest import event, marker

STAFF = {"admin", "agent"}


def ticket_event(kind: str, ticket_id: int, requester_id: int):
    return event(kind, {"id": ticket_id}, user_ids={requester_id}, roles=STAFF)


async def test_event_has_the_wire_shape(open_socket, make_user, emit):
    agent = await make_user("agent")
    socket = await open_socket(agent)
    await emit(ticket_event("ticket.created", 1, requester_id=0))
    message = await socket.receive_type("ticket.created")
    assert set(message) == {"type", "id", "at", "data"}
    assert message["data"] == {"id": 1}
    assert message["at"].endswith("Z")
    assert parse_event_id(message["id"]) > parse_event_id(socket.ready["last_event_id"])


async def test_ticket_events_reach_staff_and_its_requester_only(open_socket, make_user, emit):
    requester, other = await make_user("user"), await make_user("user")
    admin, agent, guest = (
        await make_user("admin"),
        await make_user("agent"),
        await make_user("guest"),
    )
    sockets = {
        "requester": await open_socket(requester),
        "other": await open_socket(other),
        "admin": await open_socket(admin),
        "agent": await open_socket(agent),
        "guest": await open_socket(guest),
    }
    for kind in ("ticket.created", "ticket.updated", "ticket.deleted"):
        await emit(ticket_event(kind, 42, requester_id=requester.id), marker(kind))
        for name, socket in sockets.items():
            first = await socket.receive_type(
                kind if name in {"requester", "admin", "agent"} else "test.marker"
            )
            if first["type"] == kind:
                assert first["data"] == {"id": 42}
                await socket.receive_type("test.marker")


async def test_requester_never_gets_other_peoples_tickets(open_socket, make_user, emit):
    requester, other = await make_user("user"), await make_user("user")
    socket = await open_socket(requester)
    await emit(ticket_event("ticket.updated", 7, requester_id=other.id))
    await emit(ticket_event("ticket.updated", 8, requester_id=requester.id))
    message = await socket.receive_type("ticket.updated")
    assert message["data"] == {"id": 8}


async def test_internal_note_reaches_staff_but_never_the_requester(open_socket, make_user, emit):
    requester, agent = await make_user("user"), await make_user("agent")
    requester_socket, agent_socket = await open_socket(requester), await open_socket(agent)
    note = event("ticket.updated", {"id": 5, "comment": {"internal": True}}, roles=STAFF)
    await emit(note, marker("after note"))
    assert (await agent_socket.receive_type("ticket.updated"))["data"]["comment"]["internal"]
    assert (await requester_socket.receive_type("test.marker"))["data"]["label"] == "after note"


async def test_notification_reaches_its_recipient_only(open_socket, make_user, emit):
    recipient, bystander = await make_user("user"), await make_user("agent")
    recipient_socket, bystander_socket = await open_socket(recipient), await open_socket(bystander)
    await emit(event("notification", {"text": "hi"}, user_ids={recipient.id}), marker("n"))
    assert (await recipient_socket.receive_type("notification"))["data"] == {"text": "hi"}
    await bystander_socket.receive_type("test.marker")


async def test_layout_update_skips_the_session_that_made_it(open_socket, make_user, emit):
    owner, someone = await make_user("user"), await make_user("user")
    editing = await open_socket(owner, client_id="tab-a")
    watching = await open_socket(owner, client_id="tab-b")
    stranger = await open_socket(someone, client_id="tab-a")
    layout = event("layout.updated", {"version": 2}, user_ids={owner.id}, origin="tab-a")
    await emit(layout, marker("after layout"))
    assert (await watching.receive_type("layout.updated"))["data"] == {"version": 2}
    await editing.receive_type("test.marker")
    await stranger.receive_type("test.marker")


async def test_rolled_back_transaction_sends_nothing(open_socket, make_user, emit, database):
    from deskboard.core import events as core_events

    agent = await make_user("agent")
    socket = await open_socket(agent)
    try:
        async with database.unit_of_work() as session:
            core_events.emit(session, event("ticket.created", {"id": 99}, roles=STAFF))
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    await emit(marker("after rollback"))
    assert (await socket.receive_type("test.marker"))["data"]["label"] == "after rollback"
