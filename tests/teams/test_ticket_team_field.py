"""Tickets belong to a team: set on create and by a versioned update, filtered by team_id
(ids, "mine", "none"), and a team is deleted only once no ticket belongs to it."""

import json

from sqlalchemy import select

from deskboard.audit.models import AuditEntry
from deskboard.tickets.models import Ticket, TicketChange


async def _ids(http, ticket_filter) -> set[int]:
    response = await http.get("/api/tickets", params={"filter": json.dumps(ticket_filter)})
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()["items"]}


async def test_staff_file_a_ticket_for_a_team_and_it_shows_in_list_and_detail(
    as_admin, as_agent, make_team
):
    team = await make_team(as_admin)
    created = await as_agent.post(
        "/api/tickets", json={"title": "Router down", "team_id": team["id"]}
    )
    assert created.status_code == 201, created.text
    assert created.json()["team_id"] == team["id"]
    detail = await as_agent.get(f"/api/tickets/{created.json()['id']}")
    assert detail.json()["team_id"] == team["id"]
    listed = (await as_agent.get("/api/tickets")).json()["items"]
    assert [item["team_id"] for item in listed if item["id"] == created.json()["id"]] == [
        team["id"]
    ]
    plain = await as_agent.post("/api/tickets", json={"title": "No team"})
    assert plain.json()["team_id"] is None


async def test_a_requester_may_not_choose_the_team(as_admin, as_user, make_team, database):
    team = await make_team(as_admin)
    refused = await as_user.post("/api/tickets", json={"title": "Mine", "team_id": team["id"]})
    assert refused.status_code == 403
    async with database.sessionmaker() as session:
        assert (await session.execute(select(Ticket))).first() is None


async def test_an_unknown_team_is_422_and_nothing_is_stored(as_agent, database):
    refused = await as_agent.post("/api/tickets", json={"title": "X", "team_id": 987654})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "team_id"]
    ticket = (await as_agent.post("/api/tickets", json={"title": "Y"})).json()
    update = await as_agent.put(
        f"/api/tickets/{ticket['id']}", json={"version": ticket["version"], "team_id": 987654}
    )
    assert update.status_code == 422
    async with database.sessionmaker() as session:
        row = await session.get_one(Ticket, ticket["id"])
        assert (row.team_id, row.version) == (None, 1)


async def test_moving_a_ticket_between_teams_is_versioned_with_history_and_audit(
    as_admin, as_agent, make_team, database, published
):
    first, second = await make_team(as_admin), await make_team(as_admin)
    ticket = (
        await as_agent.post("/api/tickets", json={"title": "Move me", "team_id": first["id"]})
    ).json()

    moved = await as_agent.put(
        f"/api/tickets/{ticket['id']}", json={"version": 1, "team_id": second["id"]}
    )
    assert moved.status_code == 200, moved.text
    assert (moved.json()["team_id"], moved.json()["version"]) == (second["id"], 2)
    stale = await as_agent.put(f"/api/tickets/{ticket['id']}", json={"version": 1, "team_id": None})
    assert stale.status_code == 409
    cleared = await as_agent.put(
        f"/api/tickets/{ticket['id']}", json={"version": 2, "team_id": None}
    )
    assert cleared.json()["team_id"] is None

    history = (await as_agent.get(f"/api/tickets/{ticket['id']}/history")).json()
    assert [(h["field"], h["from"], h["to"]) for h in history] == [
        ("team_id", first["id"], second["id"]),
        ("team_id", second["id"], None),
    ]
    async with database.sessionmaker() as session:
        changes = (await session.execute(select(TicketChange.field))).scalars().all()
        assert changes == ["team_id", "team_id"]
        audits = (
            await session.execute(select(AuditEntry).where(AuditEntry.action == "ticket.updated"))
        ).scalars()
        assert [a.after for a in audits] == [{"team_id": second["id"]}, {"team_id": None}]
    updates = [e for e in published if e.type == "ticket.updated"]
    assert [e.data["team_id"] for e in updates] == [second["id"], None]


async def test_a_requester_may_not_move_their_ticket_to_a_team(as_admin, as_user, make_team):
    team = await make_team(as_admin)
    ticket = (await as_user.post("/api/tickets", json={"title": "Mine"})).json()
    refused = await as_user.put(
        f"/api/tickets/{ticket['id']}", json={"version": 1, "team_id": team["id"]}
    )
    assert refused.status_code == 403


