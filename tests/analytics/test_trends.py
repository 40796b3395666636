"""Created vs resolved per day, the backlog and the KPIs against the hand-counted desk."""

from datetime import timedelta

from tests.analytics.helpers import get_json


def _series(answer, field):
    return {point["day"]: point[field] for point in answer["points"] if point[field]}


async def test_created_vs_resolved_per_day(desk):
    answer = await get_json(desk.agent, "/api/analytics/created-vs-resolved", days=30)
    assert len(answer["points"]) == 30
    today = desk.today.date()

    def day(offset):
        return (today - timedelta(days=offset)).isoformat()

    assert answer["points"][-1]["day"] == today.isoformat()
    assert _series(answer, "created") == {day(0): 1, day(1): 1, day(5): 1, day(10): 1}
    assert _series(answer, "resolved") == {day(2): 1}
    assert answer["points"][-2]["created_filter"] == {"created": {"from": day(1), "to": day(1)}}


async def test_created_vs_resolved_window_length_is_the_days_asked(desk):
    answer = await get_json(desk.agent, "/api/analytics/created-vs-resolved", days=3)
    assert [p["created"] for p in answer["points"]] == [0, 1, 1]
    assert [p["resolved"] for p in answer["points"]] == [1, 0, 0]


async def test_backlog_is_open_tickets_at_the_end_of_each_day(desk):
    answer = await get_json(desk.agent, "/api/analytics/backlog", days=30)
    opened = [point["open"] for point in answer["points"]]
    # t6 is open throughout; t4 arrives day -10 and is resolved day -2; t3 day -5; t2 day -1;
    # t1 today.
    expected = [1] * 19 + [2] * 5 + [3] * 3 + [2] + [3] + [4]
    assert opened == expected
    status = await get_json(desk.agent, "/api/analytics/by-status")
    open_statuses = {"new", "open", "pending"}
    still_open = sum(s["count"] for s in status["segments"] if s["key"] in open_statuses)
    assert opened[-1] == still_open


async def test_backlog_of_a_requester(desk):
    answer = await get_json(desk.requester, "/api/analytics/backlog", days=3)
    # U1 owns t1 (today), t2 (yesterday), t5 (closed long ago).
    assert [point["open"] for point in answer["points"]] == [0, 1, 2]


async def test_kpis_with_previous_period(desk):
    answer = await get_json(desk.agent, "/api/analytics/kpis", days=30)
    assert answer["open"] == {
        "value": 4,
        "previous": 1,
        "change": 3,
        "change_pct": 300.0,
        "filter": {"status": ["new", "open", "pending"]},
    }
    assert answer["unassigned"]["value"] == 2
    assert answer["unassigned"]["previous"] is None
    assert answer["unassigned"]["filter"] == {
        "status": ["new", "open", "pending"],
        "assignee_id": ["none"],
    }
    assert answer["overdue"]["value"] == 2
    assert answer["overdue"]["previous"] == 0
    assert answer["overdue"]["change_pct"] is None
    # First response: t2 30 min, t4 1 h, t3 2 h -> 1 h; before: t5 4 h, t6 2 h -> 3 h.
    assert answer["median_first_response_seconds"]["value"] == 3600
    assert answer["median_first_response_seconds"]["previous"] == 10800
    assert answer["median_first_response_seconds"]["change"] == -7200
    # Resolution: t4 8 days; before: t5 5 days.
    assert answer["median_resolution_seconds"]["value"] == 8 * 86400
    assert answer["median_resolution_seconds"]["previous"] == 5 * 86400


async def test_kpis_of_a_requester_count_only_their_tickets(desk):
    answer = await get_json(desk.requester, "/api/analytics/kpis", days=30)
    assert answer["open"]["value"] == 2  # t1, t2
    assert answer["overdue"]["value"] == 1  # t1
    assert answer["median_first_response_seconds"]["value"] == 1800  # t2 only
    assert answer["median_resolution_seconds"]["value"] is None
    assert answer["median_resolution_seconds"]["change"] is None


async def test_kpis_median_of_an_even_count_is_the_mean_of_the_middle_two(desk, insert_ticket):
    created = desk.now - timedelta(days=1)
    await insert_ticket(
        requester_id=desk.other_requester_id,
        created_at=created,
        first_response_at=created + timedelta(hours=5),
    )
    answer = await get_json(desk.agent, "/api/analytics/kpis", days=30)
    # 30 min, 1 h, 2 h, 5 h -> (1 h + 2 h) / 2
    assert answer["median_first_response_seconds"]["value"] == 5400
