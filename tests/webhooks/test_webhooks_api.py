"""Webhook CRUD: admins only, the secret shown once and encrypted at rest, bad input refused."""

import pytest
from sqlalchemy import select

from deskboard.audit.models import AuditEntry
from deskboard.config import get_settings
from deskboard.webhooks.models import Webhook
from tests.matrix import Endpoint, cells, client_for, expect

URL = "https://hooks.example.test/deskboard"
BODY = {"url": URL, "events": ["ticket.created"]}


async def _stored(database):
    async with database.sessionmaker() as session:
        rows = (await session.execute(select(Webhook).order_by(Webhook.id))).scalars()
        return [(w.id, w.url, w.events, w.secret_encrypted, w.enabled, w.updated_at) for w in rows]


async def test_create_answers_the_generated_secret_once_and_keeps_it_encrypted(as_admin, database):
    created = await as_admin.post("/api/webhooks", json=BODY)

    assert created.status_code == 201, created.text
    hook = created.json()
    assert hook["secret"].startswith("whsec_") and len(hook["secret"]) > 40
    assert hook["url"] == URL and hook["events"] == ["ticket.created"] and hook["enabled"]
    for path in ("/api/webhooks", f"/api/webhooks/{hook['id']}"):
        assert "secret" not in (await as_admin.get(path)).text
    [(_, _, _, stored, _, _)] = await _stored(database)
    assert hook["secret"].encode() not in stored
    async with database.sessionmaker() as session:
        audit = (await session.execute(select(AuditEntry))).scalars().all()
    assert [a.action for a in audit] == ["webhook.created"]
    assert hook["secret"] not in str(audit[0].after)


async def test_a_given_secret_is_used_and_a_patch_changes_fields_but_never_shows_it(
    as_admin, database
):
    secret = "my-own-secret-0123456789"
    hook = (await as_admin.post("/api/webhooks", json={**BODY, "secret": secret})).json()
    assert hook["secret"] == secret

    patched = await as_admin.patch(
        f"/api/webhooks/{hook['id']}",
        json={
            "events": ["ticket.updated", "comment.created"],
            "enabled": False,
            "secret": "n" * 20,
        },
    )

    assert patched.status_code == 200, patched.text
    assert patched.json()["events"] == ["ticket.updated", "comment.created"]
    assert patched.json()["enabled"] is False and "secret" not in patched.json()
    from deskboard.webhooks.signing import decrypt_secret

    [(_, _, _, stored, _, _)] = await _stored(database)
    assert decrypt_secret(stored) == "n" * 20


async def test_delete_removes_the_webhook_and_its_deliveries(as_admin, database):
    hook = (await as_admin.post("/api/webhooks", json=BODY)).json()
    assert (await as_admin.post(f"/api/webhooks/{hook['id']}/test")).status_code == 202

    assert (await as_admin.delete(f"/api/webhooks/{hook['id']}")).status_code == 204

    assert await _stored(database) == []
    assert (await as_admin.get(f"/api/webhooks/{hook['id']}")).status_code == 404
    assert (await as_admin.get(f"/api/webhooks/{hook['id']}/deliveries")).status_code == 404


BAD_BODIES = [
    ({"url": "ftp://example.test/x", "events": ["ticket.created"]}, "url"),
    ({"url": "file:///etc/passwd", "events": ["ticket.created"]}, "url"),
    ({"url": "https://user:pw@example.test/x", "events": ["ticket.created"]}, "url"),
    ({"url": "https://token@example.test/x", "events": ["ticket.created"]}, "url"),
    ({"url": "https:///nohost", "events": ["ticket.created"]}, "url"),
    ({"url": "https://example.test:99999/", "events": ["ticket.created"]}, "url"),
    ({"url": "not a url", "events": ["ticket.created"]}, "url"),
    ({"url": "https://example.test/" + "a" * 2000, "events": ["ticket.created"]}, "url"),
    ({"url": URL, "events": []}, "events"),
    ({"url": URL, "events": ["ticket.exploded"]}, "events"),
    ({"url": URL, "events": ["ticket.created", "ticket.created"]}, "events"),
    ({"url": URL, "events": "ticket.created"}, "events"),
    ({"url": URL, "events": ["ticket.created"], "secret": "short"}, "secret"),
    ({"url": URL, "events": ["ticket.created"], "secret": "has spaces in it ok?"}, "secret"),
    ({"url": URL, "events": ["ticket.created"], "enabled": "yes"}, "enabled"),
    ({"url": URL, "events": ["ticket.created"], "colour": "red"}, "colour"),
    ({"events": ["ticket.created"]}, "url"),
]


