"""Tickets under SLA policies, figures counted by hand (Europe/Berlin, CET = UTC+1 in December).

The office calendar works Monday to Friday, 09:00-17:00 local time. A ticket filed on Monday
2026-12-07 at 10:00 local (09:00 UTC) under a policy of 60 minutes to first response and 480 to
resolution is due for its first response at 11:00 local and for resolution on Tuesday at 10:00
local: 420 minutes on Monday (10:00-17:00) and 60 on Tuesday.
"""

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from deskboard.notifications.models import Notification
from deskboard.sla.sweep import sweep_sla
from tests.sla.conftest import Clock

WEEKDAYS_9_TO_5 = {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def z(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


async def _office(as_admin, *, holidays: list[str] | None = None, **policy: Any) -> dict:
    calendar = await as_admin.post(
        "/api/calendars",
        json={
            "name": "Berlin office",
            "timezone": "Europe/Berlin",
            "hours": WEEKDAYS_9_TO_5,
            "holidays": holidays or [],
        },
    )
    assert calendar.status_code == 201, calendar.text
    body = {
        "name": "Everything",
        "position": 10,
        "conditions": {},
        "calendar_id": calendar.json()["id"],
        "first_response_minutes": 60,
        "resolution_minutes": 480,
        "pause_statuses": ["pending"],
        **policy,
    }
    created = await as_admin.post("/api/sla-policies", json=body)
    assert created.status_code == 201, created.text
    return created.json()


async def _put(http, ticket_id: int, **fields: Any) -> dict:
    current = (await http.get(f"/api/tickets/{ticket_id}")).json()
    response = await http.put(
        f"/api/tickets/{ticket_id}", json={"version": current["version"], **fields}
    )
    assert response.status_code == 200, response.text
    return response.json()


async def _new_ticket(http, **fields: Any) -> dict:
    response = await http.post("/api/tickets", json={"title": "VPN drops", **fields})
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_new_ticket_gets_due_times_in_business_hours(as_admin, as_agent, clock: Clock):
    policy = await _office(as_admin)
    clock.set(utc("2026-12-07T09:00:00"))
    ticket = await _new_ticket(as_agent)
    assert ticket["sla"] == {
        "policy_id": policy["id"],
        "first_response_due_at": "2026-12-07T10:00:00Z",
        "resolution_due_at": "2026-12-08T09:00:00Z",
        "paused_minutes": 0.0,
        "paused": False,
        "at_risk": False,
        "breached": {"first_response": False, "resolution": False},
    }
    # due_at is the resolution due time (docs/sla.md).
    assert ticket["due_at"] == "2026-12-08T09:00:00Z"


async def test_no_policy_no_sla(as_agent, clock: Clock):
    clock.set(utc("2026-12-07T09:00:00"))
    ticket = await _new_ticket(as_agent)
    assert ticket["sla"] is None
    # Without any policy, the built-in per-priority table still sets due_at (3 days for normal).
    assert ticket["due_at"] == "2026-12-10T09:00:00Z"


async def test_pause_resume_and_a_priority_change_keep_the_paused_time(
    as_admin, as_agent, as_user, clock: Clock
):
    await _office(as_admin)
    urgent = await _office_policy(as_admin, name="Urgent", position=0, priority="urgent")
    clock.set(utc("2026-12-07T09:00:00"))  # Monday 10:00 local
    ticket = await _new_ticket(as_user)
    tid = ticket["id"]
    clock.set(utc("2026-12-07T09:20:00"))  # the first public staff reply, 10:20 local
    reply = await as_agent.post(f"/api/tickets/{tid}/comments", json={"body": "Looking into it"})
    assert reply.status_code == 201
    clock.set(utc("2026-12-07T10:30:00"))  # 11:30 local: waiting on the customer
    paused = await _put(as_agent, tid, status="pending")
    assert paused["sla"]["paused"] is True
    assert paused["sla"]["resolution_due_at"] is None  # unknown while the clock stands
    assert paused["sla"]["breached"] == {"first_response": False, "resolution": False}
    clock.set(utc("2026-12-07T12:30:00"))  # 13:30 local: resumed after 120 business minutes
    resumed = await _put(as_agent, tid, status="open")
    assert resumed["sla"]["paused"] is False
    assert resumed["sla"]["paused_minutes"] == 120.0
    # 480 running minutes from Monday 10:00 local, 120 of them skipped: Tuesday 12:00 local.
    assert resumed["sla"]["resolution_due_at"] == "2026-12-08T11:00:00Z"
    assert resumed["due_at"] == "2026-12-08T11:00:00Z"

    clock.set(utc("2026-12-07T13:00:00"))  # 14:00 local: raised to urgent (240 minutes)
    raised = await _put(as_agent, tid, priority="urgent")
    assert raised["sla"]["policy_id"] == urgent["id"]
    assert raised["sla"]["paused_minutes"] == 120.0  # kept by the recomputation
    # 10:00 + 240 running minutes + the 120 paused = 16:00 local.
    assert raised["sla"]["resolution_due_at"] == "2026-12-07T15:00:00Z"
    # The first response (10:20 local) came before the new 30-minute target (10:30 local).
    assert raised["sla"]["first_response_due_at"] == "2026-12-07T09:30:00Z"
    assert raised["sla"]["breached"] == {"first_response": False, "resolution": False}
    assert raised["due_at"] == "2026-12-07T15:00:00Z"
    history = (await as_agent.get(f"/api/tickets/{tid}/history")).json()
    assert [h["to"] for h in history if h["field"] == "due_at"][-1] == "2026-12-07T15:00:00+00:00"

    # At risk from 80% of the target: 192 running minutes, i.e. 13:12 + 120 paused = 15:12 local.
    clock.set(utc("2026-12-07T14:11:00"))
    assert (await as_agent.get(f"/api/tickets/{tid}")).json()["sla"]["at_risk"] is False
    clock.set(utc("2026-12-07T14:12:00"))
    assert (await as_agent.get(f"/api/tickets/{tid}")).json()["sla"]["at_risk"] is True
    clock.set(utc("2026-12-07T15:00:01"))
    late = (await as_agent.get(f"/api/tickets/{tid}")).json()["sla"]
    assert late["breached"] == {"first_response": False, "resolution": True}
    assert late["at_risk"] is False


async def _office_policy(as_admin, *, name: str, position: int, priority: str) -> dict:
    calendars = (await as_admin.get("/api/calendars")).json()
    created = await as_admin.post(
        "/api/sla-policies",
        json={
            "name": name,
            "position": position,
            "conditions": {"priority": [priority]},
            "calendar_id": calendars[0]["id"],
            "first_response_minutes": 30,
            "resolution_minutes": 240,
            "pause_statuses": ["pending"],
        },
    )
    assert created.status_code == 201, created.text
    return created.json()


async def test_a_holiday_is_skipped(as_admin, as_agent, clock: Clock):
    await _office(as_admin, holidays=["2026-12-08"])
    clock.set(utc("2026-12-07T09:00:00"))
    ticket = await _new_ticket(as_agent)
    # Tuesday is a holiday: the last 60 minutes fall on Wednesday, 10:00 local.
    assert ticket["sla"]["resolution_due_at"] == "2026-12-09T09:00:00Z"
    assert ticket["sla"]["first_response_due_at"] == "2026-12-07T10:00:00Z"


async def test_a_dst_change_inside_the_target(as_admin, as_agent, clock: Clock):
    """Sunday 2027-03-28 in Berlin has 23 hours (02:00 -> 03:00): a calendar working only on
    Sundays, 00:00-24:00, gives 1380 minutes that day; the 60 left fall on the next Sunday,
    00:00-01:00 CEST (UTC+2), i.e. Saturday 22:00-23:00 UTC."""
    await _office(
        as_admin,
        first_response_minutes=60,
        resolution_minutes=1440,
    )
    calendar_id = (await as_admin.get("/api/calendars")).json()[0]["id"]
    changed = await as_admin.patch(
        f"/api/calendars/{calendar_id}", json={"hours": {"sun": [["00:00", "24:00"]]}}
    )
    assert changed.status_code == 200, changed.text
    clock.set(utc("2027-03-27T23:00:00"))  # Sunday 00:00 CET
    ticket = await _new_ticket(as_agent)
    assert ticket["sla"]["first_response_due_at"] == "2027-03-28T00:00:00Z"
    assert ticket["sla"]["resolution_due_at"] == "2027-04-03T23:00:00Z"


async def test_the_sla_filter_agrees_with_the_tickets(as_admin, as_agent, clock: Clock):
    await _office(as_admin)
    clock.set(utc("2026-12-07T09:00:00"))
    first = await _new_ticket(as_agent, title="first")
    clock.set(utc("2026-12-07T14:00:00"))
    second = await _new_ticket(as_agent, title="second")
    # Monday 16:00 local: the first ticket's first response (11:00 local) is late; the second's
    # (due 16:00 local) is due now... one minute before: at risk (80% of 60 = 48 minutes).
    clock.set(utc("2026-12-07T14:59:00"))

    async def ids(states: list[str]) -> set[int]:
        response = await as_agent.get(
            "/api/tickets", params={"filter": f'{{"sla": {states!r}}}'.replace("'", '"')}
        )
        assert response.status_code == 200, response.text
        return {item["id"] for item in response.json()["items"]}

    assert await ids(["breached"]) == {first["id"]}
    assert await ids(["at_risk"]) == {second["id"]}
    assert await ids(["within"]) == {second["id"]}
    assert await ids(["at_risk", "breached"]) == {first["id"], second["id"]}
    page = (await as_agent.get("/api/tickets")).json()["items"]
    by_id = {item["id"]: item["sla"] for item in page}
    assert by_id[first["id"]]["breached"]["first_response"] is True
    assert by_id[second["id"]]["at_risk"] is True
    detail = (await as_agent.get(f"/api/tickets/{second['id']}")).json()
    assert detail["sla"] == by_id[second["id"]]


async def test_the_sweep_warns_once_per_ticket_and_state(
    as_admin, as_agent, clock: Clock, database, published
):
    await _office(as_admin)
    clock.set(utc("2026-12-07T09:00:00"))
    ticket = await _new_ticket(as_agent, assignee_id=as_agent.user.id)
    await _put(as_admin, ticket["id"], assignee_id=as_agent.user.id)

    async def sweep(at: str) -> tuple[int, int]:
        async with database.unit_of_work() as session:
            result = await sweep_sla(session, now=utc(at))
        return result.at_risk, result.breached

    published.clear()
    assert await sweep("2026-12-07T09:47:00") == (0, 0)  # 47 of 60 minutes: not yet at risk
    assert await sweep("2026-12-07T09:48:00") == (1, 0)
    assert await sweep("2026-12-07T09:49:00") == (0, 0)  # never twice
    assert await sweep("2026-12-07T10:00:01") == (0, 1)
    assert await sweep("2026-12-07T10:05:00") == (0, 0)
    async with database.sessionmaker() as session:
        kinds = (
            await session.execute(
                select(Notification.kind)
                .where(Notification.recipient_id == as_agent.user.id)
                .order_by(Notification.id)
            )
        ).scalars()
        assert [kind for kind in kinds if kind.startswith("sla")] == [
            "sla_at_risk",
            "sla_breached",
        ]
    updates = [e for e in published if e.type == "ticket.updated"]
    assert len(updates) == 2
    assert updates[-1].data["sla"]["breached"]["first_response"] is True
    clock.set(utc("2026-12-07T10:05:00"))
    stored = (await as_agent.get(f"/api/tickets/{ticket['id']}")).json()["sla"]
    assert stored["breached"] == {"first_response": True, "resolution": False}


async def test_policy_changes_recompute_open_tickets(as_admin, as_agent, clock: Clock):
    policy = await _office(as_admin)
    clock.set(utc("2026-12-07T09:00:00"))
    ticket = await _new_ticket(as_agent)
    changed = await as_admin.patch(
        f"/api/sla-policies/{policy['id']}", json={"resolution_minutes": 120}
    )
    assert changed.status_code == 200
    after = (await as_agent.get(f"/api/tickets/{ticket['id']}")).json()
    assert after["sla"]["resolution_due_at"] == "2026-12-07T11:00:00Z"
    assert after["due_at"] == "2026-12-07T11:00:00Z"
    deleted = await as_admin.delete(f"/api/sla-policies/{policy['id']}")
    assert deleted.status_code == 204
    gone = (await as_agent.get(f"/api/tickets/{ticket['id']}")).json()
    assert gone["sla"] is None


async def test_a_hand_set_due_date_is_kept_through_recomputation(as_admin, as_agent, clock: Clock):
    await _office(as_admin)
    clock.set(utc("2026-12-07T09:00:00"))
    ticket = await _new_ticket(as_agent, due_at="2026-12-24T12:00:00Z")
    assert ticket["due_at"] == "2026-12-24T12:00:00Z"
    assert ticket["sla"]["resolution_due_at"] == "2026-12-08T09:00:00Z"
    raised = await _put(as_agent, ticket["id"], priority="high")
    assert raised["due_at"] == "2026-12-24T12:00:00Z"


@pytest.mark.parametrize("internal", [True, False])
async def test_only_a_public_staff_reply_is_a_first_response(
    as_admin, as_agent, as_user, clock: Clock, internal: bool
):
    await _office(as_admin)
    clock.set(utc("2026-12-07T09:00:00"))
    ticket = await _new_ticket(as_user)
    clock.set(utc("2026-12-07T09:30:00"))
    await as_user.post(f"/api/tickets/{ticket['id']}/comments", json={"body": "any news?"})
    await as_agent.post(
        f"/api/tickets/{ticket['id']}/comments", json={"body": "on it", "internal": internal}
    )
    clock.set(utc("2026-12-07T10:30:00"))
    sla = (await as_agent.get(f"/api/tickets/{ticket['id']}")).json()["sla"]
    assert sla["breached"]["first_response"] is internal


async def test_percent_within_sla_counts_agree_with_the_list(as_admin, as_agent, clock: Clock):
    await _office(as_admin)
    for hour in ("08:00", "09:00", "14:00", "14:30"):
        clock.set(utc(f"2026-12-07T{hour}:00"))
        await _new_ticket(as_agent, title=f"filed {hour}")
    clock.set(utc("2026-12-07T14:55:00"))  # 15:55 local
    figures = (await as_agent.get("/api/analytics/sla")).json()
    # First responses due 10:00 and 11:00 local are late; the one due 16:00 local is at risk
    # (48 of its 60 minutes passed at 15:48 local); the one due 16:30 local is within.
    assert (figures["total"], figures["within"]["count"], figures["breached"]["count"]) == (
        4,
        2,
        2,
    )
    assert figures["within_pct"] == 50.0
    assert figures["at_risk"]["count"] == 1
    for name in ("within", "at_risk", "breached"):
        listed = await as_agent.get(
            "/api/tickets",
            params={"filter": json.dumps(figures[name]["filter"]), "limit": 100},
        )
        assert len(listed.json()["items"]) == figures[name]["count"], name
