"""Who may call which calendar endpoint: every role x endpoint cell asserted."""

import pytest

from tests.matrix import Endpoint, cells, client_for, expect
from tests.sla.conftest import GOOD_CALENDAR

STAFF_READ = expect(admin=200, agent=200, user=403, guest=403)
ADMIN_WRITE = expect(admin=200, agent=403, user=403, guest=403)

ENDPOINTS = [
    Endpoint("GET", "/api/calendars", STAFF_READ),
    Endpoint("GET", "/api/calendars/{id}", STAFF_READ),
    Endpoint(
        "POST",
        "/api/calendars",
        expect(admin=201, agent=403, user=403, guest=403),
        body={**GOOD_CALENDAR, "name": "Another"},
    ),
    Endpoint("PATCH", "/api/calendars/{id}", ADMIN_WRITE, body={"name": "Renamed"}),
    Endpoint("DELETE", "/api/calendars/{id}", expect(admin=204, agent=403, user=403, guest=403)),
]


@pytest.mark.parametrize(("role", "endpoint", "status"), cells(ENDPOINTS))
async def test_role_endpoint_matrix(
    role, endpoint, status, client, client_as, as_admin, make_calendar, stored_calendars
):
    made = await make_calendar(as_admin)
    before = await stored_calendars()
    http = await client_for(role, client, client_as)

    response = await endpoint.call(http, id=made["id"])

    assert response.status_code == status, response.text
    if status >= 400:
        assert await stored_calendars() == before
