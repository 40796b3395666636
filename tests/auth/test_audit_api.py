"""GET /api/audit: newest first, filters, keyset paging by (at, id)."""

from datetime import timedelta

import pytest

from deskboard.audit.service import record
from deskboard.core.cursor import encode_cursor
from deskboard.core.time import utcnow


async def add_entries(database, entries: list[dict]) -> None:
    async with database.unit_of_work() as session:
        for entry in entries:
            at = entry.pop("at", None)
            made = record(session, **entry)
            if at is not None:
                made.at = at


async def test_lists_entries_newest_first_with_the_actor_name(as_admin, database):
    now = utcnow()
    await add_entries(
        database,
        [
            {
                "actor_id": as_admin.user.id,
                "action": "ticket.updated",
                "entity_type": "ticket",
                "entity_id": 1,
                "before": {"status": "new"},
                "after": {"status": "open"},
                "at": now - timedelta(minutes=5),
            },
            {
                "actor_id": None,
                "action": "layout.updated",
                "entity_type": "layout",
                "entity_id": 7,
                "at": now,
            },
        ],
    )

    response = await as_admin.get("/api/audit")

    assert response.status_code == 200
    items = response.json()["items"]
    assert [i["action"] for i in items] == ["layout.updated", "ticket.updated"]
    assert items[0]["actor_name"] is None
    assert items[1]["actor_name"] == as_admin.user.name
    assert items[1]["before"] == {"status": "new"}
    assert items[1]["after"] == {"status": "open"}
    assert items[1]["entity_id"] == "1"
    assert response.json()["next_cursor"] is None


async def test_filters_by_entity_and_actor(as_admin, make_user, database):
    other = await make_user("agent")
    await add_entries(
        database,
        [
            {"actor_id": as_admin.user.id, "action": "a", "entity_type": "ticket", "entity_id": 1},
            {"actor_id": other.id, "action": "b", "entity_type": "ticket", "entity_id": 2},
            {"actor_id": other.id, "action": "c", "entity_type": "layout", "entity_id": 2},
        ],
    )

    async def actions(**params):
        response = await as_admin.get("/api/audit", params=params)
        assert response.status_code == 200
        return sorted(i["action"] for i in response.json()["items"])

    assert await actions(entity_type="ticket") == ["a", "b"]
    assert await actions(entity_type="ticket", entity_id="2") == ["b"]
    assert await actions(actor_id=other.id) == ["b", "c"]
    assert await actions(entity_type="user") == []


async def test_pages_cover_every_entry_once_even_with_equal_timestamps(as_admin, database):
    same_moment = utcnow()
    await add_entries(
        database,
        [
            {
                "actor_id": None,
                "action": f"e{i}",
                "entity_type": "ticket",
                "entity_id": i,
                "at": same_moment if i % 2 else same_moment - timedelta(seconds=i),
            }
            for i in range(7)
        ],
    )

    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        body = (await as_admin.get("/api/audit", params=params)).json()
        seen.extend(i["id"] for i in body["items"])
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break

    assert pages == 3
    assert len(seen) == len(set(seen)) == 7
    full = (await as_admin.get("/api/audit", params={"limit": 50})).json()["items"]
    assert seen == [i["id"] for i in full]
    keys = [(i["at"], i["id"]) for i in full]
    assert keys == sorted(keys, reverse=True)


@pytest.mark.parametrize(
    "cursor",
    [
        "e30",  # {} — valid base64 JSON of the wrong shape
        encode_cursor(1),  # one value where two are expected
        encode_cursor("yesterday", 1),
        encode_cursor("2026-11-25T12:00:00", 1),  # no time zone
        encode_cursor("2026-11-25T12:00:00+00:00", "1"),
    ],
)
async def test_a_malformed_cursor_is_a_clear_400(as_admin, cursor):
    response = await as_admin.get("/api/audit", params={"cursor": cursor})

    assert response.status_code == 400
    assert "cursor" in response.json()["detail"].lower()


async def test_a_cursor_outside_the_base64url_alphabet_is_a_422_naming_it(as_admin):
    response = await as_admin.get("/api/audit", params={"cursor": "not-base64!"})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "cursor"]


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 201}, {"limit": "many"}, {"actor_id": "me"}, {"actor_id": 2**40}],
)
async def test_bad_query_parameters_are_422(as_admin, params):
    assert (await as_admin.get("/api/audit", params=params)).status_code == 422
