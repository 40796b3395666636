"""Ticket events notify the right people, in the ticket's own transaction, never the actor."""

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from deskboard.auth.models import User
from deskboard.notifications.models import Notification
from deskboard.notifications.sweep import sweep_once
from deskboard.tickets import service
from deskboard.tickets.schemas import TicketUpdate
from tests.notifications.conftest import comment, kinds, put


async def test_assigning_a_ticket_notifies_the_assignee_only(
    as_agent, client_as, make_ticket, stored
):
    requester = await client_as("user")
    colleague = await client_as("agent")
    ticket = await make_ticket(requester)
    await put(as_agent, ticket, assignee_id=colleague.user.id)

    assert await stored() == [(colleague.user.id, "assigned", ticket["id"])]
    item = (await colleague.get("/api/notifications")).json()["items"][0]
    assert item["actor_id"] == as_agent.user.id
    assert item["read_at"] is None
    assert f"#{ticket['number']}" in item["title"] and as_agent.user.name in item["title"]
    assert item["summary"] == "Printer jams"


async def test_a_ticket_filed_with_an_assignee_notifies_that_assignee(
    as_agent, client_as, make_ticket, stored
):
    colleague = await client_as("agent")
    ticket = await make_ticket(as_agent, assignee_id=colleague.user.id)
    assert await stored() == [(colleague.user.id, "assigned", ticket["id"])]


async def test_taking_a_ticket_yourself_notifies_nobody(as_agent, as_user, make_ticket, stored):
    ticket = await make_ticket(as_user)
    await put(as_agent, ticket, assignee_id=as_agent.user.id)
    assert await stored() == []
    await make_ticket(as_agent, assignee_id=as_agent.user.id)
    assert await stored() == []


async def test_unassigning_notifies_nobody(as_agent, client_as, make_ticket, stored):
    colleague = await client_as("agent")
    ticket = await make_ticket(as_agent, assignee_id=colleague.user.id)
    await put(as_agent, ticket, assignee_id=None)
    assert await stored() == [(colleague.user.id, "assigned", ticket["id"])]


async def test_a_staff_reply_notifies_the_requester_and_the_assignee(
    as_agent, client_as, make_ticket, stored
):
    requester = await client_as("user")
    assignee = await client_as("agent")
    ticket = await make_ticket(requester)
    await put(as_agent, ticket, assignee_id=assignee.user.id)
    await comment(as_agent, ticket, "Have you tried turning it off and on?")

    replies = sorted(row for row in await stored() if row[1] == "reply")
    assert replies == sorted(
        [(requester.user.id, "reply", ticket["id"]), (assignee.user.id, "reply", ticket["id"])]
    )
    reply = (await requester.get("/api/notifications")).json()["items"][0]
    assert reply["kind"] == "reply"
    assert reply["summary"] == "Have you tried turning it off and on?"


async def test_an_internal_note_never_notifies_the_requester(
    as_agent, client_as, make_ticket, stored
):
    requester = await client_as("user")
    assignee = await client_as("agent")
    ticket = await make_ticket(requester)
    await put(as_agent, ticket, assignee_id=assignee.user.id)
    await comment(as_agent, ticket, "Requester is a VIP: handle with care", internal=True)

    assert await stored() == [
        (assignee.user.id, "assigned", ticket["id"]),
        (assignee.user.id, "reply", ticket["id"]),
    ]
    assert (await requester.get("/api/notifications")).json() == {
        "items": [],
        "next_cursor": None,
        "unread_count": 0,
    }


async def test_the_requesters_reply_notifies_the_assignee_not_the_requester(
    as_agent, as_user, make_ticket, stored
):
    ticket = await make_ticket(as_user)
    await put(as_agent, ticket, assignee_id=as_agent.user.id)
    await comment(as_user, ticket, "Still broken")
    assert await stored() == [(as_agent.user.id, "reply", ticket["id"])]
    assert await kinds(as_user) == []


async def test_a_status_change_notifies_the_requester(as_agent, as_user, make_ticket, stored):
    ticket = await make_ticket(as_user)
    await put(as_agent, ticket, status="open")
    assert await stored() == [(as_user.user.id, "status_changed", ticket["id"])]
    item = (await as_user.get("/api/notifications")).json()["items"][0]
    assert "open" in item["title"]


async def test_a_status_change_by_someone_else_also_notifies_the_assignee(
    as_admin, as_agent, as_user, make_ticket, stored
):
    ticket = await make_ticket(as_user)
    await put(as_agent, ticket, assignee_id=as_agent.user.id)
    await put(as_admin, ticket, status="pending")
    assert sorted(await stored()) == sorted(
        [
            (as_user.user.id, "status_changed", ticket["id"]),
            (as_agent.user.id, "status_changed", ticket["id"]),
        ]
    )


async def test_the_requester_closing_their_own_ticket_tells_the_assignee_only(
    as_agent, as_user, make_ticket, stored
):
    ticket = await make_ticket(as_user)
    await put(as_agent, ticket, assignee_id=as_agent.user.id)
    await put(as_user, ticket, status="closed")
    assert await stored() == [(as_agent.user.id, "status_changed", ticket["id"])]


