"""The ticket heat map example (plugins/heatmap): counts per weekday x hour under the reader's
filter and visibility, and the drill-down to one cell's tickets."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from deskboard.db import Database
from deskboard.plugins.discovery import get_plugins
from tests.analytics.conftest import InsertTicket, insert_ticket  # noqa: F401
from tests.conftest import RoleClient
from tests.plugins.conftest import enable

# A Tuesday 14:xx UTC two weeks back, and a Friday 09:xx last week (all within 28 days).
TODAY = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
TUESDAY_14 = (
    TODAY - timedelta(days=14 + (TODAY.weekday() - 1) % 7) + timedelta(hours=14 - TODAY.hour)
)
# Sunday 03:xx about 60 days back: outside 28 days, and never one of the cells above.
SUNDAY_3_OLD = (
    TODAY - timedelta(days=56 + (TODAY.weekday() - 6) % 7) + timedelta(hours=3 - TODAY.hour)
)
FRIDAY_9 = TODAY - timedelta(days=7 + (TODAY.weekday() - 4) % 7) + timedelta(hours=9 - TODAY.hour)


@pytest.fixture
async def enabled(database: Database) -> None:
    await enable(database, "heatmap")


def test_the_example_is_installed_and_asks_for_the_iframe():
    record = get_plugins().records["heatmap"]
    assert record.status == "ok" and record.plugin is not None and record.plugin.iframe is True


async def _cells(http: RoleClient, **params: object) -> dict[tuple[int, int], int]:
    answer = await http.get("/api/plugins/heatmap/cells", params=params)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert len(body["cells"]) == 7 * 24 and body["tz"] == "UTC"
    return {(c["weekday"], c["hour"]): c["count"] for c in body["cells"] if c["count"]}


async def test_counts_per_weekday_and_hour_follow_the_filter_and_visibility(
    enabled: None,
    insert_ticket: InsertTicket,  # noqa: F811
    as_agent: RoleClient,
    as_user: RoleClient,
    as_guest: RoleClient,
):
    me, other = as_user.user.id, as_agent.user.id
    await insert_ticket(requester_id=me, created_at=TUESDAY_14 + timedelta(minutes=5))
    await insert_ticket(
        requester_id=me, created_at=TUESDAY_14 + timedelta(minutes=50), priority="high"
    )
    await insert_ticket(requester_id=other, created_at=FRIDAY_9 + timedelta(minutes=1))
    await insert_ticket(requester_id=other, created_at=SUNDAY_3_OLD)  # too old for 28 days
    assert await _cells(as_agent) == {(1, 14): 2, (4, 9): 1}
    assert await _cells(as_agent, days=90) == {
        (1, 14): 2,
        (4, 9): 1,
        (6, 3): 1,
    }
    assert await _cells(as_agent, filter=json.dumps({"priority": ["high"]})) == {(1, 14): 1}
    assert await _cells(as_user) == {(1, 14): 2}  # a user sees their own tickets only
    assert (await as_guest.get("/api/plugins/heatmap/cells")).status_code == 200


async def test_a_cell_drills_down_to_its_tickets(
    enabled: None,
    insert_ticket: InsertTicket,  # noqa: F811
    as_agent: RoleClient,
):
    first = await insert_ticket(requester_id=as_agent.user.id, created_at=TUESDAY_14)
    second = await insert_ticket(
        requester_id=as_agent.user.id, created_at=TUESDAY_14 + timedelta(minutes=30), title="Later"
    )
    await insert_ticket(requester_id=as_agent.user.id, created_at=FRIDAY_9)
    answer = await as_agent.get("/api/plugins/heatmap/tickets", params={"weekday": 1, "hour": 14})
    assert answer.status_code == 200
    body = answer.json()
    assert body["total"] == 2
    assert [t["id"] for t in body["items"]] == [second, first]
    assert body["items"][0]["title"] == "Later"


@pytest.mark.parametrize(
    "params",
    [
        {"weekday": 7, "hour": 1},
        {"weekday": 0, "hour": 24},
        {"weekday": -1, "hour": 0},
        {"hour": 0},
        {"weekday": 0, "hour": 0, "days": 6},
        {"weekday": 0, "hour": 0, "filter": "{not json"},
        {"weekday": 0, "hour": 0, "filter": '{"status": ["nope"]}'},
    ],
)
async def test_bad_parameters_are_4xx(enabled: None, as_agent: RoleClient, params: dict):
    answer = await as_agent.get("/api/plugins/heatmap/tickets", params=params)
    assert answer.status_code in (400, 422), answer.text


async def test_the_heat_map_is_404_while_disabled(as_agent: RoleClient):
    assert (await as_agent.get("/api/plugins/heatmap/cells")).status_code == 404
