"""Role templates: built-in defaults, admin edits validated like layouts, audited."""

import pytest
from sqlalchemy import select

from deskboard.audit.models import AuditEntry
from deskboard.auth.roles import Role
from deskboard.layouts.defaults import default_template
from deskboard.layouts.validation import validate_content
from deskboard.widgets.registry import get_registry
from tests.layouts.helpers import document, starter, widget


@pytest.mark.parametrize("role", list(Role))
def test_builtin_templates_are_valid_layouts(role):
    content = validate_content(default_template(role), registry=get_registry()).content
    assert content["widgets"]


def _types(template: dict) -> set[str]:
    return {w["type"] for w in template["widgets"]}


async def test_each_role_reads_a_sensible_default(client_as):
    expected = {
        "agent": {"ticket-list", "kpi", "workload", "notifications", "chart"},
        "user": {"ticket-list", "new-ticket", "notifications"},
        "admin": {"ticket-list", "kpi", "workload", "notifications", "chart", "ageing", "activity"},
        "guest": {"ticket-list", "note"},
    }
    for role, types in expected.items():
        actor = await client_as(role)
        body = (await actor.get(f"/api/layout-templates/{role}")).json()
        assert body["is_default"] is True
        assert body["updated_at"] is None and body["updated_by"] is None
        assert body["schema_version"] == 2
        assert _types(body) == types


async def test_user_template_lists_own_tickets(as_user):
    body = (await as_user.get("/api/layout-templates/user")).json()
    lists = [w for w in body["widgets"] if w["type"] == "ticket-list"]
    assert lists[0]["settings"]["filters"] == {"requester_id": ["me"]}


async def test_admin_saves_a_template_that_people_then_read(as_admin, as_agent, database):
    saved = await as_admin.put("/api/layout-templates/agent", json=starter())
    assert saved.status_code == 200, saved.text
    body = (await as_agent.get("/api/layout-templates/agent")).json()
    assert body["is_default"] is False
    assert body["updated_by"] == as_admin.user.id
    assert [w["id"] for w in body["widgets"]] == ["w1", "w2", "w3"]
    # echoing back what GET returned is accepted
    again = await as_admin.put("/api/layout-templates/agent", json=body)
    assert again.status_code == 200, again.text
    async with database.unit_of_work() as session:
        entries = (
            await session.scalars(
                select(AuditEntry).where(AuditEntry.entity_type == "layout_template")
            )
        ).all()
    assert len(entries) == 2
    assert entries[0].before["is_default"] is True
    assert entries[0].after["widgets"][0]["id"] == "w1"


async def test_bad_template_is_422_and_leaves_the_old_one(as_admin):
    bad = document(widget("a", "note", 0, 0, 3, 3), widget("b", "note", 1, 1, 3, 3))
    response = await as_admin.put("/api/layout-templates/user", json=bad)
    assert response.status_code == 422
    assert response.json()["detail"][0]["widget_id"] == "b"
    assert (await as_admin.get("/api/layout-templates/user")).json()["is_default"] is True


async def test_unknown_role_is_422(as_admin):
    assert (await as_admin.get("/api/layout-templates/owner")).status_code == 422


async def test_first_save_from_template_flow(as_agent):
    """The UI's path: GET /me is 404, read the role template, POST it as one's own."""
    assert (await as_agent.get("/api/layout/me")).status_code == 404
    template = (await as_agent.get("/api/layout-templates/agent")).json()
    body = {"grid": template["grid"], "widgets": template["widgets"]}
    created = await as_agent.post("/api/layout/me", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["widgets"] == template["widgets"]
