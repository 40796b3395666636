"""Who may do what to which layout, asserted cell by cell: own layout or someone else's,
for every role and every layout endpoint; and the role templates."""

import pytest

from tests.layouts.helpers import starter

ROLES = ["admin", "agent", "user", "guest"]
READS = {"get", "history", "version", "diff"}
# endpoint -> (method, path after /api/layout/{id}, body, status when allowed)
ENDPOINTS = {
    "get": ("GET", "", None, 200),
    "post": ("POST", "", starter(), 201),
    "put": ("PUT", "", starter() | {"version": 2}, 200),
    "delete": ("DELETE", "/w3", None, 200),
    "history": ("GET", "/history", None, 200),
    "version": ("GET", "/history/1", None, 200),
    "diff": ("GET", "/diff?from=1&to=2", None, 200),
    "restore": ("POST", "/restore", {"version": 1}, 200),
}


def allowed(role: str, whose: str, endpoint: str) -> bool:
    if role == "admin":
        return True
    if whose == "other":
        return False
    return role != "guest" or endpoint in READS


CELLS = [(r, w, e) for r in ROLES for w in ("own", "other") for e in ENDPOINTS]


@pytest.mark.parametrize(("role", "whose", "endpoint"), CELLS, ids=["-".join(c) for c in CELLS])
async def test_layout_endpoint_by_role(client_as, as_admin, make_user, role, whose, endpoint):
    actor = await client_as(role)
    owner = actor.user if whose == "own" else await make_user("user")
    base = f"/api/layout/{owner.id}"
    if endpoint != "post":  # give the owner two versions, written by an admin
        assert (await as_admin.post(base, json=starter())).status_code == 201
        assert (await as_admin.put(base, json=starter() | {"version": 1})).status_code == 200
    method, suffix, body, ok_status = ENDPOINTS[endpoint]
    path = "/api/layout/me" + suffix if whose == "own" and role == "agent" else base + suffix

    response = await actor.request(method, path, json=body)

    if allowed(role, whose, endpoint):
        assert response.status_code == ok_status, response.text
    else:
        assert response.status_code == 403, response.text
        assert response.json()["detail"]
        after = await as_admin.get(base)
        if endpoint == "post":
            assert after.status_code == 404
        else:
            assert after.json()["version"] == 2


async def test_anonymous_is_401(client):
    assert (await client.get("/api/layout/me")).status_code == 401
    assert (await client.put("/api/layout/me", json=starter())).status_code == 401
    assert (await client.get("/api/layout-templates/user")).status_code == 401
    assert (await client.get("/api/widgets")).status_code == 401


TEMPLATE_CELLS = [(actor, target) for actor in ROLES for target in ROLES]


@pytest.mark.parametrize(
    ("actor_role", "template_role"), TEMPLATE_CELLS, ids=["-".join(c) for c in TEMPLATE_CELLS]
)
async def test_template_read_by_role(client_as, actor_role, template_role):
    actor = await client_as(actor_role)
    response = await actor.get(f"/api/layout-templates/{template_role}")
    if actor_role in ("admin", template_role):
        assert response.status_code == 200
        assert response.json()["role"] == template_role
    else:
        assert response.status_code == 403


@pytest.mark.parametrize(
    ("actor_role", "template_role"), TEMPLATE_CELLS, ids=["-".join(c) for c in TEMPLATE_CELLS]
)
async def test_template_write_by_role(client_as, as_admin, actor_role, template_role):
    actor = await client_as(actor_role)
    response = await actor.put(f"/api/layout-templates/{template_role}", json=starter())
    if actor_role == "admin":
        assert response.status_code == 200, response.text
        assert response.json()["is_default"] is False
    else:
        assert response.status_code == 403
        stored = await as_admin.get(f"/api/layout-templates/{template_role}")
        assert stored.json()["is_default"] is True
