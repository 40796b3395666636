"""The list's filters: each field, person references, tags, full text, dates, overdue, JSON."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from deskboard.tickets.listing import TicketItemData, TicketPageData
from deskboard.tickets.schemas import TicketPage, TicketRead


def _ids(response):
    assert response.status_code == 200, response.text
    return sorted(item["id"] for item in response.json()["items"])


@pytest.fixture
async def desk(as_agent, client_as, make_ticket, set_ticket_fields):
    """A small help desk: two requesters, two agents, tickets in several states."""
    alice = await client_as("user")
    bob = await client_as("user")
    other_agent = await client_as("agent")
    t = {}
    t["printer"] = await make_ticket(
        as_agent,
        requester_id=alice.user.id,
        title="Printer jams on floor three",
        description="Paper keeps crumpling in tray two",
        priority="high",
        tags=["hardware", "vip"],
        assignee_id=as_agent.user.id,
    )
    t["vpn"] = await make_ticket(
        as_agent,
        requester_id=bob.user.id,
        title="VPN drops every hour",
        description="The tunnel disconnects while uploading",
        priority="urgent",
        tags=["network"],
        assignee_id=other_agent.user.id,
    )
    t["laptop"] = await make_ticket(
        as_agent,
        requester_id=alice.user.id,
        title="New laptop request",
        description="Onboarding for a designer",
        priority="low",
    )
    t["email"] = await make_ticket(
        as_agent,
        requester_id=bob.user.id,
        title="Email quota exceeded",
        description="Mailbox full, cannot receive printouts",
        tags=["vip"],
    )
    await set_ticket_fields(t["printer"]["id"], status="open")
    await set_ticket_fields(t["vpn"]["id"], status="pending")
    await set_ticket_fields(t["email"]["id"], status="resolved")
    ids = {name: ticket["id"] for name, ticket in t.items()}
    return {"ids": ids, "alice": alice, "bob": bob, "other_agent": other_agent}


async def test_no_filter_lists_everything_for_staff(as_agent, desk):
    assert _ids(await as_agent.get("/api/tickets")) == sorted(desk["ids"].values())


async def test_the_page_is_exactly_ticket_page_json(as_agent, desk, set_ticket_fields):
    """The list serialises its rows without building TicketRead models: the bytes must be what
    TicketPage itself would give (fields, order, timestamps, nulls, people, tags, cursor)."""
    due = datetime(2020, 1, 2, 3, 4, 5, 678, tzinfo=UTC)
    await set_ticket_fields(desk["ids"]["printer"], due_at=due)
    response = await as_agent.get("/api/tickets?limit=3&sort=-priority")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    page = TicketPage.model_validate_json(response.content)
    assert page.next_cursor is not None
    assert response.content == page.model_dump_json().encode()
    assert list(TicketItemData.__annotations__) == list(TicketRead.model_fields)
    assert list(TicketPageData.__annotations__) == list(TicketPage.model_fields)


async def test_a_role_change_decides_the_very_next_page(as_admin, desk, database):
    """The same query right after a promotion and a demotion (a page's SQL depends on the role);
    the token of the old role is refused, the refreshed one carries the new role."""
    ids, alice = desk["ids"], desk["alice"]
    own = sorted([ids["printer"], ids["laptop"]])
    assert _ids(await alice.get("/api/tickets?sort=-updated_at")) == own
    promoted = await as_admin.patch(f"/api/users/{alice.user.id}", json={"role": "agent"})
    assert promoted.status_code == 200, promoted.text
    assert (await alice.get("/api/tickets?sort=-updated_at")).status_code == 401
    await alice.refresh_token(database)
    assert _ids(await alice.get("/api/tickets?sort=-updated_at")) == sorted(ids.values())
    demoted = await as_admin.patch(f"/api/users/{alice.user.id}", json={"role": "user"})
    assert demoted.status_code == 200, demoted.text
    await alice.refresh_token(database)
    assert _ids(await alice.get("/api/tickets?sort=-updated_at")) == own


async def test_requesters_see_only_their_own_tickets(desk):
    ids = desk["ids"]
    assert _ids(await desk["alice"].get("/api/tickets")) == sorted([ids["printer"], ids["laptop"]])
    bob_filtering_for_alice = await desk["bob"].get(
        f"/api/tickets?requester_id={desk['alice'].user.id}"
    )
    assert _ids(bob_filtering_for_alice) == []


async def test_guest_sees_only_tickets_they_requested(as_guest, as_agent, make_ticket, desk):
    own = await make_ticket(as_agent, requester_id=as_guest.user.id)
    assert _ids(await as_guest.get("/api/tickets")) == [own["id"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=open", ["printer"]),
        ("status=open,pending", ["printer", "vpn"]),
        ("status=open&status=resolved", ["printer", "email"]),
        ("priority=urgent", ["vpn"]),
        ("priority=low,high", ["printer", "laptop"]),
        ("tag=vip", ["printer", "email"]),
        ("tag=VIP,network", ["printer", "vpn", "email"]),
        ("assignee_id=none", ["laptop", "email"]),
        ("q=printer", ["printer"]),
        ("q=tunnel uploading", ["vpn"]),
        ("q=paper crumpling", ["printer"]),
        ("q=printer vpn", []),
        ("q=%21%21%21", ["printer", "vpn", "laptop", "email"]),
        ("status=open&tag=network", []),
    ],
)
async def test_simple_filters(query, expected, as_agent, desk):
    ids = desk["ids"]
    assert _ids(await as_agent.get(f"/api/tickets?{query}")) == sorted(ids[n] for n in expected)


async def test_full_text_sees_edits(as_agent, desk):
    ticket_id = desk["ids"]["laptop"]
    await as_agent.put(
        f"/api/tickets/{ticket_id}", json={"version": 1, "description": "needs a monitor too"}
    )
    assert _ids(await as_agent.get("/api/tickets?q=monitor")) == [ticket_id]
    assert _ids(await as_agent.get("/api/tickets?q=designer")) == []


async def test_assignee_me_and_explicit_ids(as_agent, desk):
    ids = desk["ids"]
    assert _ids(await as_agent.get("/api/tickets?assignee_id=me")) == [ids["printer"]]
    other = desk["other_agent"].user.id
    assert _ids(await as_agent.get(f"/api/tickets?assignee_id=me,{other}")) == sorted(
        [ids["printer"], ids["vpn"]]
    )
    assert _ids(await as_agent.get(f"/api/tickets?assignee_id=none&assignee_id={other}")) == sorted(
        [ids["vpn"], ids["laptop"], ids["email"]]
    )


async def test_requester_me_and_ids(as_agent, desk):
    ids = desk["ids"]
    assert _ids(await desk["bob"].get("/api/tickets?requester_id=me")) == sorted(
        [ids["vpn"], ids["email"]]
    )
    alice = desk["alice"].user.id
    assert _ids(await as_agent.get(f"/api/tickets?requester_id={alice}")) == sorted(
        [ids["printer"], ids["laptop"]]
    )
    assert _ids(await as_agent.get("/api/tickets?requester_id=none")) == []


async def test_created_range_is_inclusive_by_day(as_agent, desk, set_ticket_fields):
    ids = desk["ids"]
    await set_ticket_fields(ids["printer"], created_at=datetime(2026, 11, 1, 23, 59, tzinfo=UTC))
    await set_ticket_fields(ids["vpn"], created_at=datetime(2026, 11, 2, 0, 0, tzinfo=UTC))
    await set_ticket_fields(ids["laptop"], created_at=datetime(2026, 11, 10, 12, 0, tzinfo=UTC))
    await set_ticket_fields(ids["email"], created_at=datetime(2026, 10, 31, 12, 0, tzinfo=UTC))
    query = "created_from=2026-11-01&created_to=2026-11-02"
    assert _ids(await as_agent.get(f"/api/tickets?{query}")) == sorted([ids["printer"], ids["vpn"]])
    as_json = json.dumps({"created": {"from": "2026-11-02", "to": None}})
    assert _ids(await as_agent.get("/api/tickets", params={"filter": as_json})) == sorted(
        [ids["vpn"], ids["laptop"]]
    )


async def test_overdue_means_past_due_and_still_open(as_agent, desk, set_ticket_fields):
    ids = desk["ids"]
    past = datetime.now(UTC) - timedelta(hours=1)
    future = datetime.now(UTC) + timedelta(days=1)
    await set_ticket_fields(ids["printer"], due_at=past)  # open: overdue
    await set_ticket_fields(ids["email"], due_at=past)  # resolved: not overdue
    await set_ticket_fields(ids["vpn"], due_at=future)
    assert _ids(await as_agent.get("/api/tickets?overdue=true")) == [ids["printer"]]
    assert _ids(await as_agent.get("/api/tickets?overdue=false")) == sorted(
        [ids["vpn"], ids["laptop"], ids["email"]]
    )
    printer = (await as_agent.get(f"/api/tickets/{ids['printer']}")).json()
    assert printer["overdue"] is True


async def test_json_filter_merges_with_simple_parameters(as_agent, desk):
    ids = desk["ids"]
    document = json.dumps({"status": ["open", "pending", "resolved"], "tag": ["vip"]})
    assert _ids(await as_agent.get("/api/tickets", params={"filter": document})) == sorted(
        [ids["printer"], ids["email"]]
    )
    narrowed = await as_agent.get("/api/tickets", params={"filter": document, "status": "open"})
    assert _ids(narrowed) == [ids["printer"]]


async def test_json_filter_with_every_field(as_agent, desk):
    document = {
        "status": ["open"],
        "priority": ["high"],
        "assignee_id": ["me"],
        "requester_id": [desk["alice"].user.id],
        "tag": ["hardware"],
        "q": "printer",
        "created": {"from": "2000-01-01", "to": None},
        "overdue": False,
    }
    response = await as_agent.get("/api/tickets", params={"filter": json.dumps(document)})
    assert _ids(response) == [desk["ids"]["printer"]]


async def test_apply_ticket_filter_counts_what_the_list_shows(as_agent, desk, database):
    """Analytics reuse apply_ticket_filter: a count through it equals the list's rows."""
    from sqlalchemy import func, select

    from deskboard.tickets.filters import TicketFilter
    from deskboard.tickets.models import Ticket
    from deskboard.tickets.querying import apply_ticket_filter

    ticket_filter = TicketFilter(tag=["vip"], status=["open", "resolved"])
    for viewer in (as_agent.user, desk["alice"].user):
        stmt = apply_ticket_filter(
            select(func.count()).select_from(Ticket), ticket_filter, viewer=viewer
        )
        async with database.sessionmaker() as session:
            count = (await session.execute(stmt)).scalar_one()
        listed = await as_agent.get(
            "/api/tickets",
            params={"tag": "vip", "status": "open,resolved"},
            headers=(await _headers_for(viewer)),
        )
        assert count == len(listed.json()["items"])


async def _headers_for(user):
    from tests.conftest import auth_headers

    return auth_headers(user)
