"""Role x endpoint matrix, cell by cell: 'own' is a ticket the caller requested, 'other' one
requested by someone else. Every refused cell also leaves the database as it was."""

import pytest

ROLES = ("admin", "agent", "user", "guest", "anonymous")

# (method, path, body, {role: status}); {id} is filled with the own or other ticket's id.
ROWS = [
    ("GET", "/api/tickets", None, (200, 200, 200, 200, 401)),
    ("POST", "/api/tickets", {"title": "Matrix"}, (201, 201, 201, 403, 401)),
    ("GET", "/api/tickets/{own}", None, (200, 200, 200, 200, 401)),
    ("GET", "/api/tickets/{other}", None, (200, 200, 404, 404, 401)),
    ("PUT", "/api/tickets/{own}", {"version": 1, "title": "T2"}, (200, 200, 200, 403, 401)),
    ("PUT", "/api/tickets/{other}", {"version": 1, "title": "T2"}, (200, 200, 404, 403, 401)),
    ("PUT", "/api/tickets/{own}", {"version": 1, "status": "closed"}, (200, 200, 200, 403, 401)),
    ("PUT", "/api/tickets/{own}", {"version": 1, "status": "open"}, (200, 200, 403, 403, 401)),
    ("PUT", "/api/tickets/{own}", {"version": 1, "priority": "high"}, (200, 200, 403, 403, 401)),
    (
        "PUT",
        "/api/tickets/{own}",
        {"version": 1, "assignee_id": "AGENT"},
        (200, 200, 403, 403, 401),
    ),
    ("DELETE", "/api/tickets/{own}", None, (204, 403, 403, 403, 401)),
    ("DELETE", "/api/tickets/{other}", None, (204, 403, 403, 403, 401)),
    ("GET", "/api/tickets/{own}/comments", None, (200, 200, 200, 200, 401)),
    ("GET", "/api/tickets/{other}/comments", None, (200, 200, 404, 404, 401)),
    ("POST", "/api/tickets/{own}/comments", {"body": "hi"}, (201, 201, 201, 403, 401)),
    ("POST", "/api/tickets/{other}/comments", {"body": "hi"}, (201, 201, 404, 403, 401)),
    (
        "POST",
        "/api/tickets/{own}/comments",
        {"body": "note", "internal": True},
        (201, 201, 403, 403, 401),
    ),
    ("GET", "/api/tickets/{own}/history", None, (200, 200, 200, 200, 401)),
    ("GET", "/api/tickets/{other}/history", None, (200, 200, 404, 404, 401)),
]

CELLS = [
    pytest.param(role, method, path, body, statuses[i], id=f"{role}-{method} {path}-{body}")
    for method, path, body, statuses in ROWS
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("role", "method", "path", "body", "expected"), CELLS)
async def test_cell(
    role, method, path, body, expected, client, client_as, make_user, make_ticket, snapshot
):
    staff = await client_as("agent")
    other_requester = await make_user("user")
    if role == "anonymous":
        http, own_requester = client, await make_user("user")
    else:
        http = await client_as(role)
        own_requester = http.user
    own = await make_ticket(staff, requester_id=own_requester.id)
    other = await make_ticket(staff, requester_id=other_requester.id)
    if body and body.get("assignee_id") == "AGENT":
        body = {**body, "assignee_id": staff.user.id}
    before = await snapshot()
    response = await http.request(
        method,
        path.format(own=own["id"], other=other["id"]),
        **({} if body is None else {"json": body}),
    )
    assert response.status_code == expected, response.text
    if expected >= 400:
        assert "detail" in response.json()
        assert await snapshot() == before
