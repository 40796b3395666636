"""GET /api/notifications, mark one read, mark all read: one's own feed, and only one's own."""

import pytest

from deskboard.core.cursor import encode_cursor
from deskboard.db import Database
from deskboard.notifications.models import Notification
from tests.matrix import Endpoint, cells, client_for, expect
from tests.notifications.conftest import feed


@pytest.fixture
def notify(database: Database):
    """Store `count` notifications for a person straight in the database; return their ids."""

    async def insert(recipient_id: int, count: int = 1, kind: str = "reply") -> list[int]:
        async with database.unit_of_work() as session:
            rows = [
                Notification(recipient_id=recipient_id, kind=kind, title=f"n{i}", summary="")
                for i in range(count)
            ]
            session.add_all(rows)
            await session.flush()
            return [row.id for row in rows]

    return insert


async def test_the_feed_is_newest_first_with_the_unread_count(as_agent, notify):
    ids = await notify(as_agent.user.id, 3)
    page = await feed(as_agent)
    assert [item["id"] for item in page["items"]] == ids[::-1]
    assert page["unread_count"] == 3
    assert page["next_cursor"] is None
    assert set(page["items"][0]) == {
        "id",
        "kind",
        "ticket_id",
        "actor_id",
        "title",
        "summary",
        "read_at",
        "created_at",
    }


async def test_paging_by_cursor_visits_every_notification_once(as_agent, notify):
    ids = await notify(as_agent.user.id, 7)
    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = await feed(as_agent, **params)
        pages += 1
        assert page["unread_count"] == 7  # the whole feed's count, on every page
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ids[::-1]
    assert pages == 3


async def test_an_exact_last_page_has_no_next_cursor(as_agent, notify):
    await notify(as_agent.user.id, 4)
    first = await feed(as_agent, limit=2)
    second = await feed(as_agent, limit=2, cursor=first["next_cursor"])
    assert len(second["items"]) == 2
    assert second["next_cursor"] is None


async def test_a_person_never_sees_anothers_notifications(as_agent, as_user, notify):
    await notify(as_agent.user.id, 2)
    mine = await notify(as_user.user.id, 1)
    page = await feed(as_user)
    assert [item["id"] for item in page["items"]] == mine
    assert page["unread_count"] == 1


async def test_marking_one_read(as_user, notify):
    first, second = await notify(as_user.user.id, 2)
    response = await as_user.post(f"/api/notifications/{first}/read")
    assert response.status_code == 200
    read_at = response.json()["read_at"]
    assert read_at is not None
    page = await feed(as_user)
    assert page["unread_count"] == 1
    assert {item["id"]: item["read_at"] for item in page["items"]} == {
        second: None,
        first: read_at,
    }
    # Again: no change, the first read time stays.
    again = await as_user.post(f"/api/notifications/{first}/read")
    assert again.status_code == 200 and again.json()["read_at"] == read_at


async def test_the_unread_filter(as_user, notify):
    first, second, third = await notify(as_user.user.id, 3)
    await as_user.post(f"/api/notifications/{second}/read")
    unread = await feed(as_user, unread="true")
    assert [item["id"] for item in unread["items"]] == [third, first]
    read = await feed(as_user, unread="false")
    assert [item["id"] for item in read["items"]] == [second]
    assert unread["unread_count"] == read["unread_count"] == 2


async def test_marking_anothers_notification_is_404_and_changes_nothing(as_agent, as_user, notify):
    (theirs,) = await notify(as_agent.user.id)
    response = await as_user.post(f"/api/notifications/{theirs}/read")
    assert response.status_code == 404
    assert response.json()["detail"] == f"No notification {theirs}"
    assert (await feed(as_agent))["unread_count"] == 1


async def test_an_unknown_notification_is_404(as_user):
    assert (await as_user.post("/api/notifications/999999/read")).status_code == 404


async def test_mark_all_read_marks_only_mine(as_agent, as_user, notify):
    await notify(as_user.user.id, 3)
    await notify(as_agent.user.id, 2)
    (already,) = await notify(as_user.user.id)
    await as_user.post(f"/api/notifications/{already}/read")

    response = await as_user.post("/api/notifications/read-all")
    assert response.status_code == 200
    assert response.json() == {"marked": 3, "unread_count": 0}
    page = await feed(as_user)
    assert page["unread_count"] == 0
    assert all(item["read_at"] is not None for item in page["items"])
    assert (await feed(as_agent))["unread_count"] == 2
    # Nothing left to mark.
    assert (await as_user.post("/api/notifications/read-all")).json()["marked"] == 0


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/notifications?cursor=not-a-cursor", 400),
        ("GET", "/api/notifications?cursor=" + encode_cursor("a"), 400),
        ("GET", "/api/notifications?cursor=" + encode_cursor(1, 2), 400),
        ("GET", "/api/notifications?cursor=" + encode_cursor(2**40), 400),
        ("GET", "/api/notifications?cursor=" + encode_cursor(-1), 400),
        ("GET", "/api/notifications?cursor=" + "A" * 513, 422),
        ("GET", "/api/notifications?limit=0", 422),
        ("GET", "/api/notifications?limit=101", 422),
        ("GET", "/api/notifications?limit=ten", 422),
        ("GET", "/api/notifications?unread=maybe", 422),
        ("POST", "/api/notifications/0/read", 422),
        ("POST", "/api/notifications/abc/read", 422),
        ("POST", "/api/notifications/99999999999/read", 422),
        ("GET", "/api/notifications/1/read", 405),  # exists for POST only
    ],
)
async def test_bad_input_is_a_clear_4xx(as_user, method, path, status):
    response = await as_user.request(method, path)
    assert response.status_code == status, response.text
    assert response.json()["detail"]


async def test_a_malformed_cursor_says_what_to_do(as_user):
    response = await as_user.get("/api/notifications", params={"cursor": "garbage"})
    assert "next_cursor" in response.json()["detail"]


ROWS = [
    Endpoint("GET", "/api/notifications", expect(admin=200, agent=200, user=200, guest=200)),
    # A guest is read-only: even marking read is refused (DESIGN.md roles).
    Endpoint(
        "POST", "/api/notifications/read-all", expect(admin=200, agent=200, user=200, guest=403)
    ),
    Endpoint(
        "POST", "/api/notifications/999/read", expect(admin=404, agent=404, user=404, guest=403)
    ),
]


@pytest.mark.parametrize(("role", "endpoint", "status"), cells(ROWS))
async def test_role_matrix(role, endpoint, status, client, client_as):
    http = await client_for(role, client, client_as)
    assert (await endpoint.call(http)).status_code == status


async def test_a_guest_reads_their_feed_but_cannot_mark_it(client_as, notify):
    guest = await client_as("guest")
    (own,) = await notify(guest.user.id)
    assert (await feed(guest))["unread_count"] == 1
    assert (await guest.post(f"/api/notifications/{own}/read")).status_code == 403
    assert (await feed(guest))["unread_count"] == 1
