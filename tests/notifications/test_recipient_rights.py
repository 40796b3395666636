"""Notifications follow the recipient's current rights, not those they had when assigned."""

from datetime import timedelta

from deskboard.auth.models import User
from deskboard.notifications.sweep import sweep_once
from tests.notifications.conftest import comment, feed, put


async def _fresh(database, user_id: int) -> User:
    """The user as stored now (a token minted from it carries the current version)."""
    async with database.sessionmaker() as session:
        return await session.get_one(User, user_id)


async def _set(as_admin, user: User, **changes) -> None:
    response = await as_admin.patch(f"/api/users/{user.id}", json=changes)
    assert response.status_code == 200, response.text


async def test_a_demoted_agent_gets_no_internal_note_notification(
    as_admin, client_as, make_ticket, stored
):
    requester = await client_as("user")
    agent = await client_as("agent")
    ticket = await make_ticket(requester)
    await put(as_admin, ticket, assignee_id=agent.user.id)
    await comment(as_admin, ticket, "before: agents hear of notes", internal=True)
    assert await stored() == [
        (agent.user.id, "assigned", ticket["id"]),
        (agent.user.id, "reply", ticket["id"]),
    ]

    await _set(as_admin, agent.user, role="user")
    await comment(as_admin, ticket, "after: not any more", internal=True)

    assert len(await stored()) == 2


async def test_a_demoted_assignee_hears_nothing_of_a_ticket_they_no_longer_see(
    as_admin, client_as, make_ticket, stored
):
    requester = await client_as("user")
    agent = await client_as("agent")
    ticket = await make_ticket(requester)
    await put(as_admin, ticket, assignee_id=agent.user.id)
    await _set(as_admin, agent.user, role="user")

    await comment(as_admin, ticket, "a public reply")
    await put(as_admin, ticket, status="pending")

    assert await stored() == [
        (agent.user.id, "assigned", ticket["id"]),
        (requester.user.id, "reply", ticket["id"]),
        (requester.user.id, "status_changed", ticket["id"]),
    ]


async def test_a_demoted_requester_still_hears_of_their_own_ticket_but_not_its_notes(
    as_admin, client_as, make_ticket, stored
):
    agent = await client_as("agent")
    ticket = await make_ticket(agent)  # filed by an agent for themself
    await put(as_admin, ticket, assignee_id=agent.user.id)
    await _set(as_admin, agent.user, role="user")

    await comment(as_admin, ticket, "an internal note", internal=True)
    await comment(as_admin, ticket, "a public reply")

    assert await stored() == [
        (agent.user.id, "assigned", ticket["id"]),
        (agent.user.id, "reply", ticket["id"]),  # the public reply: their own ticket
    ]


async def test_a_disabled_assignee_is_not_told(as_admin, client_as, make_ticket, stored):
    requester = await client_as("user")
    agent = await client_as("agent")
    ticket = await make_ticket(requester)
    await put(as_admin, ticket, assignee_id=agent.user.id)
    await _set(as_admin, agent.user, is_active=False)

    await comment(as_admin, ticket, "a note", internal=True)

    assert await stored() == [(agent.user.id, "assigned", ticket["id"])]


async def test_the_due_soon_sweep_skips_an_assignee_who_may_no_longer_see_the_ticket(
    as_admin, client_as, make_ticket, set_due, stored, database
):
    requester = await client_as("user")
    agent = await client_as("agent")
    ticket = await make_ticket(requester)
    await put(as_admin, ticket, assignee_id=agent.user.id)
    await set_due(ticket["id"], timedelta(minutes=10))
    await _set(as_admin, agent.user, role="user")

    assert await sweep_once(database) == 0

    await _set(as_admin, agent.user, role="agent")
    assert await sweep_once(database) == 1
    assert (await stored())[-1] == (agent.user.id, "due_soon", ticket["id"])


async def test_the_feed_hides_what_its_person_may_no_longer_see(
    as_admin, client_as, make_ticket, database
):
    requester = await client_as("user")
    agent = await client_as("agent")
    others = await make_ticket(requester)
    own = await make_ticket(agent)
    await put(as_admin, others, assignee_id=agent.user.id)
    await put(as_admin, own, assignee_id=agent.user.id)
    await comment(as_admin, own, "a note on their own ticket", internal=True)
    await put(as_admin, own, status="pending")
    before = await feed(agent)
    assert before["unread_count"] == 4
    kept = [(i["kind"], i["ticket_id"]) for i in before["items"] if i["ticket_id"] == own["id"]]
    hidden = [
        i["id"] for i in before["items"] if i["ticket_id"] == others["id"] or i["kind"] == "reply"
    ]
    assert len(hidden) == 2

    await _set(as_admin, agent.user, role="user")
    demoted = await client_as(user=await _fresh(database, agent.user.id))
    after = await feed(demoted)

    # Their own ticket stays in view (not its internal note); the other ticket is gone.
    assert [(i["kind"], i["ticket_id"]) for i in after["items"]] == [
        k for k in kept if k[0] != "reply"
    ]
    assert [i["kind"] for i in after["items"]] == ["status_changed", "assigned"]
    assert after["unread_count"] == 2
    assert (await feed(demoted, unread="true"))["items"] == after["items"]
    for notification_id in hidden:
        response = await demoted.post(f"/api/notifications/{notification_id}/read")
        assert response.status_code == 404

    # Kept, not deleted: the rights come back, so do they.
    await _set(as_admin, agent.user, role="agent")
    restored = await client_as(user=await _fresh(database, agent.user.id))
    assert (await feed(restored))["unread_count"] == 4
