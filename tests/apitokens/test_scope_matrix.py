"""Every API route x every scope set: a token reaches only the ticket actions its scopes name;
all else (layouts, users, views, analytics, admin screens, the token API itself) is a 403."""

import re

import pytest

from deskboard.app import create_app
from deskboard.config import get_settings

PUBLIC = {"/api/auth/login", "/api/auth/refresh", "/api/auth/logout", "/api/auth/register"}
READ = {
    ("GET", "/api/tickets"),
    ("GET", "/api/tickets/{ticket_id}"),
    ("GET", "/api/tickets/{ticket_id}/comments"),
    ("GET", "/api/tickets/{ticket_id}/history"),
    ("GET", "/api/tickets/{ticket_id}/attachments"),
    ("GET", "/api/attachments/{attachment_id}"),
}
WRITE = {
    ("POST", "/api/tickets"),
    ("PUT", "/api/tickets/{ticket_id}"),
    ("POST", "/api/tickets/{ticket_id}/comments"),
    ("POST", "/api/tickets/{ticket_id}/attachments"),
    ("POST", "/api/attachments"),
    ("DELETE", "/api/attachments/{attachment_id}"),
}
SCOPE_SETS = {
    "read": (["tickets:read"], READ),
    "write": (["tickets:write"], WRITE),
    "read+write": (["tickets:read", "tickets:write"], READ | WRITE),
}


def _routes() -> list[tuple[str, str]]:
    """Every documented API operation (the OpenAPI paths: what an integration can call)."""
    paths = create_app(get_settings()).openapi()["paths"]
    return sorted(
        (method.upper(), path)
        for path, operations in paths.items()
        if path.startswith("/api/") and path not in PUBLIC
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    )


ROUTES = _routes()


def test_the_matrix_covers_the_ticket_routes_and_others():
    assert set(ROUTES) >= READ | WRITE
    assert len(ROUTES) > 40  # every router's routes, not a hand-picked few


@pytest.mark.parametrize("scope_set", sorted(SCOPE_SETS))
async def test_a_token_reaches_exactly_the_routes_its_scopes_name(
    scope_set, make_token, token_client, as_agent
):
    scopes, allowed = SCOPE_SETS[scope_set]
    ticket = (await as_agent.post("/api/tickets", json={"title": "Probe"})).json()
    http = token_client((await make_token(*scopes))["token"])
    bodies = {
        ("POST", "/api/tickets"): {"title": "From the token"},
        ("PUT", "/api/tickets/{ticket_id}"): {"priority": "high", "version": ticket["version"]},
        ("POST", "/api/tickets/{ticket_id}/comments"): {"body": "From the token"},
    }
    wrong = []
    for method, path in ROUTES:
        url = re.sub(r"\{[^}]+\}", str(ticket["id"]), path)
        if "{userId}" in path or "{user_id}" in path:
            url = re.sub(r"\{[^}]+\}", "me", path)
        response = await http.request(method, url, json=bodies.get((method, path), {}))
        reached = response.status_code not in (401, 403)
        if reached != ((method, path) in allowed):
            wrong.append((method, path, response.status_code))
    assert wrong == []
