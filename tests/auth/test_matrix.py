"""Who may call which auth, users and audit endpoint: every role x endpoint cell asserted."""

import pytest

from tests.matrix import Endpoint, cells, client_for, expect

NEW_USER = {"email": "made@example.test", "name": "Made", "password": "a-long-enough-pass"}

ENDPOINTS = [
    Endpoint("GET", "/api/auth/me", expect(admin=200, agent=200, user=200, guest=200)),
    # An access token is not a refresh token: without the cookie nobody refreshes.
    Endpoint("POST", "/api/auth/refresh", expect(admin=401, agent=401, user=401, guest=401)),
    Endpoint(
        "POST", "/api/auth/logout", expect(admin=204, agent=204, user=204, guest=204, anonymous=204)
    ),
    Endpoint(
        "POST",
        "/api/auth/register",
        expect(admin=202, agent=202, user=202, guest=202, anonymous=202),
        body={"email": "self@example.test", "name": "Self", "password": "a-long-enough-pass"},
    ),
    Endpoint("GET", "/api/users", expect(admin=200, agent=403, user=403, guest=403)),
    Endpoint("GET", "/api/users?role=agent", expect(admin=200, agent=200, user=403, guest=403)),
    Endpoint("GET", "/api/users?role=user", expect(admin=200, agent=403, user=403, guest=403)),
    Endpoint("POST", "/api/users", expect(admin=201, agent=403, user=403, guest=403), NEW_USER),
    Endpoint(
        "PATCH",
        "/api/users/{target}",
        expect(admin=200, agent=403, user=403, guest=403),
        body={"name": "Renamed"},
    ),
    Endpoint("GET", "/api/audit", expect(admin=200, agent=403, user=403, guest=403)),
]


@pytest.mark.parametrize(("role", "endpoint", "status"), cells(ENDPOINTS))
async def test_role_endpoint_matrix(role, endpoint, status, client, client_as, make_user):
    target = await make_user("user", name="Target")
    http = await client_for(role, client, client_as)

    response = await endpoint.call(http, target=target.id)

    assert response.status_code == status, response.text
