"""SLA policies over HTTP: an ordered list kept by admins, read by staff, audited; calendars they
use cannot be deleted."""

import pytest
from sqlalchemy import select

from deskboard.audit.models import AuditEntry
from tests.matrix import Endpoint, cells, client_for, expect
from tests.sla.conftest import policy_body


@pytest.fixture
async def calendar_id(as_admin, make_calendar) -> int:
    return (await make_calendar(as_admin))["id"]


async def test_an_admin_creates_a_policy(as_admin, as_agent, make_policy, calendar_id):
    made = await make_policy(as_admin, calendar_id, conditions={"priority": ["urgent", "high"]})
    assert made["name"] == "Urgent tickets"
    assert made["position"] == 0
    assert made["calendar_id"] == calendar_id
    assert made["first_response_minutes"] == 60 and made["resolution_minutes"] == 480
    assert made["pause_statuses"] == ["pending"]  # the default
    assert made["conditions"]["priority"] == ["urgent", "high"]
    assert (await as_agent.get("/api/sla-policies")).json() == [made]
    assert (await as_agent.get(f"/api/sla-policies/{made['id']}")).json() == made


async def test_policies_are_listed_in_the_order_they_are_tried(as_admin, make_policy, calendar_id):
    first = await make_policy(as_admin, calendar_id, name="a")  # position 0
    second = await make_policy(as_admin, calendar_id, name="b")  # appended: 1
    front = await make_policy(as_admin, calendar_id, name="c", position=0)  # ties: by id
    assert second["position"] == 1
    order = [p["name"] for p in (await as_admin.get("/api/sla-policies")).json()]
    assert order == ["a", "c", "b"]
    moved = await as_admin.patch(f"/api/sla-policies/{first['id']}", json={"position": 5})
    assert moved.status_code == 200, moved.text
    order = [p["name"] for p in (await as_admin.get("/api/sla-policies")).json()]
    assert order == ["c", "b", "a"]
    assert front["position"] == 0


async def test_patch_changes_only_the_fields_sent(
    as_admin, make_policy, make_calendar, calendar_id
):
    made = await make_policy(as_admin, calendar_id)
    other = await make_calendar(as_admin, name="New York", timezone="America/New_York")
    response = await as_admin.patch(
        f"/api/sla-policies/{made['id']}",
        json={"calendar_id": other["id"], "resolution_minutes": 960, "pause_statuses": []},
    )
    assert response.status_code == 200, response.text
    changed = response.json()
    assert changed["calendar_id"] == other["id"]
    assert changed["resolution_minutes"] == 960
    assert changed["pause_statuses"] == []
    assert changed["first_response_minutes"] == 60
    assert changed["conditions"] == made["conditions"]
    assert changed["updated_at"] > made["updated_at"]


async def test_the_conditions_are_stored_in_the_list_apis_format(
    as_admin, make_policy, calendar_id, stored_policies
):
    conditions = {"tag": ["vip"], "status": ["new", "open"], "created": {"from": "2026-01-01"}}
    await make_policy(as_admin, calendar_id, conditions=conditions)
    [row] = await stored_policies()
    assert row[3] == conditions


async def test_a_calendar_in_use_is_not_deleted(as_admin, make_policy, calendar_id):
    policy = await make_policy(as_admin, calendar_id)
    refused = await as_admin.delete(f"/api/calendars/{calendar_id}")
    assert refused.status_code == 409, refused.text
    assert refused.json()["policies"] == ["Urgent tickets"]
    assert (await as_admin.get(f"/api/calendars/{calendar_id}")).status_code == 200
    assert (await as_admin.delete(f"/api/sla-policies/{policy['id']}")).status_code == 204
    assert (await as_admin.delete(f"/api/calendars/{calendar_id}")).status_code == 204


async def test_names_are_unique_regardless_of_case(
    as_admin, make_policy, calendar_id, stored_policies
):
    await make_policy(as_admin, calendar_id)
    before = await stored_policies()
    response = await as_admin.post(
        "/api/sla-policies", json=policy_body(calendar_id, name="URGENT tickets")
    )
    assert response.status_code == 409, response.text
    assert await stored_policies() == before


async def test_every_write_is_audited(as_admin, make_policy, calendar_id, database):
    made = await make_policy(as_admin, calendar_id)
    await as_admin.patch(f"/api/sla-policies/{made['id']}", json={"first_response_minutes": 30})
    await as_admin.delete(f"/api/sla-policies/{made['id']}")
    async with database.sessionmaker() as session:
        stmt = select(AuditEntry).where(AuditEntry.entity_type == "sla_policy")
        entries = list((await session.execute(stmt.order_by(AuditEntry.id))).scalars())
    assert [e.action for e in entries] == [
        "sla_policy.created",
        "sla_policy.updated",
        "sla_policy.deleted",
    ]
    assert entries[1].before["first_response_minutes"] == 60
    assert entries[1].after["first_response_minutes"] == 30
    assert entries[2].after is None


