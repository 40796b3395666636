"""Status workflow, optimistic concurrency, and who may change what."""

import asyncio

import pytest

from deskboard.tickets.workflow import TRANSITIONS

ALL_STATUSES = ["new", "open", "pending", "resolved", "closed"]


async def _ticket_in(status, as_agent, make_ticket, set_ticket_fields, requester=None):
    fields = {"requester_id": requester.id} if requester else {}
    ticket = await make_ticket(as_agent, **fields)
    await set_ticket_fields(ticket["id"], status=status)
    return ticket


@pytest.mark.parametrize(
    ("current", "target"),
    [(a, b) for a in ALL_STATUSES for b in ALL_STATUSES if a != b],
)
async def test_staff_status_transitions_follow_the_table(
    current, target, as_agent, make_ticket, set_ticket_fields
):
    ticket = await _ticket_in(current, as_agent, make_ticket, set_ticket_fields)
    response = await as_agent.put(
        f"/api/tickets/{ticket['id']}", json={"version": 1, "status": target}
    )
    if target in TRANSITIONS[current]:
        assert response.status_code == 200, response.text
        assert response.json()["status"] == target
    else:
        assert response.status_code == 422
        assert f"from {current} to {target}" in response.json()["detail"][0]["msg"]
        current_state = (await as_agent.get(f"/api/tickets/{ticket['id']}")).json()
        assert (current_state["status"], current_state["version"]) == (current, 1)


async def test_resolving_stamps_resolved_at_and_reopening_clears_it(as_agent, make_ticket):
    ticket = await make_ticket(as_agent)
    url = f"/api/tickets/{ticket['id']}"
    resolved = (await as_agent.put(url, json={"version": 1, "status": "resolved"})).json()
    assert resolved["resolved_at"] is not None
    closed = (await as_agent.put(url, json={"version": 2, "status": "closed"})).json()
    assert closed["resolved_at"] == resolved["resolved_at"]
    reopened = (await as_agent.put(url, json={"version": 3, "status": "open"})).json()
    assert reopened["resolved_at"] is None


async def test_requester_may_close_and_reopen_a_resolved_ticket(as_user, as_agent, make_ticket):
    ticket = await make_ticket(as_user)
    url = f"/api/tickets/{ticket['id']}"
    await as_agent.put(url, json={"version": 1, "status": "resolved"})
    reopened = await as_user.put(url, json={"version": 2, "status": "open"})
    assert reopened.status_code == 200
    closed = await as_user.put(url, json={"version": 3, "status": "closed"})
    assert closed.status_code == 200


async def test_requester_may_not_reopen_a_closed_ticket(as_user, make_ticket):
    ticket = await make_ticket(as_user)
    url = f"/api/tickets/{ticket['id']}"
    assert (await as_user.put(url, json={"version": 1, "status": "closed"})).status_code == 200
    response = await as_user.put(url, json={"version": 2, "status": "open"})
    assert response.status_code == 403
    assert "reopen" in response.json()["detail"]


@pytest.mark.parametrize("target", ["open", "pending", "resolved"])
async def test_requester_may_not_work_their_ticket(target, as_user, make_ticket):
    ticket = await make_ticket(as_user)
    response = await as_user.put(
        f"/api/tickets/{ticket['id']}", json={"version": 1, "status": target}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "change",
    [{"priority": "urgent"}, {"tags": ["x"]}, {"due_at": "2030-01-01T00:00:00Z"}],
)
async def test_requester_may_not_triage(change, as_user, make_ticket):
    ticket = await make_ticket(as_user)
    response = await as_user.put(f"/api/tickets/{ticket['id']}", json={"version": 1, **change})
    assert response.status_code == 403


async def test_requester_edits_title_and_description(as_user, make_ticket):
    ticket = await make_ticket(as_user)
    response = await as_user.put(
        f"/api/tickets/{ticket['id']}",
        json={"version": 1, "title": "Printer fixed itself?", "description": "**No**"},
    )
    assert response.status_code == 200
    assert response.json()["title"] == "Printer fixed itself?"


async def test_requester_may_not_assign(as_user, as_agent, make_ticket):
    ticket = await make_ticket(as_user)
    response = await as_user.put(
        f"/api/tickets/{ticket['id']}", json={"version": 1, "assignee_id": as_agent.user.id}
    )
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["user", "guest", "inactive_agent", "missing"])
async def test_assignee_must_be_an_active_agent_or_admin(
    who, as_agent, make_user, make_ticket, snapshot
):
    ticket = await make_ticket(as_agent)
    if who == "missing":
        assignee_id = 999_999
    elif who == "inactive_agent":
        assignee_id = (await make_user("agent", is_active=False)).id
    else:
        assignee_id = (await make_user(who)).id
    before = await snapshot()
    response = await as_agent.put(
        f"/api/tickets/{ticket['id']}", json={"version": 1, "assignee_id": assignee_id}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "assignee_id"]
    assert await snapshot() == before


async def test_admin_may_be_assigned(as_agent, make_user, make_ticket):
    admin = await make_user("admin")
    ticket = await make_ticket(as_agent)
    response = await as_agent.put(
        f"/api/tickets/{ticket['id']}", json={"version": 1, "assignee_id": admin.id}
    )
    assert response.json()["assignee"]["id"] == admin.id


async def test_stale_version_gets_409_with_the_current_ticket(
    as_agent, client_as, make_ticket, snapshot
):
    other_agent = await client_as("agent")
    ticket = await make_ticket(as_agent)
    url = f"/api/tickets/{ticket['id']}"
    first = await as_agent.put(url, json={"version": 1, "priority": "high"})
    assert first.status_code == 200
    before = await snapshot()
    second = await other_agent.put(url, json={"version": 1, "priority": "low"})
    assert second.status_code == 409
    body = second.json()
    assert "changed since" in body["detail"]
    assert body["current"] == first.json()
    assert await snapshot() == before


async def test_version_ahead_of_the_stored_one_is_also_409(as_agent, make_ticket):
    ticket = await make_ticket(as_agent)
    response = await as_agent.put(
        f"/api/tickets/{ticket['id']}", json={"version": 2, "priority": "high"}
    )
    assert response.status_code == 409
    assert response.json()["current"]["version"] == 1


async def test_concurrent_updates_one_wins_each_version(as_agent, make_ticket):
    ticket = await make_ticket(as_agent)
    url = f"/api/tickets/{ticket['id']}"
    priorities = ["low", "high", "urgent", "low", "high", "urgent"]
    responses = await asyncio.gather(
        *(as_agent.put(url, json={"version": 1, "priority": p}) for p in priorities)
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] + [409] * (len(priorities) - 1)
    history = (await as_agent.get(f"{url}/history")).json()
    # One accepted write: its priority and the policy due date that follows it.
    assert sorted(h["field"] for h in history) == ["due_at", "priority"]
    final = (await as_agent.get(url)).json()
    assert final["version"] == 2
