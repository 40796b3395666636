"""Who may call which saved reply endpoint: every role x endpoint cell asserted.

The reply in each cell is a global one made by an admin: every staff member may read and use
it, only admins change it."""

import pytest

from tests.matrix import Endpoint, cells, client_for, expect

STAFF = expect(admin=200, agent=200, user=403, guest=403)

ENDPOINTS = [
    Endpoint("GET", "/api/saved-replies", STAFF),
    Endpoint("GET", "/api/saved-replies/{id}", STAFF),
    Endpoint(
        "POST",
        "/api/saved-replies",
        expect(admin=201, agent=201, user=403, guest=403),
        body={"title": "Mine", "body": "Hello {{ requester.name }}"},
    ),
    Endpoint(
        "POST",
        "/api/saved-replies",
        expect(admin=201, agent=403, user=403, guest=403),
        body={"title": "Everyone's", "body": "Hello", "scope": "global"},
    ),
    Endpoint(
        "PATCH",
        "/api/saved-replies/{id}",
        expect(admin=200, agent=403, user=403, guest=403),
        body={"title": "Renamed"},
    ),
    Endpoint(
        "DELETE", "/api/saved-replies/{id}", expect(admin=204, agent=403, user=403, guest=403)
    ),
    Endpoint("POST", "/api/saved-replies/{id}/render", STAFF, body={"ticket_id": 1}),
]


@pytest.mark.parametrize(("role", "endpoint", "status"), cells(ENDPOINTS))
async def test_role_endpoint_matrix(
    role, endpoint, status, client, client_as, as_admin, make_reply, make_ticket, stored_replies
):
    made = await make_reply(as_admin, title="Global", scope="global")
    ticket = await make_ticket(as_admin)
    assert ticket["id"] == 1
    before = await stored_replies()
    http = await client_for(role, client, client_as)

    response = await endpoint.call(http, id=made["id"])

    assert response.status_code == status, response.text
    if status >= 400:
        assert await stored_replies() == before
