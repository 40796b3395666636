"""A restricted team's tickets are hidden from agents outside it in every reader: list, search,
detail, comments, history, analytics (and drill-downs), notifications, saved views, realtime
audiences and the API token's account. Admins see all; requesters keep their own tickets."""

import json
from dataclasses import dataclass
from typing import Any

import pytest

from deskboard.analytics.cache import cache
from tests.conftest import RoleClient, register_reset

register_reset(cache.clear)


@dataclass
class Desk:
    admin: RoleClient
    member: RoleClient  # an agent in the restricted team
    outsider: RoleClient  # an agent outside it
    requester: RoleClient
    team: dict[str, Any]
    hidden: dict[str, Any]  # filed by `requester` for the restricted team
    open_ticket: dict[str, Any]  # no team


@pytest.fixture
async def desk(as_admin, client_as, make_team) -> Desk:
    member = await client_as("agent")
    outsider = await client_as("agent")
    requester = await client_as("user")
    team = await make_team(as_admin, member_ids=[member.user.id], restrict_visibility=True)
    hidden = (
        await requester.post("/api/tickets", json={"title": "Payroll mismatch for March"})
    ).json()
    moved = await as_admin.put(
        f"/api/tickets/{hidden['id']}", json={"version": 1, "team_id": team["id"]}
    )
    assert moved.status_code == 200, moved.text
    open_ticket = (await requester.post("/api/tickets", json={"title": "Printer jams"})).json()
    return Desk(as_admin, member, outsider, requester, team, moved.json(), open_ticket)


async def _ids(http: RoleClient, **params: Any) -> set[int]:
    if "filter" in params:
        params["filter"] = json.dumps(params["filter"])
    response = await http.get("/api/tickets", params=params)
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()["items"]}


async def test_the_list_hides_the_ticket_from_agents_outside_the_team_only(desk):
    both = {desk.hidden["id"], desk.open_ticket["id"]}
    assert await _ids(desk.admin) == both
    assert await _ids(desk.member) == both
    assert await _ids(desk.requester) == both
    assert await _ids(desk.outsider) == {desk.open_ticket["id"]}
    assert await _ids(desk.outsider, filter={"team_id": [desk.team["id"]]}) == set()
    assert await _ids(desk.outsider, q="payroll") == set()
    assert await _ids(desk.member, q="payroll") == {desk.hidden["id"]}


async def test_detail_comments_history_and_writes_are_404_outside_the_team(desk):
    path = f"/api/tickets/{desk.hidden['id']}"
    for suffix in ("", "/comments", "/history"):
        assert (await desk.outsider.get(path + suffix)).status_code == 404, suffix
        assert (await desk.member.get(path + suffix)).status_code == 200, suffix
    assert (await desk.requester.get(path)).status_code == 200
    write = await desk.outsider.put(path, json={"version": 2, "title": "Mine now"})
    assert write.status_code == 404
    comment = await desk.outsider.post(f"{path}/comments", json={"body": "hi"})
    assert comment.status_code == 404


async def test_lifting_the_restriction_shows_the_ticket_again(desk):
    team_path = f"/api/teams/{desk.team['id']}"
    lifted = await desk.admin.patch(team_path, json={"restrict_visibility": False})
    assert lifted.status_code == 200
    assert desk.hidden["id"] in await _ids(desk.outsider)
    joined = await desk.admin.patch(
        team_path,
        json={
            "restrict_visibility": True,
            "member_ids": [desk.member.user.id, desk.outsider.user.id],
        },
    )
    assert joined.status_code == 200
    assert desk.hidden["id"] in await _ids(desk.outsider)
    left = await desk.admin.patch(team_path, json={"member_ids": [desk.member.user.id]})
    assert left.status_code == 200
    assert desk.hidden["id"] not in await _ids(desk.outsider)


async def test_an_agent_who_filed_a_restricted_ticket_still_sees_it(desk):
    own = (await desk.outsider.post("/api/tickets", json={"title": "My laptop"})).json()
    moved = await desk.admin.put(
        f"/api/tickets/{own['id']}", json={"version": 1, "team_id": desk.team["id"]}
    )
    assert moved.status_code == 200
    assert own["id"] in await _ids(desk.outsider)
    assert (await desk.outsider.get(f"/api/tickets/{own['id']}")).status_code == 200


