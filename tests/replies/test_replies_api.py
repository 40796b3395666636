"""Saved replies through the API: CRUD, listing order and search, rendering, usage, audit."""

from tests.replies.conftest import titles


async def test_an_agent_keeps_a_personal_reply(as_agent, audit_of):
    response = await as_agent.post(
        "/api/saved-replies", json={"title": "Thanks", "body": "Thanks, {{ requester.name }}!"}
    )
    assert response.status_code == 201, response.text
    reply = response.json()
    assert reply["scope"] == "personal"
    assert (reply["team_id"], reply["owner_id"]) == (None, as_agent.user.id)
    assert (reply["usage_count"], reply["last_used_at"], reply["can_edit"]) == (0, None, True)
    assert (await as_agent.get(f"/api/saved-replies/{reply['id']}")).json() == reply

    response = await as_agent.patch(
        f"/api/saved-replies/{reply['id']}", json={"title": "Thank you"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["title"] == "Thank you"
    assert response.json()["body"] == reply["body"]
    assert (await as_agent.delete(f"/api/saved-replies/{reply['id']}")).status_code == 204
    assert (await as_agent.get(f"/api/saved-replies/{reply['id']}")).status_code == 404
    actions = [entry.action for entry in await audit_of("saved_reply")]
    assert actions == ["saved_reply.created", "saved_reply.updated", "saved_reply.deleted"]


async def test_render_fills_in_the_ticket_and_counts_a_use(
    as_agent, as_user, make_reply, make_ticket
):
    ticket = await make_ticket(as_user)
    reply = await make_reply(
        as_agent,
        body="Hi {{ requester.name }},\nabout #{{ ticket.number }} ({{ ticket.title }}, "
        "{{ ticket.status }}, {{ ticket.priority }}): on it.\n{{ agent.name }}",
    )
    response = await as_agent.post(
        f"/api/saved-replies/{reply['id']}/render", json={"ticket_id": ticket["id"]}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "body": f"Hi {as_user.user.name},\nabout #{ticket['number']} (Printer jams, "
        f"new, normal): on it.\n{as_agent.user.name}"
    }
    for _ in range(2):
        await as_agent.post(
            f"/api/saved-replies/{reply['id']}/render", json={"ticket_id": ticket["id"]}
        )
    got = (await as_agent.get(f"/api/saved-replies/{reply['id']}")).json()
    assert got["usage_count"] == 3
    assert got["last_used_at"] is not None


async def test_the_list_is_by_usage_then_title_and_q_searches_titles(
    as_agent, make_reply, make_ticket
):
    ticket = await make_ticket(as_agent)
    for title in ("banana", "Apple", "cherry pie", "Cherry cake"):
        await make_reply(as_agent, title=title)
    used = {r["title"]: r["id"] for r in (await as_agent.get("/api/saved-replies")).json()}
    for title, times in (("cherry pie", 2), ("banana", 1)):
        for _ in range(times):
            response = await as_agent.post(
                f"/api/saved-replies/{used[title]}/render", json={"ticket_id": ticket["id"]}
            )
            assert response.status_code == 200, response.text
    assert titles(await as_agent.get("/api/saved-replies")) == [
        "cherry pie",
        "banana",
        "Apple",
        "Cherry cake",
    ]
    assert titles(await as_agent.get("/api/saved-replies", params={"q": "CHERRY"})) == [
        "cherry pie",
        "Cherry cake",
    ]
    assert titles(await as_agent.get("/api/saved-replies", params={"q": "%"})) == []
    assert titles(await as_agent.get("/api/saved-replies", params={"q": "_"})) == []
    assert titles(await as_agent.get("/api/saved-replies", params={"limit": 1})) == ["cherry pie"]


async def test_a_template_error_is_a_422_naming_the_line_and_nothing_is_stored(
    as_agent, stored_replies
):
    response = await as_agent.post(
        "/api/saved-replies", json={"title": "T", "body": "Hi,\n\n{{ ticket.nope }}"}
    )
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "body"]
    assert error["msg"].startswith("line 3: unknown variable ticket.nope")
    assert error["type"] == "template"
    response = await as_agent.post(
        "/api/saved-replies", json={"title": "T", "body": "Hi {{ ticket.number"}
    )
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["msg"].startswith("line 1: ")
    assert await stored_replies() == []


async def test_render_needs_a_ticket_the_caller_may_see(as_agent, make_reply, stored_replies):
    reply = await make_reply(as_agent)
    before = await stored_replies()
    response = await as_agent.post(
        f"/api/saved-replies/{reply['id']}/render", json={"ticket_id": 424242}
    )
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["body", "ticket_id"]
    assert await stored_replies() == before  # no use counted


async def test_a_stored_template_that_no_longer_checks_is_a_422_on_render(
    as_agent, make_reply, make_ticket, database, stored_replies
):
    """Rules may tighten after a reply was saved: rendering checks again and counts nothing."""
    from sqlalchemy import update

    from deskboard.replies.models import SavedReply

    ticket = await make_ticket(as_agent)
    reply = await make_reply(as_agent)
    async with database.unit_of_work() as session:
        await session.execute(
            update(SavedReply)
            .where(SavedReply.id == reply["id"])
            .values(body="{{ cycler.__init__.__globals__ }}")
        )
    before = await stored_replies()
    response = await as_agent.post(
        f"/api/saved-replies/{reply['id']}/render", json={"ticket_id": ticket["id"]}
    )
    assert response.status_code == 422, response.text
    assert "unknown variable cycler" in response.json()["detail"][0]["msg"]
    assert await stored_replies() == before
