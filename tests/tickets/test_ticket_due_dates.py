"""Due dates from the per-priority policy, moved by a priority change; `overdue` flag = filter."""

from datetime import UTC, datetime, timedelta

import pytest

from deskboard.tickets.policy import RESPONSE_TIME


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def _put(http, ticket, **fields):
    current = (await http.get(f"/api/tickets/{ticket['id']}")).json()
    response = await http.put(
        f"/api/tickets/{ticket['id']}", json={"version": current["version"], **fields}
    )
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize(
    ("priority", "hours"), [("urgent", 4), ("high", 24), ("normal", 72), ("low", 168)]
)
async def test_a_new_ticket_is_due_by_its_prioritys_policy(as_user, make_ticket, priority, hours):
    ticket = await make_ticket(as_user, priority=priority)
    assert _at(ticket["due_at"]) - _at(ticket["created_at"]) == timedelta(hours=hours)
    assert RESPONSE_TIME[priority] == timedelta(hours=hours)
    assert ticket["overdue"] is False


async def test_a_ticket_without_a_priority_gets_the_normal_due_date(as_user, make_ticket):
    ticket = await make_ticket(as_user)
    assert _at(ticket["due_at"]) - _at(ticket["created_at"]) == RESPONSE_TIME["normal"]


async def test_a_due_date_set_by_staff_on_create_is_kept(as_agent, make_ticket):
    ticket = await make_ticket(as_agent, priority="urgent", due_at="2030-01-01T09:00:00Z")
    assert ticket["due_at"] == "2030-01-01T09:00:00Z"


async def test_a_priority_change_moves_the_policy_due_date(as_agent, as_user, make_ticket):
    ticket = await make_ticket(as_user, priority="low")
    created = _at(ticket["created_at"])
    raised = await _put(as_agent, ticket, priority="urgent")
    assert _at(raised["due_at"]) == created + RESPONSE_TIME["urgent"]
    lowered = await _put(as_agent, ticket, priority="normal")
    assert _at(lowered["due_at"]) == created + RESPONSE_TIME["normal"]
    history = (await as_agent.get(f"/api/tickets/{ticket['id']}/history")).json()
    due_changes = [(_at(h["from"]), _at(h["to"])) for h in history if h["field"] == "due_at"]
    assert due_changes == [
        (created + RESPONSE_TIME["low"], created + RESPONSE_TIME["urgent"]),
        (created + RESPONSE_TIME["urgent"], created + RESPONSE_TIME["normal"]),
    ]


async def test_a_hand_set_due_date_survives_a_priority_change(as_agent, as_user, make_ticket):
    ticket = await make_ticket(as_user)
    await _put(as_agent, ticket, due_at="2030-06-01T12:00:00Z")
    changed = await _put(as_agent, ticket, priority="urgent")
    assert changed["due_at"] == "2030-06-01T12:00:00Z"


async def test_a_cleared_due_date_stays_cleared(as_agent, as_user, make_ticket):
    ticket = await make_ticket(as_user)
    await _put(as_agent, ticket, due_at=None)
    assert (await _put(as_agent, ticket, priority="high"))["due_at"] is None


async def test_a_due_date_sent_with_the_priority_wins(as_agent, as_user, make_ticket):
    ticket = await make_ticket(as_user)
    changed = await _put(as_agent, ticket, priority="urgent", due_at="2031-01-01T00:00:00Z")
    assert changed["due_at"] == "2031-01-01T00:00:00Z"


async def test_raising_the_priority_of_an_old_ticket_can_make_it_overdue(
    as_agent, as_user, make_ticket, set_ticket_fields
):
    ticket = await make_ticket(as_user, priority="low")
    created = datetime.now(UTC) - timedelta(days=2)
    await set_ticket_fields(ticket["id"], created_at=created, due_at=created + RESPONSE_TIME["low"])
    assert (await as_agent.get(f"/api/tickets/{ticket['id']}")).json()["overdue"] is False
    changed = await _put(as_agent, ticket, priority="urgent")
    assert changed["overdue"] is True
    listed = (await as_agent.get("/api/tickets", params={"overdue": "true"})).json()["items"]
    assert [item["id"] for item in listed] == [ticket["id"]]


async def test_the_overdue_flag_and_filter_agree_on_every_ticket(
    as_agent, as_user, make_ticket, set_ticket_fields
):
    now = datetime.now(UTC)
    cases = {
        # status, due offset from now (None: no due date), overdue?
        "late new": ("new", timedelta(hours=-1), True),
        "late open": ("open", timedelta(minutes=-1), True),
        "late pending": ("pending", timedelta(days=-9), True),
        "late resolved": ("resolved", timedelta(hours=-1), False),
        "late closed": ("closed", timedelta(hours=-1), False),
        "due later": ("open", timedelta(hours=1), False),
        "no due date": ("open", None, False),
    }
    ids = {}
    for name, (status, offset, _) in cases.items():
        ticket = await make_ticket(as_user, title=name)
        if status != "new":
            await _put(as_agent, ticket, status=status)
        due = None if offset is None else now + offset
        await set_ticket_fields(ticket["id"], due_at=due)
        ids[name] = ticket["id"]

    everything = (await as_agent.get("/api/tickets", params={"limit": 50})).json()["items"]
    flagged = {item["id"] for item in everything if item["overdue"]}
    expected = {ids[name] for name, (_, _, late) in cases.items() if late}
    assert flagged == expected

    pages = {
        value: (await as_agent.get("/api/tickets", params={"overdue": value})).json()["items"]
        for value in ("true", "false")
    }

    def listed(value: str) -> set[int]:
        return {item["id"] for item in pages[value]}

    assert listed("true") == expected
    assert listed("false") == set(ids.values()) - expected
    # The requester sees the same flag on their own tickets.
    mine = (await as_user.get("/api/tickets", params={"overdue": "true"})).json()["items"]
    assert {item["id"] for item in mine} == expected


async def test_reopening_a_late_ticket_makes_it_overdue_again(
    as_agent, as_user, make_ticket, set_ticket_fields
):
    ticket = await make_ticket(as_user)
    await set_ticket_fields(ticket["id"], due_at=datetime.now(UTC) - timedelta(hours=1))
    assert (await _put(as_agent, ticket, status="resolved"))["overdue"] is False
    assert (await _put(as_agent, ticket, status="open"))["overdue"] is True