ENDPOINTS = [
    "by-status",
    "by-priority",
    "kpis",
    "workload",
    "ageing",
    "created-vs-resolved",
    "backlog",
    "activity",
]


def _figure(endpoint: str, answer: dict[str, Any]) -> int:
    if endpoint == "created-vs-resolved":
        return sum(point["created"] for point in answer["points"])
    if endpoint == "backlog":
        return answer["points"][-1]["open"]
    if endpoint == "kpis":
        return answer["open"]["value"]
    if endpoint == "activity":
        return len({item["ticket"]["id"] for item in answer["items"]})
    return answer["total"]


async def _analytics(http: RoleClient, endpoint: str, **params: Any) -> dict[str, Any]:
    if "filter" in params:
        params["filter"] = json.dumps(params["filter"])
    response = await http.get(f"/api/analytics/{endpoint}", params=params)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_every_analytics_figure_leaves_out_the_hidden_ticket(desk, endpoint):
    # Asked first by those who see it, so a cache shared across scopes would leak it.
    assert _figure(endpoint, await _analytics(desk.admin, endpoint)) == 2
    assert _figure(endpoint, await _analytics(desk.member, endpoint)) == 2
    assert _figure(endpoint, await _analytics(desk.outsider, endpoint)) == 1
    assert _figure(endpoint, await _analytics(desk.requester, endpoint)) == 2
    # And the cache follows a team change at once.
    await desk.admin.patch(f"/api/teams/{desk.team['id']}", json={"restrict_visibility": False})
    assert _figure(endpoint, await _analytics(desk.outsider, endpoint)) == 2


async def test_drill_downs_outside_the_team_count_what_the_list_shows(desk):
    breakdown = await _analytics(desk.outsider, "by-status")
    for segment in breakdown["segments"]:
        if segment["filter"] is not None:
            assert len(await _ids(desk.outsider, filter=segment["filter"])) == segment["count"]
    kpis = await _analytics(desk.outsider, "kpis", filter={"team_id": ["mine", "none"]})
    assert kpis["open"]["value"] == 1
    assert await _ids(desk.outsider, filter=kpis["open"]["filter"]) == {desk.open_ticket["id"]}
    mine = await _analytics(desk.member, "by-status", filter={"team_id": ["mine"]})
    assert mine["total"] == 1
    assert await _analytics(desk.outsider, "by-status", filter={"team_id": ["mine"]}) != mine


async def test_workload_rows_agree_with_the_list(desk):
    for ticket in (desk.hidden, desk.open_ticket):
        current = (await desk.admin.get(f"/api/tickets/{ticket['id']}")).json()
        assigned = await desk.admin.put(
            f"/api/tickets/{ticket['id']}",
            json={"version": current["version"], "assignee_id": desk.member.user.id},
        )
        assert assigned.status_code == 200
    rows = (await _analytics(desk.outsider, "workload"))["rows"]
    counted = {row["agent"]["id"] if row["agent"] else None: row for row in rows}
    row = counted[desk.member.user.id]
    assert row["count"] == 1
    assert len(await _ids(desk.outsider, filter=row["filter"])) == 1


async def test_notifications_about_a_hidden_ticket_are_neither_sent_nor_shown(desk):
    # Assigned while the team is open: the outsider is told.
    lifted = await desk.admin.patch(
        f"/api/teams/{desk.team['id']}", json={"restrict_visibility": False}
    )
    assert lifted.status_code == 200
    current = (await desk.admin.get(f"/api/tickets/{desk.hidden['id']}")).json()
    assigned = await desk.admin.put(
        f"/api/tickets/{desk.hidden['id']}",
        json={"version": current["version"], "assignee_id": desk.outsider.user.id},
    )
    assert assigned.status_code == 200
    feed = (await desk.outsider.get("/api/notifications")).json()
    assert [n["ticket_id"] for n in feed["items"]] == [desk.hidden["id"]]

    # Restricted again: the feed hides it, and further changes tell the outsider nothing.
    await desk.admin.patch(f"/api/teams/{desk.team['id']}", json={"restrict_visibility": True})
    feed = (await desk.outsider.get("/api/notifications")).json()
    assert (feed["items"], feed["unread_count"]) == ([], 0)
    closed = await desk.admin.put(
        f"/api/tickets/{desk.hidden['id']}",
        json={"version": assigned.json()["version"], "status": "closed"},
    )
    assert closed.status_code == 200
    lifted = await desk.admin.patch(
        f"/api/teams/{desk.team['id']}", json={"restrict_visibility": False}
    )
    feed = (await desk.outsider.get("/api/notifications")).json()
    assert [n["kind"] for n in feed["items"]] == ["assigned"]


