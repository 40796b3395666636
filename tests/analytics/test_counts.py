"""By status, by priority, workload and ageing against the hand-counted desk."""

from tests.analytics.helpers import get_json


def _counts(answer):
    return {segment["key"]: segment["count"] for segment in answer["segments"]}


async def test_by_status_counts_every_status_for_staff(desk):
    answer = await get_json(desk.agent, "/api/analytics/by-status")
    assert _counts(answer) == {"new": 1, "open": 2, "pending": 1, "resolved": 1, "closed": 1}
    assert answer["total"] == 6
    open_segment = answer["segments"][1]
    assert open_segment["filter"] == {"status": ["open"]}


async def test_by_status_of_a_requester_counts_only_their_tickets(desk):
    answer = await get_json(desk.requester, "/api/analytics/by-status")
    assert _counts(answer) == {"new": 1, "open": 1, "pending": 0, "resolved": 0, "closed": 1}


async def test_by_status_under_a_filter_lists_only_the_filtered_statuses(desk):
    answer = await get_json(
        desk.agent,
        "/api/analytics/by-status",
        filter={"status": ["pending", "open"], "priority": ["normal"]},
    )
    assert _counts(answer) == {"open": 1, "pending": 1}
    assert answer["segments"][0]["filter"] == {"status": ["open"], "priority": ["normal"]}


async def test_by_priority(desk):
    answer = await get_json(desk.agent, "/api/analytics/by-priority")
    assert _counts(answer) == {"low": 1, "normal": 3, "high": 1, "urgent": 1}
    mine = await get_json(desk.requester, "/api/analytics/by-priority")
    assert _counts(mine) == {"low": 0, "normal": 1, "high": 1, "urgent": 1}


async def test_workload_lists_every_agent_even_without_tickets(desk):
    answer = await get_json(desk.agent, "/api/analytics/workload")
    rows = [(row["agent"] and row["agent"]["id"], row["count"]) for row in answer["rows"]]
    assert rows == [(desk.agent.user.id, 2), (desk.other_agent_id, 0), (None, 2)]
    assert answer["total"] == 4
    assert answer["rows"][0]["filter"] == {
        "status": ["new", "open", "pending"],
        "assignee_id": [desk.agent.user.id],
    }
    assert answer["rows"][-1]["filter"]["assignee_id"] == ["none"]


async def test_workload_of_a_requester_names_only_who_works_their_tickets(desk):
    answer = await get_json(desk.requester, "/api/analytics/workload")
    rows = [(row["agent"] and row["agent"]["id"], row["count"]) for row in answer["rows"]]
    assert rows == [(desk.agent.user.id, 1), (None, 1)]


async def test_workload_under_an_assignee_filter_shows_only_those_people(desk):
    answer = await get_json(
        desk.agent, "/api/analytics/workload", filter={"assignee_id": ["me", "none"]}
    )
    rows = [(row["agent"] and row["agent"]["id"], row["count"]) for row in answer["rows"]]
    assert rows == [(desk.agent.user.id, 2), (None, 2)]


async def test_workload_of_closed_statuses_only_is_empty_without_drill_down(desk):
    answer = await get_json(desk.agent, "/api/analytics/workload", filter={"status": ["closed"]})
    assert answer["total"] == 0
    assert all(row["filter"] is None for row in answer["rows"])


async def test_ageing_bands_open_tickets_by_days_since_creation(desk):
    answer = await get_json(desk.agent, "/api/analytics/ageing")
    assert {band["key"]: band["count"] for band in answer["bands"]} == {
        "lt_1d": 1,
        "1_3d": 1,
        "3_7d": 1,
        "7_30d": 0,
        "gt_30d": 1,
    }
    today = desk.today.date()
    assert answer["bands"][0]["filter"] == {
        "status": ["new", "open", "pending"],
        "created": {"from": today.isoformat()},
    }
