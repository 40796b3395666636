"""Events raised by the real ticket and layout APIs reach exactly the right sockets."""

from tests.layouts.helpers import document, widget
from tests.realtime.conftest import marker


async def test_ticket_created_through_the_api_reaches_staff_and_requester(
    open_socket, client_as, make_user, emit
):
    requester = await client_as("user")
    other_user = await make_user("user")
    agent = await make_user("agent")
    agent_socket = await open_socket(agent)
    requester_other_tab = await open_socket(requester.user, client_id="tab-2")
    requester_writing_tab = await open_socket(requester.user, client_id="tab-1")
    other_socket = await open_socket(other_user)

    response = await requester.post(
        "/api/tickets", json={"title": "Printer on fire"}, headers={"X-Client-Id": "tab-1"}
    )
    assert response.status_code == 201, response.text
    ticket_id = response.json()["id"]
    await emit(marker("after create"))

    created = await agent_socket.receive_type("ticket.created")
    assert created["data"]["id"] == ticket_id
    assert (await requester_other_tab.receive_type("ticket.created"))["data"]["id"] == ticket_id
    # The tab that made the change and a stranger both see the marker first.
    await requester_writing_tab.receive_type("test.marker")
    await other_socket.receive_type("test.marker")


async def test_internal_note_through_the_api_never_reaches_the_requester(
    open_socket, client_as, emit
):
    requester = await client_as("user")
    agent = await client_as("agent")
    ticket = (await requester.post("/api/tickets", json={"title": "VPN down"})).json()
    requester_socket = await open_socket(requester.user)
    agent_socket = await open_socket(agent.user)

    note = await agent.post(
        f"/api/tickets/{ticket['id']}/comments", json={"body": "Check the cert", "internal": True}
    )
    assert note.status_code == 201, note.text
    await emit(marker("after note"))
    message = await agent_socket.receive_type("ticket.updated")
    assert message["data"]["comment"]["internal"] is True
    assert (await requester_socket.receive_type("test.marker"))["data"]["label"] == "after note"

    reply = await agent.post(f"/api/tickets/{ticket['id']}/comments", json={"body": "On it"})
    assert reply.status_code == 201, reply.text
    public = await requester_socket.receive_type("ticket.updated")
    assert public["data"]["comment"]["internal"] is False


async def test_layout_saved_in_one_tab_reaches_the_owners_other_tab(open_socket, client_as, emit):
    owner = await client_as("user")
    saving_tab = await open_socket(owner.user, client_id="tab-1")
    other_tab = await open_socket(owner.user, client_id="tab-2")
    response = await owner.post(
        "/api/layout/me",
        json=document(widget("w1", "note", markdown="hi")),
        headers={"X-Client-Id": "tab-1"},
    )
    assert response.status_code == 201, response.text
    await emit(marker("after layout"))
    updated = await other_tab.receive_type("layout.updated")
    assert updated["data"]["version"] == response.json()["version"]
    await saving_tab.receive_type("test.marker")