async def test_saved_views_apply_the_readers_visibility(desk):
    view = await desk.admin.post(
        "/api/views",
        json={"name": "Payroll team", "filter": {"team_id": [desk.team["id"]]}, "shared": True},
    )
    assert view.status_code == 201, view.text
    view_id = view.json()["id"]
    assert await _ids(desk.member, view_id=view_id) == {desk.hidden["id"]}
    assert await _ids(desk.outsider, view_id=view_id) == set()


async def test_the_api_token_account_is_an_agent_outside_every_team(desk):
    created = await desk.admin.post(
        "/api/api-tokens", json={"name": "Monitor", "scopes": ["tickets:read"]}
    )
    headers = {"Authorization": f"Bearer {created.json()['token']}"}
    listed = await desk.admin.get("/api/tickets", headers=headers)
    assert {item["id"] for item in listed.json()["items"]} == {desk.open_ticket["id"]}
    hidden = await desk.admin.get(f"/api/tickets/{desk.hidden['id']}", headers=headers)
    assert hidden.status_code == 404


async def test_ticket_events_go_to_admins_members_and_the_requester_only(desk, published):
    published.clear()
    path = f"/api/tickets/{desk.hidden['id']}"
    updated = await desk.member.put(path, json={"version": 2, "priority": "high"})
    assert updated.status_code == 200
    note = await desk.member.post(f"{path}/comments", json={"body": "HR only", "internal": True})
    assert note.status_code == 201
    events = [e for e in published if e.type.startswith("ticket.")]
    assert len(events) == 2
    change, internal = events
    for event in events:
        assert event.audience.includes(desk.admin.user.id, "admin")
        assert event.audience.includes(desk.member.user.id, "agent")
        assert not event.audience.includes(desk.outsider.user.id, "agent")
    assert change.audience.includes(desk.requester.user.id, "user")
    assert not internal.audience.includes(desk.requester.user.id, "user")
    # The open ticket's events still reach every agent.
    published.clear()
    other = await desk.member.put(
        f"/api/tickets/{desk.open_ticket['id']}", json={"version": 1, "priority": "high"}
    )
    assert other.status_code == 200
    (event,) = [e for e in published if e.type == "ticket.updated"]
    assert event.audience.includes(desk.outsider.user.id, "agent")


async def test_a_member_demoted_to_user_leaves_the_team(desk):
    demoted = await desk.admin.patch(f"/api/users/{desk.member.user.id}", json={"role": "user"})
    assert demoted.status_code == 200, demoted.text
    team = (await desk.admin.get(f"/api/teams/{desk.team['id']}")).json()
    assert team["member_ids"] == []


async def test_the_due_soon_sweep_warns_only_assignees_who_see_the_ticket(desk, database):
    from datetime import timedelta

    from sqlalchemy import select, update

    from deskboard.core.time import utcnow
    from deskboard.notifications import sweep
    from deskboard.notifications.models import Notification
    from deskboard.tickets.models import Ticket

    for ticket, assignee in ((desk.hidden, desk.outsider), (desk.open_ticket, desk.outsider)):
        current = (await desk.admin.get(f"/api/tickets/{ticket['id']}")).json()
        assigned = await desk.admin.put(
            f"/api/tickets/{ticket['id']}",
            json={"version": current["version"], "assignee_id": assignee.user.id},
        )
        assert assigned.status_code == 200
    async with database.unit_of_work() as session:
        await session.execute(update(Ticket).values(due_at=utcnow() + timedelta(minutes=10)))
    await sweep.sweep_once(database)
    async with database.sessionmaker() as session:
        warned = await session.execute(
            select(Notification.ticket_id).where(Notification.kind == "due_soon")
        )
        assert warned.scalars().all() == [desk.open_ticket["id"]]
