"""The activity feed against the hand-counted desk, plus changes made through the API."""

from tests.analytics.helpers import get_json


def _rows(answer):
    return [(item["kind"], item["ticket"]["id"]) for item in answer["items"]]


async def test_activity_lists_tickets_filed_newest_first(desk):
    answer = await get_json(desk.agent, "/api/analytics/activity")
    ids = desk.ids
    assert _rows(answer) == [("created", ids[f"t{n}"]) for n in range(1, 7)]
    first = answer["items"][0]
    assert first["actor"]["id"] == desk.requester.user.id  # who filed it
    assert first["ticket"]["number"] == ids["t1"]


async def test_activity_of_a_requester_covers_only_their_tickets(desk):
    answer = await get_json(desk.requester, "/api/analytics/activity")
    ids = desk.ids
    assert _rows(answer) == [("created", ids["t1"]), ("created", ids["t2"]), ("created", ids["t5"])]


async def test_changes_replies_and_notes_with_notes_for_staff_only(desk):
    ids = desk.ids
    t2 = f"/api/tickets/{ids['t2']}"
    t3 = f"/api/tickets/{ids['t3']}"
    note = await desk.agent.post(f"{t2}/comments", json={"body": "VIP", "internal": True})
    assert note.status_code == 201
    reply = await desk.agent.post(f"{t2}/comments", json={"body": "Looking  into\nit"})
    assert reply.status_code == 201
    changed = await desk.agent.put(t3, json={"version": 1, "status": "open"})
    assert changed.status_code == 200, changed.text

    staff = await get_json(desk.agent, "/api/analytics/activity", limit=4)
    assert _rows(staff) == [
        ("changed", ids["t3"]),
        ("comment", ids["t2"]),
        ("note", ids["t2"]),
        ("created", ids["t1"]),
    ]
    change, comment, _, _ = staff["items"]
    assert (change["field"], change["from_value"], change["to_value"]) == (
        "status",
        "pending",
        "open",
    )
    assert change["actor"]["id"] == desk.agent.user.id
    assert comment["excerpt"] == "Looking into it"

    mine = await get_json(desk.requester, "/api/analytics/activity")
    assert _rows(mine) == [
        ("comment", ids["t2"]),
        ("created", ids["t1"]),
        ("created", ids["t2"]),
        ("created", ids["t5"]),
    ]


async def test_activity_under_a_filter_and_limit(desk):
    closed = await get_json(desk.agent, "/api/analytics/activity", filter={"status": ["closed"]})
    assert _rows(closed) == [("created", desk.ids["t5"])]
    two = await get_json(desk.agent, "/api/analytics/activity", limit=2)
    assert _rows(two) == [("created", desk.ids["t1"]), ("created", desk.ids["t2"])]
