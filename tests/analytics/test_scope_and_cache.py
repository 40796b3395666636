"""Who sees which figures, bad input, and figures that follow ticket changes at once."""

from datetime import UTC, datetime

import pytest

from deskboard.core.events import Audience, Event
from deskboard.tickets.models import Ticket
from tests.analytics.helpers import get_json
from tests.matrix import Endpoint, cells, client_for, expect

ENDPOINTS = [
    "by-status",
    "by-priority",
    "created-vs-resolved",
    "backlog",
    "kpis",
    "workload",
    "ageing",
    "activity",
]


def figure(endpoint: str, answer: dict) -> int:
    """One number per endpoint that a new open ticket filed today raises by one."""
    if endpoint == "created-vs-resolved":
        return answer["points"][-1]["created"]
    if endpoint == "backlog":
        return answer["points"][-1]["open"]
    if endpoint == "kpis":
        return answer["open"]["value"]
    if endpoint == "activity":
        return len(answer["items"])
    return answer["total"]


def _counts(answer):
    return {segment["key"]: segment["count"] for segment in answer["segments"]}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_a_ticket_change_shows_in_every_figure_at_once(desk, as_admin, endpoint):
    path = f"/api/analytics/{endpoint}"
    before = figure(endpoint, await get_json(desk.agent, path))
    mine_before = figure(endpoint, await get_json(desk.requester, path))

    created = await desk.requester.post("/api/tickets", json={"title": "New today"})
    assert created.status_code == 201
    assert figure(endpoint, await get_json(desk.agent, path)) == before + 1
    assert figure(endpoint, await get_json(desk.requester, path)) == mine_before + 1

    deleted = await as_admin.delete(f"/api/tickets/{created.json()['id']}")
    assert deleted.status_code == 204
    assert figure(endpoint, await get_json(desk.agent, path)) == before
    assert figure(endpoint, await get_json(desk.requester, path)) == mine_before


async def test_a_status_change_moves_a_ticket_between_segments_at_once(desk):
    path = "/api/analytics/by-status"
    assert _counts(await get_json(desk.agent, path))["pending"] == 1
    response = await desk.agent.put(
        f"/api/tickets/{desk.ids['t3']}", json={"version": 1, "status": "resolved"}
    )
    assert response.status_code == 200
    counts = _counts(await get_json(desk.agent, path))
    assert (counts["pending"], counts["resolved"]) == (0, 2)


async def test_a_priority_change_moves_a_ticket_between_segments_at_once(desk):
    path = "/api/analytics/by-priority"
    assert _counts(await get_json(desk.agent, path)) == {
        "low": 1,
        "normal": 3,
        "high": 1,
        "urgent": 1,
    }
    response = await desk.agent.put(
        f"/api/tickets/{desk.ids['t6']}", json={"version": 1, "priority": "urgent"}
    )
    assert response.status_code == 200
    assert _counts(await get_json(desk.agent, path)) == {
        "low": 1,
        "normal": 2,
        "high": 1,
        "urgent": 2,
    }


async def test_figures_are_cached_until_a_ticket_event(desk, database):
    """A row written behind the API's back (no event) is not seen until an event drops the
    cache: proof that the figures above changed because of the events."""
    path = "/api/analytics/by-status"
    assert (await get_json(desk.agent, path))["total"] == 6
    now = datetime.now(UTC)
    async with database.unit_of_work() as session:
        session.add(
            Ticket(
                title="Imported",
                description="",
                status="new",
                priority="low",
                requester_id=desk.other_requester_id,
                created_at=now,
                updated_at=now,
                version=1,
            )
        )
    assert (await get_json(desk.agent, path))["total"] == 6
    reply = await desk.agent.post(f"/api/tickets/{desk.ids['t1']}/comments", json={"body": "Hi"})
    assert reply.status_code == 201
    assert (await get_json(desk.agent, path))["total"] == 7


async def test_a_ticket_event_of_another_process_drops_the_cache_too(desk, database, app):
    """With several API processes, another's ticket event reaches this one through the realtime
    backend (Redis): its arrival, not the writing process's commit listener, drops the cache."""
    path = "/api/analytics/by-status"
    assert (await get_json(desk.agent, path))["total"] == 6
    now = datetime.now(UTC)
    async with database.unit_of_work() as session:  # "another process" writes ...
        session.add(
            Ticket(
                title="Written elsewhere",
                description="",
                status="new",
                priority="low",
                requester_id=desk.other_requester_id,
                created_at=now,
                updated_at=now,
                version=1,
            )
        )
    assert (await get_json(desk.agent, path))["total"] == 6
    # ... and its event arrives from the backend, never through this process's commit.
    await app.state.hub.backend.publish(Event("ticket.created", {}, Audience()))
    assert (await get_json(desk.agent, path))["total"] == 7