BAD_CREATES = [
    ({"calendar_id": 424242}, ["calendar_id"]),
    ({"calendar_id": "1"}, ["calendar_id"]),
    ({"calendar_id": 0}, ["calendar_id"]),
    ({"first_response_minutes": 0}, ["first_response_minutes"]),
    ({"first_response_minutes": 1.5}, ["first_response_minutes"]),
    ({"first_response_minutes": "60"}, ["first_response_minutes"]),
    ({"resolution_minutes": 366 * 24 * 60 + 1}, ["resolution_minutes"]),
    ({"first_response_minutes": 500, "resolution_minutes": 480}, []),
    ({"position": -1}, ["position"]),
    ({"position": 10_001}, ["position"]),
    ({"pause_statuses": ["waiting"]}, ["pause_statuses", 0]),
    ({"pause_statuses": ["open"]}, ["pause_statuses"]),
    ({"pause_statuses": ["pending", "pending"]}, ["pause_statuses"]),
    ({"conditions": {"assignee_id": ["me"]}}, ["conditions"]),
    ({"conditions": {"requester_id": ["me"]}}, ["conditions"]),
    ({"conditions": {"overdue": True}}, ["conditions"]),
    ({"conditions": {"priority": ["critical"]}}, ["conditions", "priority", 0]),
    ({"conditions": {"colour": "red"}}, ["conditions", "colour"]),
    ({"name": ""}, ["name"]),
    ({"name": "x\u0000y"}, ["name"]),
    ({"breached": True}, ["breached"]),
]


@pytest.mark.parametrize(("fields", "loc"), BAD_CREATES)
async def test_a_bad_new_policy_is_422_naming_the_field(
    as_admin, calendar_id, stored_policies, fields, loc
):
    response = await as_admin.post("/api/sla-policies", json={**policy_body(calendar_id), **fields})
    assert response.status_code == 422, response.text
    assert ["body", *loc] in [error["loc"] for error in response.json()["detail"]]
    assert await stored_policies() == []


BAD_UPDATES = [
    ({"calendar_id": 424242}, ["body", "calendar_id"]),
    ({"first_response_minutes": 481}, ["body", "first_response_minutes"]),
    ({"resolution_minutes": 59}, ["body", "resolution_minutes"]),
    ({"name": None}, ["body"]),
    ({"conditions": None}, ["body"]),
    ({"conditions": {"assignee_id": ["me"]}}, ["body", "conditions"]),
    ({"pause_statuses": ["closed"]}, ["body", "pause_statuses"]),
]


@pytest.mark.parametrize(("body", "loc"), BAD_UPDATES)
async def test_a_bad_update_is_422_and_changes_nothing(
    as_admin, make_policy, calendar_id, stored_policies, body, loc
):
    made = await make_policy(as_admin, calendar_id)
    before = await stored_policies()
    response = await as_admin.patch(f"/api/sla-policies/{made['id']}", json=body)
    assert response.status_code == 422, response.text
    assert loc in [error["loc"] for error in response.json()["detail"]]
    assert await stored_policies() == before


async def test_unknown_and_malformed_policy_ids(as_admin):
    for method in ("GET", "PATCH", "DELETE"):
        kwargs = {"json": {"name": "X"}} if method == "PATCH" else {}
        unknown = await as_admin.request(method, "/api/sla-policies/424242", **kwargs)
        assert unknown.status_code == 404, (method, unknown.text)
        malformed = await as_admin.request(method, "/api/sla-policies/abc", **kwargs)
        assert malformed.status_code == 422, (method, malformed.text)


STAFF_READ = expect(admin=200, agent=200, user=403, guest=403)
ADMIN_ONLY = expect(admin=200, agent=403, user=403, guest=403)
ENDPOINTS = [
    Endpoint("GET", "/api/sla-policies", STAFF_READ),
    Endpoint("GET", "/api/sla-policies/{id}", STAFF_READ),
    Endpoint("POST", "/api/sla-policies", expect(admin=201, agent=403, user=403, guest=403)),
    Endpoint("PATCH", "/api/sla-policies/{id}", ADMIN_ONLY, body={"position": 3}),
    Endpoint("DELETE", "/api/sla-policies/{id}", expect(admin=204, agent=403, user=403, guest=403)),
]


@pytest.mark.parametrize(("role", "endpoint", "status"), cells(ENDPOINTS))
async def test_role_endpoint_matrix(
    role, endpoint, status, client, client_as, as_admin, make_policy, calendar_id, stored_policies
):
    made = await make_policy(as_admin, calendar_id)
    before = await stored_policies()
    http = await client_for(role, client, client_as)
    if endpoint.method == "POST":
        response = await http.post(
            "/api/sla-policies", json=policy_body(calendar_id, name="Another")
        )
    else:
        response = await endpoint.call(http, id=made["id"])
    assert response.status_code == status, response.text
    if status >= 400:
        assert await stored_policies() == before
