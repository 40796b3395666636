"""A `notification` event reaches its recipient's sockets, and nobody else's."""

from datetime import timedelta
from typing import Any

from deskboard.notifications.sweep import sweep_once
from tests.notifications.conftest import comment, put
from tests.realtime.conftest import Socket, marker


async def next_of(socket: Socket, *kinds: str) -> dict[str, Any]:
    """The next message of one of `kinds`, skipping pings and ticket events."""
    while True:
        message = await socket.receive()
        if message["type"] in kinds:
            return message
        assert message["type"] == "ping" or message["type"].startswith("ticket."), message


async def test_an_assignment_reaches_only_the_assignees_sockets(
    open_socket, client_as, make_ticket, emit
):
    requester = await client_as("user")
    agent = await client_as("agent")
    colleague = await client_as("agent")
    ticket = await make_ticket(requester)
    colleague_tabs = [await open_socket(colleague.user), await open_socket(colleague.user)]
    others = [await open_socket(agent.user), await open_socket(requester.user)]

    # The acting browser tab is not skipped: the event is for someone else.
    await put(agent, ticket, assignee_id=colleague.user.id)
    await emit(marker("after assignment"))

    stored = (await colleague.get("/api/notifications")).json()["items"][0]
    for tab in colleague_tabs:
        message = await next_of(tab, "notification", "test.marker")
        assert message["type"] == "notification"
        assert message["data"] == stored
        assert message["id"] and message["at"]
    for socket in others:
        message = await next_of(socket, "notification", "test.marker")
        assert message["type"] == "test.marker", message


async def test_an_internal_note_is_announced_to_the_assignee_never_the_requester(
    open_socket, client_as, make_ticket, emit
):
    requester = await client_as("user")
    agent = await client_as("agent")
    assignee = await client_as("agent")
    ticket = await make_ticket(requester)
    await put(agent, ticket, assignee_id=assignee.user.id)
    requester_socket = await open_socket(requester.user)
    assignee_socket = await open_socket(assignee.user)

    await comment(agent, ticket, "Check the toner", internal=True)
    await emit(marker("after note"))

    note = await next_of(assignee_socket, "notification", "test.marker")
    assert (note["type"], note["data"]["kind"]) == ("notification", "reply")
    assert (await next_of(requester_socket, "notification", "test.marker"))["type"] == (
        "test.marker"
    )

    await comment(agent, ticket, "We are on it")
    reply = await next_of(requester_socket, "notification", "test.marker")
    assert (reply["type"], reply["data"]["kind"]) == ("notification", "reply")
    assert reply["data"]["summary"] == "We are on it"


async def test_the_due_soon_sweep_announces_to_the_assignee(
    open_socket, as_agent, as_user, make_ticket, set_due, database, emit
):
    ticket = await make_ticket(as_agent, assignee_id=as_agent.user.id)
    await set_due(ticket["id"], timedelta(minutes=10))
    agent_socket = await open_socket(as_agent.user)
    user_socket = await open_socket(as_user.user)

    assert await sweep_once(database) == 1
    await emit(marker("after sweep"))
    message = await next_of(agent_socket, "notification", "test.marker")
    assert (message["type"], message["data"]["kind"]) == ("notification", "due_soon")
    assert message["data"]["ticket_id"] == ticket["id"]
    assert (await next_of(user_socket, "notification", "test.marker"))["type"] == "test.marker"
