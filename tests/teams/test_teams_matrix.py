"""Who may call which team endpoint: every role x endpoint cell asserted."""

import pytest

from tests.matrix import Endpoint, cells, client_for, expect

STAFF_READ = expect(admin=200, agent=200, user=403, guest=403)

ENDPOINTS = [
    Endpoint("GET", "/api/teams", STAFF_READ),
    Endpoint("GET", "/api/teams/{id}", STAFF_READ),
    Endpoint(
        "POST", "/api/teams", expect(admin=201, agent=403, user=403, guest=403), body={"name": "B"}
    ),
    Endpoint(
        "PATCH",
        "/api/teams/{id}",
        expect(admin=200, agent=403, user=403, guest=403),
        body={"name": "Renamed", "restrict_visibility": True},
    ),
    Endpoint("DELETE", "/api/teams/{id}", expect(admin=204, agent=403, user=403, guest=403)),
]


@pytest.mark.parametrize(("role", "endpoint", "status"), cells(ENDPOINTS))
async def test_role_endpoint_matrix(
    role, endpoint, status, client, client_as, as_admin, make_team, stored_teams
):
    made = await make_team(as_admin, name="A", member_ids=[as_admin.user.id])
    before = await stored_teams()
    http = await client_for(role, client, client_as)

    response = await endpoint.call(http, id=made["id"])

    assert response.status_code == status, response.text
    if status >= 400:
        assert await stored_teams() == before
