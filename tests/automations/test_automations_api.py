"""Keeping rules: admins only, 201 with the stored rule, references checked (422, nothing
stored), the run log endpoint."""

import pytest

from tests.matrix import Endpoint, cells, client_for, expect

RULE = {
    "name": "Urgent to the front",
    "when": "ticket.created",
    "conditions": {"priority": ["urgent"]},
    "actions": [{"type": "set", "fields": {"tags": ["vip"], "status": "open"}}],
}

ENDPOINTS = [
    Endpoint("GET", "/api/automations", expect(admin=200, agent=403, user=403, guest=403)),
    Endpoint("POST", "/api/automations", expect(admin=201, agent=403, user=403, guest=403), RULE),
    Endpoint(
        "PATCH",
        "/api/automations/{rule}",
        expect(admin=200, agent=403, user=403, guest=403),
        {"enabled": False},
    ),
    Endpoint(
        "GET", "/api/automations/{rule}/runs", expect(admin=200, agent=403, user=403, guest=403)
    ),
    Endpoint(
        "DELETE", "/api/automations/{rule}", expect(admin=204, agent=403, user=403, guest=403)
    ),
]


@pytest.mark.parametrize(("role", "endpoint", "status"), cells(ENDPOINTS))
async def test_only_admins_keep_rules(role, endpoint, status, client, client_as, make_rule):
    admin = await client_as("admin")
    rule = await make_rule(admin, **{k: v for k, v in RULE.items() if k != "name"})
    http = await client_for(role, client, client_as)

    response = await endpoint.call(http, rule=rule["id"])

    assert response.status_code == status, response.text


async def test_create_answers_the_stored_rule(as_admin):
    response = await as_admin.post("/api/automations", json=RULE)

    assert response.status_code == 201, response.text
    made = response.json()
    assert made["name"] == RULE["name"]
    assert made["enabled"] is True
    assert made["after_minutes"] is None
    assert made["conditions"]["priority"] == ["urgent"]
    assert made["actions"] == RULE["actions"]
    assert made["created_by_id"] == as_admin.user.id
    listed = (await as_admin.get("/api/automations")).json()
    assert listed == [made]


async def test_patch_changes_only_what_is_sent(as_admin, make_rule):
    rule = await make_rule(as_admin, actions=[{"type": "set", "fields": {"priority": "high"}}])

    response = await as_admin.patch(
        f"/api/automations/{rule['id']}", json={"when": "time", "after_minutes": 4320}
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["when"], body["after_minutes"]) == ("time", 4320)
    assert body["actions"] == rule["actions"] and body["name"] == rule["name"]


@pytest.mark.parametrize(
    ("actions", "where"),
    [
        ([{"type": "set", "fields": {"colour": "red"}}], ["body", "actions", 0, "set", "fields"]),
        ([{"type": "set", "fields": {}}], ["body", "actions", 0, "set", "fields"]),
        ([{"type": "explode"}], ["body", "actions", 0]),
        ([{"type": "reply", "saved_reply_id": 999}], ["body", "actions", 0, "saved_reply_id"]),
        ([{"type": "webhook", "webhook_id": 999}], ["body", "actions", 0, "webhook_id"]),
        (
            [{"type": "assign", "strategy": "round_robin", "team_id": 999}],
            ["body", "actions", 0, "team_id"],
        ),
        ([{"type": "notify", "user_ids": [999]}], ["body", "actions", 0, "user_ids", 0]),
        ([{"type": "set", "fields": {"assignee_id": 999}}], None),
        (
            [{"type": "set", "fields": {"assignee_id": None, "team_id": 999}}],
            ["body", "actions", 0, "fields", "team_id"],
        ),
        ([], ["body", "actions"]),
    ],
)
async def test_bad_actions_are_refused_and_nothing_is_stored(as_admin, actions, where):
    response = await as_admin.post(
        "/api/automations", json={"name": "Bad", "when": "ticket.created", "actions": actions}
    )

    assert response.status_code == 422, response.text
    if where is not None:
        locs = [error["loc"][: len(where)] for error in response.json()["detail"]]
        assert where in locs, response.json()
    assert (await as_admin.get("/api/automations")).json() == []


async def test_a_time_rule_needs_its_wait_and_event_rules_have_none(as_admin):
    set_high = [{"type": "set", "fields": {"priority": "high"}}]
    no_wait = {"name": "T", "when": "time", "actions": set_high}
    needless = {"name": "E", "when": "ticket.updated", "after_minutes": 5, "actions": set_high}

    for body in (no_wait, needless):
        response = await as_admin.post("/api/automations", json=body)
        assert response.status_code == 422, response.text
        assert response.json()["detail"][0]["loc"] == ["body", "after_minutes"]


async def test_me_has_no_meaning_in_a_rule(as_admin):
    response = await as_admin.post(
        "/api/automations",
        json={
            "name": "Mine",
            "when": "ticket.created",
            "conditions": {"assignee_id": ["me"]},
            "actions": [{"type": "set", "fields": {"priority": "high"}}],
        },
    )

    assert response.status_code == 422


async def test_someone_elses_personal_reply_cannot_be_sent(as_admin, client_as):
    agent = await client_as("agent")
    reply = await agent.post("/api/saved-replies", json={"title": "Mine", "body": "Hi"})
    assert reply.status_code == 201, reply.text

    response = await as_admin.post(
        "/api/automations",
        json={
            "name": "Steal",
            "when": "ticket.created",
            "actions": [{"type": "reply", "saved_reply_id": reply.json()["id"]}],
        },
    )

    assert response.status_code == 422


async def test_unknown_rule_is_404(as_admin):
    assert (
        await as_admin.patch("/api/automations/999", json={"enabled": False})
    ).status_code == 404
    assert (await as_admin.delete("/api/automations/999")).status_code == 404
    assert (await as_admin.get("/api/automations/999/runs")).status_code == 404


async def test_changes_to_rules_are_audited(as_admin, make_rule):
    rule = await make_rule(as_admin, actions=[{"type": "set", "fields": {"priority": "high"}}])
    await as_admin.patch(f"/api/automations/{rule['id']}", json={"enabled": False})
    await as_admin.delete(f"/api/automations/{rule['id']}")

    entries = (await as_admin.get("/api/audit", params={"entity_type": "automation"})).json()
    actions = sorted(entry["action"] for entry in entries["items"])
    assert actions == ["automation.created", "automation.deleted", "automation.updated"]