async def test_each_caller_gets_the_figures_of_their_own_scope(desk, client_as):
    """Asked one after another (so a shared cache entry would show), each sees their own."""
    path = "/api/analytics/by-status"
    guest = await client_as("guest")
    other_requester = await client_as("user")
    assert (await get_json(desk.agent, path))["total"] == 6
    assert (await get_json(desk.requester, path))["total"] == 3
    assert (await get_json(other_requester, path))["total"] == 0
    assert (await get_json(guest, path))["total"] == 0
    assert (await get_json(desk.agent, path))["total"] == 6


async def test_me_means_the_caller_even_for_staff(desk, client_as):
    other_agent = await client_as("agent")
    me = {"assignee_id": ["me"]}
    mine = await get_json(desk.agent, "/api/analytics/by-status", filter=me)
    assert {k: v for k, v in _counts(mine).items() if v} == {"open": 1, "pending": 1}
    theirs = await get_json(other_agent, "/api/analytics/by-status", filter=me)
    assert theirs["total"] == 0


async def test_a_requester_filtering_on_others_tickets_counts_nothing(desk):
    other = {"requester_id": [desk.other_requester_id]}
    assert (await get_json(desk.requester, "/api/analytics/by-status", filter=other))["total"] == 0
    assert (await get_json(desk.agent, "/api/analytics/by-status", filter=other))["total"] == 3


async def test_ageing_of_a_requester(desk):
    answer = await get_json(desk.requester, "/api/analytics/ageing")
    assert {band["key"]: band["count"] for band in answer["bands"]} == {
        "lt_1d": 1,
        "1_3d": 1,
        "3_7d": 0,
        "7_30d": 0,
        "gt_30d": 0,
    }


async def test_created_vs_resolved_of_a_requester(desk):
    answer = await get_json(desk.requester, "/api/analytics/created-vs-resolved", days=30)
    assert [p["created"] for p in answer["points"]][-2:] == [1, 1]  # t2 yesterday, t1 today
    assert sum(p["created"] for p in answer["points"]) == 2  # t5 is older than the window
    assert sum(p["resolved"] for p in answer["points"]) == 0


async def test_a_guest_sees_only_empty_figures(desk, client_as):
    guest = await client_as("guest")
    for endpoint in ENDPOINTS:
        answer = await get_json(guest, f"/api/analytics/{endpoint}")
        assert figure(endpoint, answer) == 0, endpoint


ROWS = [
    Endpoint("GET", f"/api/analytics/{endpoint}", expect(admin=200, agent=200, user=200, guest=200))
    for endpoint in ENDPOINTS
]


@pytest.mark.parametrize(("role", "endpoint", "status"), cells(ROWS))
async def test_role_matrix(role, endpoint, status, client, client_as):
    http = await client_for(role, client, client_as)
    assert (await endpoint.call(http)).status_code == status


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"filter": "{not json"}, 400),
        ({"filter": "[1, 2]"}, 400),
        ({"filter": '{"status": ["bogus"]}'}, 422),
        ({"filter": '{"colour": "red"}'}, 422),
        ({"filter": "x" * 10_001}, 422),
    ],
)
async def test_a_bad_filter_is_a_clear_4xx(as_agent, endpoint, params, status):
    response = await as_agent.get(f"/api/analytics/{endpoint}", params=params)
    assert response.status_code == status, response.text
    assert response.json()["detail"]


@pytest.mark.parametrize("endpoint", ["created-vs-resolved", "backlog", "kpis"])
@pytest.mark.parametrize("days", ["0", "367", "week"])
async def test_a_bad_day_count_is_422(as_agent, endpoint, days):
    response = await as_agent.get(f"/api/analytics/{endpoint}", params={"days": days})
    assert response.status_code == 422


@pytest.mark.parametrize("limit", ["0", "101", "many"])
async def test_a_bad_activity_limit_is_422(as_agent, limit):
    response = await as_agent.get("/api/analytics/activity", params={"limit": limit})
    assert response.status_code == 422
