"""The first SLA policy by position whose conditions match a ticket applies."""

import pytest

from deskboard.sla.matching import policy_for_ticket


@pytest.fixture
async def calendar_id(as_admin, make_calendar) -> int:
    return (await make_calendar(as_admin))["id"]


async def ticket(http, **fields) -> int:
    response = await http.post("/api/tickets", json={"title": "Printer jams", **fields})
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def applied(database, ticket_id: int) -> str | None:
    async with database.sessionmaker() as session:
        policy = await policy_for_ticket(session, ticket_id)
        return None if policy is None else policy.name


async def test_the_first_matching_policy_by_position_applies(
    as_admin, as_agent, make_policy, calendar_id, database
):
    await make_policy(as_admin, calendar_id, name="Everything", position=9, conditions={})
    await make_policy(as_admin, calendar_id, name="VIP", position=1, conditions={"tag": ["vip"]})
    await make_policy(
        as_admin,
        calendar_id,
        name="Urgent",
        position=2,
        conditions={"priority": ["urgent", "high"]},
    )
    await make_policy(
        as_admin, calendar_id, name="Searching", position=3, conditions={"q": "invoice"}
    )
    urgent_vip = await ticket(as_agent, priority="urgent", tags=["VIP"])
    urgent = await ticket(as_agent, priority="urgent")
    invoice = await ticket(as_agent, title="Invoice missing")
    plain = await ticket(as_agent, priority="low")
    assert await applied(database, urgent_vip) == "VIP"
    assert await applied(database, urgent) == "Urgent"
    assert await applied(database, invoice) == "Searching"
    assert await applied(database, plain) == "Everything"


async def test_no_policy_or_no_match_is_none(
    as_admin, as_agent, make_policy, calendar_id, database
):
    plain = await ticket(as_agent, priority="low")
    assert await applied(database, plain) is None
    await make_policy(as_admin, calendar_id, conditions={"priority": ["urgent"]})
    assert await applied(database, plain) is None
    assert await applied(database, 424242) is None


async def test_equal_positions_are_tried_in_creation_order(
    as_admin, as_agent, make_policy, calendar_id, database
):
    await make_policy(as_admin, calendar_id, name="older", position=0, conditions={})
    await make_policy(as_admin, calendar_id, name="newer", position=0, conditions={})
    assert await applied(database, await ticket(as_agent)) == "older"


async def test_a_requester_condition_matches_by_id_and_none_by_no_assignee(
    as_admin, as_agent, client_as, make_policy, calendar_id, database
):
    customer = await client_as("user")
    await make_policy(
        as_admin,
        calendar_id,
        name="Key account",
        conditions={"requester_id": [customer.user.id], "assignee_id": ["none"]},
    )
    theirs = await ticket(customer)
    assert await applied(database, theirs) == "Key account"
    assert await applied(database, await ticket(as_agent)) is None
    assigned = await as_agent.put(
        f"/api/tickets/{theirs}", json={"assignee_id": as_agent.user.id, "version": 1}
    )
    assert assigned.status_code == 200, assigned.text
    assert await applied(database, theirs) is None
