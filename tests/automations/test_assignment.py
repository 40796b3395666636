"""Assigning within a team: in turn or to the least loaded, skipping people away; the `away`
flag set by the person themself or an admin; fair turns under concurrent creation."""

import asyncio

import httpx
import pytest

from deskboard.automations.assignment import least_open, next_in_turn
from tests.conftest import auth_headers


def test_turns_wrap_around_by_id():
    assert next_in_turn([3, 5, 9], None) == 3
    assert next_in_turn([3, 5, 9], 5) == 9
    assert next_in_turn([3, 5, 9], 9) == 3
    assert next_in_turn([3, 5, 9], 4) == 5  # the last one left the team


def test_least_open_breaks_ties_in_turn():
    assert least_open([1, 2, 3], {1: 2, 2: 0, 3: 0}, last=2) == 3
    assert least_open([1, 2, 3], {1: 0, 2: 0, 3: 0}, last=3) == 1
    assert least_open([1, 2, 3], {1: 1, 2: 5, 3: 1}, last=None) == 1


async def test_people_away_are_skipped(
    as_admin, as_agent, make_user, make_team, make_rule, make_ticket
):
    first, away, third = [await make_user("agent") for _ in range(3)]
    team = await make_team(as_admin, [first.id, away.id, third.id])
    await make_rule(
        as_admin, actions=[{"type": "assign", "strategy": "round_robin", "team_id": team["id"]}]
    )
    marked = await as_admin.patch(f"/api/users/{away.id}", json={"away": True})
    assert marked.status_code == 200 and marked.json()["away"] is True

    made = [await make_ticket(as_agent) for _ in range(4)]

    assert [t["assignee"]["id"] for t in made] == [first.id, third.id, first.id, third.id]


async def test_nobody_available_leaves_the_ticket_unassigned(
    as_admin, as_agent, make_user, make_team, make_rule, make_ticket, runs_of
):
    away = await make_user("agent", away=True)
    team = await make_team(as_admin, [away.id])
    rule = await make_rule(
        as_admin, actions=[{"type": "assign", "strategy": "least_open", "team_id": team["id"]}]
    )

    ticket = await make_ticket(as_agent)

    assert ticket["assignee"] is None
    (run,) = await runs_of(rule["id"])
    assert run.outcome == "applied" and "Nobody available" in run.results[0]["detail"]


async def test_least_open_picks_the_member_with_fewest_open_tickets(
    as_admin, as_agent, make_user, make_team, make_rule, make_ticket
):
    busy, free = await make_user("agent"), await make_user("agent")
    for _ in range(2):
        await make_ticket(as_agent, assignee_id=busy.id)
    done = await make_ticket(as_agent, assignee_id=free.id)
    closed = await as_agent.put(
        f"/api/tickets/{done['id']}", json={"version": done["version"], "status": "closed"}
    )
    assert closed.status_code == 200
    team = await make_team(as_admin, [busy.id, free.id])
    await make_rule(
        as_admin,
        conditions={"tag": ["route"]},
        actions=[{"type": "assign", "strategy": "least_open", "team_id": team["id"]}],
    )

    made = [await make_ticket(as_agent, tags=["route"]) for _ in range(3)]

    # free: 0 open (the closed one does not count) -> free; 1 vs 2 -> free; 2 vs 2 -> in turn.
    assert [t["assignee"]["id"] for t in made] == [free.id, free.id, busy.id]


async def test_a_person_marks_themself_away_and_back(client_as):
    agent = await client_as("agent")

    away = await agent.patch("/api/auth/me", json={"away": True})
    assert away.status_code == 200, away.text
    assert away.json()["away"] is True
    assert (await agent.get("/api/auth/me")).json()["away"] is True
    back = await agent.patch("/api/auth/me", json={"away": False})
    assert back.json()["away"] is False


@pytest.mark.parametrize(("role", "status"), [("guest", 403), ("user", 200), ("admin", 200)])
async def test_who_may_mark_themself_away(client_as, role, status):
    http = await client_as(role)
    assert (await http.patch("/api/auth/me", json={"away": True})).status_code == status


async def test_away_is_checked(client_as):
    http = await client_as("agent")
    for body in ({}, {"away": "yes"}, {"away": True, "role": "admin"}):
        assert (await http.patch("/api/auth/me", json=body)).status_code == 422


async def test_round_robin_is_fair_under_concurrent_creation(
    app, as_admin, make_user, make_team, make_rule, is_postgres
):
    """N free members and tickets created at once, over real concurrent requests (each its own
    connection and transaction): in creation order, every N consecutive assignments name N
    different people, so nobody gets two in a row while another is free."""
    members = [await make_user("agent") for _ in range(4)]
    team = await make_team(as_admin, [m.id for m in members])
    rule = await make_rule(
        as_admin, actions=[{"type": "assign", "strategy": "round_robin", "team_id": team["id"]}]
    )
    filer = await make_user("agent")
    transport = httpx.ASGITransport(app=app)
    rounds = 3 if is_postgres else 2

    async def create(number: int) -> dict:
        async with httpx.AsyncClient(
            transport=transport, base_url="http://test", headers=auth_headers(filer)
        ) as http:
            response = await http.post("/api/tickets", json={"title": f"Concurrent {number}"})
            assert response.status_code == 201, response.text
            return response.json()

    made = await asyncio.gather(*(create(n) for n in range(len(members) * rounds)))

    counts = {m.id: 0 for m in members}
    for ticket in made:
        counts[ticket["assignee"]["id"]] += 1
    assert set(counts.values()) == {rounds}
    # The run log's order is the order the cursor was taken in (its row lock serialises them).
    runs = (await as_admin.get(f"/api/automations/{rule['id']}/runs")).json()
    assignees = [run["results"][0]["changes"]["assignee_id"]["to"] for run in reversed(runs)]
    assert len(assignees) == len(made)
    for start in range(len(assignees) - len(members) + 1):
        window = assignees[start : start + len(members)]
        assert len(set(window)) == len(members), assignees


async def test_the_cursor_lock_alone_keeps_turns_apart(
    as_admin, make_user, make_team, make_rule, database, is_postgres
):
    """Below the ticket service (whose insert may itself queue writers), transactions choosing
    at once and committing late still name different people: each waits for the cursor row."""
    if not is_postgres:
        pytest.skip("SQLite has one writer at a time: the ticket insert already serialises")
    from deskboard.automations.assignment import choose_member

    members = [await make_user("agent") for _ in range(4)]
    team = await make_team(as_admin, [m.id for m in members])
    rule = await make_rule(
        as_admin, actions=[{"type": "assign", "strategy": "round_robin", "team_id": team["id"]}]
    )

    async def choose() -> int | None:
        async with database.unit_of_work() as session:
            chosen = await choose_member(
                session, automation_id=rule["id"], team_id=team["id"], strategy="round_robin"
            )
            await asyncio.sleep(0.05)  # still in the transaction: others must wait, not read
            return chosen

    chosen = await asyncio.gather(*(choose() for _ in members))

    assert sorted(chosen) == sorted(m.id for m in members)


async def test_an_admin_marking_someone_away_is_audited(as_admin, make_user):
    agent = await make_user("agent")

    await as_admin.patch(f"/api/users/{agent.id}", json={"away": True})

    entries = (await as_admin.get("/api/audit", params={"entity_type": "user"})).json()["items"]
    (entry,) = [e for e in entries if e["action"] == "user.updated"]
    assert (entry["before"]["away"], entry["after"]["away"]) == (False, True)