async def test_assigning_and_changing_the_status_at_once_tells_the_assignee_once(
    as_agent, client_as, make_ticket, stored
):
    requester = await client_as("user")
    colleague = await client_as("agent")
    ticket = await make_ticket(requester)
    await put(as_agent, ticket, assignee_id=colleague.user.id, status="open")
    assert sorted(await stored()) == sorted(
        [
            (colleague.user.id, "assigned", ticket["id"]),
            (requester.user.id, "status_changed", ticket["id"]),
        ]
    )


async def test_other_field_changes_notify_nobody(as_agent, as_user, make_ticket, stored):
    ticket = await make_ticket(as_user)
    await put(as_agent, ticket, priority="urgent", tags=["vip"], title="Printer on fire")
    assert await stored() == []


async def test_a_refused_update_leaves_no_notification(as_agent, client_as, make_ticket, stored):
    requester = await client_as("user")
    colleague = await client_as("agent")
    ticket = await make_ticket(requester)
    url = f"/api/tickets/{ticket['id']}"
    await put(as_agent, ticket, title="Printer jams again")  # now at version 2

    stale = await as_agent.put(url, json={"version": 1, "assignee_id": colleague.user.id})
    assert stale.status_code == 409
    by_requester = await requester.put(url, json={"version": 2, "status": "closed", "tags": ["x"]})
    assert by_requester.status_code == 403
    assert await stored() == []


async def test_notifications_roll_back_with_the_ticket_change_and_announce_nothing(
    as_agent, client_as, make_ticket, stored, database, published
):
    """Written in the ticket service's transaction: when it rolls back, so do they."""
    requester = await client_as("user")
    colleague = await client_as("agent")
    ticket = await make_ticket(requester)
    published.clear()

    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        async with database.unit_of_work() as session:
            actor = await session.get(User, as_agent.user.id)
            loaded = await service.reload_ticket(session, ticket["id"])
            data = TicketUpdate(version=1, assignee_id=colleague.user.id, status="open")
            await service.update_ticket(session, actor=actor, ticket=loaded, data=data)
            count = select(func.count()).select_from(Notification)
            assert (await session.execute(count)).scalar_one() == 2  # requester, assignee
            raise Boom

    assert await stored() == []
    assert published == []
    assert (await requester.get(f"/api/tickets/{ticket['id']}")).json()["version"] == 1


async def test_due_soon_sweep_warns_the_assignee_once(
    as_agent, as_user, make_ticket, stored, set_due, database
):
    due_soon = await make_ticket(as_agent, assignee_id=as_agent.user.id)
    later = await make_ticket(as_agent, assignee_id=as_agent.user.id)
    already_late = await make_ticket(as_agent, assignee_id=as_agent.user.id)
    unassigned = await make_ticket(as_user)
    resolved = await make_ticket(as_agent, assignee_id=as_agent.user.id)
    await put(as_agent, resolved, status="resolved")
    await set_due(due_soon["id"], timedelta(minutes=30))
    await set_due(later["id"], timedelta(hours=3))
    await set_due(already_late["id"], timedelta(minutes=-5))
    await set_due(unassigned["id"], timedelta(minutes=30))
    await set_due(resolved["id"], timedelta(minutes=30))

    assert await sweep_once(database) == 1
    assert await sweep_once(database) == 0  # once per ticket, however often it runs
    # The sweep has no actor, so even the person who assigned themselves is told.
    assert await stored() == [(as_agent.user.id, "due_soon", due_soon["id"])]
    item = (await as_agent.get("/api/notifications")).json()["items"][0]
    assert item["actor_id"] is None and f"#{due_soon['number']}" in item["title"]


async def test_due_soon_goes_to_the_new_assignee_after_a_handover(
    as_agent, client_as, make_ticket, stored, set_due, database
):
    colleague = await client_as("agent")
    ticket = await make_ticket(as_agent, assignee_id=as_agent.user.id)
    await set_due(ticket["id"], timedelta(minutes=20))
    assert await sweep_once(database) == 1
    await put(as_agent, ticket, assignee_id=colleague.user.id)
    assert await sweep_once(database) == 1
    assert [row for row in await stored() if row[1] == "due_soon"] == [
        (as_agent.user.id, "due_soon", ticket["id"]),
        (colleague.user.id, "due_soon", ticket["id"]),
    ]


async def test_deleting_a_ticket_deletes_its_notifications(
    as_admin, as_agent, as_user, make_ticket, stored
):
    ticket = await make_ticket(as_user)
    await put(as_agent, ticket, status="open")
    assert len(await stored()) == 1
    assert (await as_admin.delete(f"/api/tickets/{ticket['id']}")).status_code == 204
    assert await stored() == []


async def test_concurrent_sweeps_tell_each_assignee_once(
    as_agent, make_ticket, stored, set_due, database, is_postgres
):
    """Every API process sweeps: the partial unique index makes overlapping sweeps harmless."""
    if not is_postgres:
        pytest.skip("SQLite runs one writer at a time: sweeps cannot overlap there")
    for _ in range(3):
        ticket = await make_ticket(as_agent, assignee_id=as_agent.user.id)
        await set_due(ticket["id"], timedelta(minutes=15))
    told = await asyncio.gather(*(sweep_once(database) for _ in range(4)))
    assert sum(told) == 3
    assert len(await stored()) == 3
