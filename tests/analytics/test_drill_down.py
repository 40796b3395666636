"""Every figure's drill-down filter lists exactly as many tickets as the figure counts."""

import pytest

from tests.analytics.helpers import get_json, listed_ids

BASE_FILTERS = [
    {},
    {"status": ["open", "new", "resolved"]},
    {"priority": ["normal", "urgent"], "overdue": False},
    {"assignee_id": ["me", "none"]},
    {"created": {"from": "2000-01-01", "to": None}, "overdue": True},
]


def _figures(endpoint: str, answer: dict) -> list[tuple[int, dict | None]]:
    if endpoint in ("by-status", "by-priority"):
        return [(s["count"], s["filter"]) for s in answer["segments"]]
    if endpoint == "workload":
        return [(row["count"], row["filter"]) for row in answer["rows"]]
    if endpoint == "ageing":
        return [(band["count"], band["filter"]) for band in answer["bands"]]
    if endpoint == "created-vs-resolved":
        return [(point["created"], point["created_filter"]) for point in answer["points"]]
    return [
        (answer[name]["value"], answer[name]["filter"])
        for name in ("open", "unassigned", "overdue")
    ]


@pytest.mark.parametrize("base", BASE_FILTERS, ids=[str(f) for f in BASE_FILTERS])
@pytest.mark.parametrize("who", ["agent", "requester"])
async def test_each_segment_count_equals_the_rows_its_filter_lists(desk, who, base):
    http = desk.agent if who == "agent" else desk.requester
    checked = 0
    for endpoint in ("by-status", "by-priority", "workload", "ageing", "kpis"):
        answer = await get_json(http, f"/api/analytics/{endpoint}", filter=base)
        for count, drill in _figures(endpoint, answer):
            if drill is None:
                assert count == 0, (endpoint, base)
                continue
            assert count == len(await listed_ids(http, drill)), (endpoint, drill)
            checked += 1
    answer = await get_json(http, "/api/analytics/created-vs-resolved", filter=base, days=12)
    for count, drill in _figures("created-vs-resolved", answer):
        if count or drill is None:
            assert drill is None or count == len(await listed_ids(http, drill)), drill
    assert checked > 0


async def test_a_segment_total_equals_the_filtered_list(desk):
    base = {"priority": ["normal"]}
    answer = await get_json(desk.agent, "/api/analytics/by-status", filter=base)
    assert answer["total"] == len(await listed_ids(desk.agent, base)) == 3