@pytest.mark.parametrize(("body", "field"), BAD_BODIES)
async def test_bad_input_is_a_422_naming_the_field_and_changes_nothing(
    as_admin, database, body, field
):
    hook = (await as_admin.post("/api/webhooks", json=BODY)).json()
    before = await _stored(database)

    created = await as_admin.post("/api/webhooks", json=body)

    assert created.status_code == 422, created.text
    assert any(field in error["loc"] for error in created.json()["detail"])
    if field in body:  # the same bad field alone in a PATCH
        patched = await as_admin.patch(f"/api/webhooks/{hook['id']}", json={field: body[field]})
        assert patched.status_code == 422, patched.text
    assert await _stored(database) == before


async def test_a_literal_private_address_is_refused_when_private_destinations_are_not_allowed(
    as_admin, database, monkeypatch
):
    monkeypatch.setattr(get_settings(), "webhook_allow_private", False)
    for url in (
        "http://127.0.0.1:8080/x",
        "http://10.1.2.3/x",
        "http://[::1]/x",
        "http://169.254.169.254/latest/meta-data",
        "http://[::ffff:192.168.0.1]/",
    ):
        response = await as_admin.post("/api/webhooks", json={**BODY, "url": url})
        assert response.status_code == 422, url
    assert await _stored(database) == []
    assert (await as_admin.post("/api/webhooks", json=BODY)).status_code == 201


async def test_unknown_ids_are_404(as_admin):
    for method, path in [
        ("GET", "/api/webhooks/9999"),
        ("PATCH", "/api/webhooks/9999"),
        ("DELETE", "/api/webhooks/9999"),
        ("GET", "/api/webhooks/9999/deliveries"),
        ("POST", "/api/webhooks/9999/test"),
    ]:
        response = await as_admin.request(method, path, json={} if method == "PATCH" else None)
        assert response.status_code == 404, (method, path)
    assert (await as_admin.get("/api/webhooks/0")).status_code == 422


ADMIN = expect(admin=200, agent=403, user=403, guest=403)
ENDPOINTS = [
    Endpoint("GET", "/api/webhooks", ADMIN),
    Endpoint("POST", "/api/webhooks", expect(admin=201, agent=403, user=403, guest=403), BODY),
    Endpoint("GET", "/api/webhooks/{id}", ADMIN),
    Endpoint("PATCH", "/api/webhooks/{id}", ADMIN, {"enabled": False}),
    Endpoint("DELETE", "/api/webhooks/{id}", expect(admin=204, agent=403, user=403, guest=403)),
    Endpoint("GET", "/api/webhooks/{id}/deliveries", ADMIN),
    Endpoint("POST", "/api/webhooks/{id}/test", expect(admin=202, agent=403, user=403, guest=403)),
]


@pytest.mark.parametrize(("role", "endpoint", "status"), cells(ENDPOINTS))
async def test_role_endpoint_matrix(role, endpoint, status, client, client_as, as_admin, database):
    hook = (await as_admin.post("/api/webhooks", json=BODY)).json()
    before = await _stored(database)
    http = await client_for(role, client, client_as)

    response = await endpoint.call(http, id=hook["id"])

    assert response.status_code == status, response.text
    if status >= 400:
        assert await _stored(database) == before