async def test_the_team_filter_takes_ids_mine_and_none(as_admin, client_as, make_team):
    member = await client_as("agent")
    outsider = await client_as("agent")
    ours = await make_team(as_admin, member_ids=[member.user.id])
    theirs = await make_team(as_admin, member_ids=[outsider.user.id])
    in_ours = (
        await as_admin.post("/api/tickets", json={"title": "A", "team_id": ours["id"]})
    ).json()
    in_theirs = (
        await as_admin.post("/api/tickets", json={"title": "B", "team_id": theirs["id"]})
    ).json()
    no_team = (await as_admin.post("/api/tickets", json={"title": "C"})).json()

    assert await _ids(member, {"team_id": [ours["id"]]}) == {in_ours["id"]}
    assert await _ids(member, {"team_id": ["mine"]}) == {in_ours["id"]}
    assert await _ids(outsider, {"team_id": ["mine"]}) == {in_theirs["id"]}
    assert await _ids(member, {"team_id": ["none"]}) == {no_team["id"]}
    assert await _ids(member, {"team_id": ["mine", "none"]}) == {in_ours["id"], no_team["id"]}
    assert await _ids(as_admin, {"team_id": ["mine"]}) == set()  # the admin is in no team


async def test_a_malformed_team_filter_is_422(as_agent):
    for bad in (["theirs"], [0], [2**31], "mine", [None]):
        response = await as_agent.get(
            "/api/tickets", params={"filter": json.dumps({"team_id": bad})}
        )
        assert response.status_code == 422, bad


async def test_a_team_with_tickets_is_not_deleted_until_they_move(as_admin, make_team, database):
    team = await make_team(as_admin)
    ticket = (
        await as_admin.post("/api/tickets", json={"title": "T", "team_id": team["id"]})
    ).json()

    refused = await as_admin.delete(f"/api/teams/{team['id']}")
    assert refused.status_code == 409
    assert "1 tickets" in refused.json()["detail"]
    assert (await as_admin.get(f"/api/teams/{team['id']}")).status_code == 200

    moved = await as_admin.put(f"/api/tickets/{ticket['id']}", json={"version": 1, "team_id": None})
    assert moved.status_code == 200
    assert (await as_admin.delete(f"/api/teams/{team['id']}")).status_code == 204
    async with database.sessionmaker() as session:
        assert (await session.get_one(Ticket, ticket["id"])).team_id is None


async def _token_account(as_admin) -> int:
    created = await as_admin.post(
        "/api/api-tokens", json={"name": "CRM", "scopes": ["tickets:read", "tickets:write"]}
    )
    assert created.status_code == 201, created.text
    me = await as_admin.get(
        "/api/tickets", headers={"Authorization": f"Bearer {created.json()['token']}"}
    )
    assert me.status_code == 200
    filed = await as_admin.post(
        "/api/tickets",
        json={"title": "From the CRM"},
        headers={"Authorization": f"Bearer {created.json()['token']}"},
    )
    return filed.json()["requester"]["id"]


async def test_an_api_token_account_is_never_an_assignee(as_admin, as_agent):
    account = await _token_account(as_admin)
    refused = await as_agent.post("/api/tickets", json={"title": "X", "assignee_id": account})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "assignee_id"]
    ticket = (await as_agent.post("/api/tickets", json={"title": "Y"})).json()
    update = await as_agent.put(
        f"/api/tickets/{ticket['id']}", json={"version": 1, "assignee_id": account}
    )
    assert update.status_code == 422


async def test_an_api_token_account_is_never_a_team_member(as_admin, make_team, stored_teams):
    account = await _token_account(as_admin)
    before = await stored_teams()
    refused = await as_admin.post("/api/teams", json={"name": "Bots", "member_ids": [account]})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "member_ids", 0]
    team = await make_team(as_admin)
    before = await stored_teams()
    patch = await as_admin.patch(f"/api/teams/{team['id']}", json={"member_ids": [account]})
    assert patch.status_code == 422
    assert await stored_teams() == before


async def test_an_sla_policy_cannot_depend_on_the_callers_teams(as_admin):
    calendar = await as_admin.post(
        "/api/calendars",
        json={"name": "Office", "timezone": "UTC", "hours": {"mon": [["09:00", "17:00"]]}},
    )
    assert calendar.status_code == 201, calendar.text
    body = {
        "name": "Mine",
        "conditions": {"team_id": ["mine"]},
        "calendar_id": calendar.json()["id"],
        "first_response_minutes": 60,
        "resolution_minutes": 600,
    }
    assert (await as_admin.post("/api/sla-policies", json=body)).status_code == 422
    body["conditions"] = {"team_id": ["none"]}
    assert (await as_admin.post("/api/sla-policies", json=body)).status_code == 201
