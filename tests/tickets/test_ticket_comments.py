"""Replies, internal notes, the requester's reopen, first response, and their events."""


async def test_conversation_in_order_with_authors(as_agent, as_user, make_ticket):
    ticket = await make_ticket(as_user)
    url = f"/api/tickets/{ticket['id']}/comments"
    first = await as_user.post(url, json={"body": "It happened again"})
    assert first.status_code == 201
    assert first.json()["author"]["id"] == as_user.user.id
    assert first.json()["internal"] is False
    await as_agent.post(url, json={"body": "On my way"})
    bodies = [c["body"] for c in (await as_user.get(url)).json()]
    assert bodies == ["It happened again", "On my way"]


async def test_internal_notes_are_seen_only_by_staff(
    as_agent, as_admin, as_user, make_ticket, published
):
    ticket = await make_ticket(as_user)
    url = f"/api/tickets/{ticket['id']}/comments"
    note = await as_agent.post(url, json={"body": "Requester is on leave", "internal": True})
    assert note.status_code == 201
    await as_agent.post(url, json={"body": "Looking into it"})
    assert [c["body"] for c in (await as_user.get(url)).json()] == ["Looking into it"]
    assert len((await as_admin.get(url)).json()) == 2
    note_event = [e for e in published if e.type == "ticket.updated"][0]
    assert note_event.data["comment"]["internal"] is True
    assert note_event.audience.roles == {"admin", "agent"}
    assert note_event.audience.user_ids == frozenset()
    reply_event = [e for e in published if e.type == "ticket.updated"][1]
    assert reply_event.audience.user_ids == {as_user.user.id}
    assert reply_event.data["ticket"]["id"] == ticket["id"]


async def test_requester_may_not_write_internal_notes(as_user, make_ticket, snapshot):
    ticket = await make_ticket(as_user)
    before = await snapshot()
    response = await as_user.post(
        f"/api/tickets/{ticket['id']}/comments", json={"body": "psst", "internal": True}
    )
    assert response.status_code == 403
    assert await snapshot() == before


async def test_requester_reply_reopens_a_resolved_ticket(as_agent, as_user, make_ticket):
    ticket = await make_ticket(as_user)
    await as_agent.put(f"/api/tickets/{ticket['id']}", json={"version": 1, "status": "resolved"})
    await as_user.post(f"/api/tickets/{ticket['id']}/comments", json={"body": "Still broken"})
    current = (await as_user.get(f"/api/tickets/{ticket['id']}")).json()
    assert current["status"] == "open"
    assert current["resolved_at"] is None
    assert current["version"] == 3
    history = (await as_user.get(f"/api/tickets/{ticket['id']}/history")).json()
    assert (history[-1]["field"], history[-1]["from"], history[-1]["to"]) == (
        "status",
        "resolved",
        "open",
    )
    assert history[-1]["actor"]["id"] == as_user.user.id


async def test_staff_reply_does_not_reopen(as_agent, as_user, make_ticket):
    ticket = await make_ticket(as_user)
    await as_agent.put(f"/api/tickets/{ticket['id']}", json={"version": 1, "status": "resolved"})
    await as_agent.post(f"/api/tickets/{ticket['id']}/comments", json={"body": "Done, I think"})
    assert (await as_user.get(f"/api/tickets/{ticket['id']}")).json()["status"] == "resolved"


async def test_first_public_staff_reply_sets_first_response_at(as_agent, as_user, make_ticket):
    ticket = await make_ticket(as_user)
    url = f"/api/tickets/{ticket['id']}"
    await as_user.post(f"{url}/comments", json={"body": "hello?"})
    await as_agent.post(f"{url}/comments", json={"body": "note", "internal": True})
    assert (await as_agent.get(url)).json()["first_response_at"] is None
    reply = (await as_agent.post(f"{url}/comments", json={"body": "Hi!"})).json()
    first = (await as_agent.get(url)).json()["first_response_at"]
    assert first == reply["created_at"]
    await as_agent.post(f"{url}/comments", json={"body": "Again"})
    assert (await as_agent.get(url)).json()["first_response_at"] == first


async def test_a_comment_moves_the_ticket_up_the_list(as_agent, as_user, make_ticket):
    older = await make_ticket(as_user)
    await make_ticket(as_user)
    await as_user.post(f"/api/tickets/{older['id']}/comments", json={"body": "bump"})
    items = (await as_agent.get("/api/tickets")).json()["items"]
    assert items[0]["id"] == older["id"]


async def test_history_is_visible_to_the_requester(as_agent, as_user, make_ticket):
    ticket = await make_ticket(as_user)
    await as_agent.put(f"/api/tickets/{ticket['id']}", json={"version": 1, "status": "open"})
    response = await as_user.get(f"/api/tickets/{ticket['id']}/history")
    assert response.status_code == 200
    assert [h["field"] for h in response.json()] == ["status"]
