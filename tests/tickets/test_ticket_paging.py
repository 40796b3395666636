"""Sorting and keyset paging: every page in order, no duplicates, no gaps; bad cursors 400."""

import random
from datetime import UTC, datetime, timedelta

import pytest

from deskboard.core.cursor import encode_cursor

PRIORITY_RANK = {"low": 0, "normal": 1, "high": 2, "urgent": 3}
NO_DUE = datetime(9999, 12, 31, tzinfo=UTC)


@pytest.fixture
async def many(as_agent, make_ticket, set_ticket_fields):
    """23 tickets with many ties in every sort key, so the id tie-break matters."""
    rng = random.Random(7)
    base = datetime(2026, 11, 1, tzinfo=UTC)
    tickets = []
    for index in range(23):
        ticket = await make_ticket(
            as_agent, title=f"Ticket {index}", priority=rng.choice(list(PRIORITY_RANK))
        )
        due = None if index % 4 == 0 else base + timedelta(days=rng.randint(0, 3))
        stamp = base + timedelta(hours=rng.randint(0, 5))
        await set_ticket_fields(ticket["id"], created_at=stamp, updated_at=stamp, due_at=due)
        tickets.append(ticket["id"])
    return tickets


async def _walk(http, sort, limit):
    seen, cursor, pages = [], None, 0
    while True:
        params = {"sort": sort, "limit": limit}
        if cursor:
            params["cursor"] = cursor
        response = await http.get("/api/tickets", params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        assert len(body["items"]) <= limit
        seen.extend(body["items"])
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return seen, pages


def _key(item, field):
    if field == "priority":
        return PRIORITY_RANK[item["priority"]]
    if field == "due_at":
        return datetime.fromisoformat(item["due_at"]) if item["due_at"] else NO_DUE
    if field == "number":
        return item["number"]
    return datetime.fromisoformat(item[field])


@pytest.mark.parametrize("field", ["updated_at", "created_at", "priority", "due_at", "number"])
@pytest.mark.parametrize("descending", [False, True])
async def test_paging_walks_every_row_once_in_order(field, descending, as_agent, many):
    sort = f"-{field}" if descending else field
    items, pages = await _walk(as_agent, sort, limit=5)
    ids = [item["id"] for item in items]
    assert sorted(ids) == sorted(many)  # no gaps
    assert len(ids) == len(set(ids))  # no duplicates
    assert pages == 5
    keys = [(_key(item, field), item["id"]) for item in items]
    assert keys == sorted(keys, reverse=descending)


async def test_default_sort_is_newest_update_first(as_agent, many):
    items = (await as_agent.get("/api/tickets")).json()["items"]
    stamps = [(item["updated_at"], item["id"]) for item in items]
    assert stamps == sorted(stamps, reverse=True)


async def test_last_page_has_no_cursor_and_exact_fit(as_agent, many):
    _, pages = await _walk(as_agent, "-updated_at", limit=23)
    assert pages == 1
    response = await as_agent.get("/api/tickets", params={"limit": 200})
    assert response.json()["next_cursor"] is None


async def test_paging_with_a_filter_and_rows_added_meanwhile(as_agent, many, make_ticket):
    first = (await as_agent.get("/api/tickets", params={"limit": 10, "sort": "number"})).json()
    await make_ticket(as_agent)  # a newer ticket appears at the end of number order
    rest, _ = await _walk_from(as_agent, "number", 10, first["next_cursor"])
    ids = [i["id"] for i in first["items"]] + [i["id"] for i in rest]
    assert len(ids) == len(set(ids)) == len(many) + 1


async def _walk_from(http, sort, limit, cursor):
    seen, pages = [], 0
    while cursor:
        body = (
            await http.get("/api/tickets", params={"sort": sort, "limit": limit, "cursor": cursor})
        ).json()
        seen.extend(body["items"])
        cursor = body["next_cursor"]
        pages += 1
    return seen, pages


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        "%%%",
        "e30",  # {} as base64
        encode_cursor("-updated_at", "yesterday", 1),
        encode_cursor("-updated_at", "2026-11-01T00:00:00", 1),  # no time zone
        encode_cursor("-updated_at", "2026-11-01T00:00:00+00:00"),
        encode_cursor("-updated_at", "2026-11-01T00:00:00+00:00", True),
        "A" * 600,
        encode_cursor("-updated_at", "0001-01-01T00:00:00+05:00", 1),
    ],
)
async def test_malformed_cursor_is_400(cursor, as_agent, many):
    response = await as_agent.get("/api/tickets", params={"cursor": cursor})
    assert response.status_code in (400, 422)
    assert "cursor" in str(response.json()["detail"]).lower()


async def test_cursor_of_another_sort_is_400(as_agent, many):
    page = (await as_agent.get("/api/tickets", params={"limit": 5, "sort": "number"})).json()
    response = await as_agent.get(
        "/api/tickets", params={"sort": "-number", "cursor": page["next_cursor"]}
    )
    assert response.status_code == 400
    assert "sort" in response.json()["detail"]


async def test_cursor_with_out_of_range_id_is_400(as_agent, many):
    cursor = encode_cursor("number", 5, 2**40)
    response = await as_agent.get("/api/tickets", params={"sort": "number", "cursor": cursor})
    assert response.status_code == 400


@pytest.mark.parametrize("limit", ["0", "201", "-1", "ten"])
async def test_limit_out_of_bounds_is_422(limit, as_agent):
    response = await as_agent.get("/api/tickets", params={"limit": limit})
    assert response.status_code == 422


async def test_unknown_sort_is_422(as_agent):
    response = await as_agent.get("/api/tickets", params={"sort": "title"})
    assert response.status_code == 422
