"""Saved views: personal and shared queues, who may see and change them, and validation."""

import asyncio
from datetime import datetime

import pytest

from deskboard.db import Database
from deskboard.views.models import SavedView
from deskboard.views.service import MAX_VIEWS_PER_OWNER
from tests.matrix import Endpoint, cells, client_for, expect
from tests.views.conftest import view_names

QUEUE = {
    "name": "Urgent network",
    "filter": {
        "status": ["open", "pending"],
        "priority": ["urgent"],
        "assignee_id": ["me", "none"],
        "tag": ["network"],
        "q": "router",
        "created": {"from": "2026-11-01", "to": None},
        "overdue": True,
    },
    "columns": ["number", "title", "priority", "channel", "due_at", "overdue"],
    "sort": "due_at",
}


async def test_an_agent_saves_a_personal_view(as_agent, make_view):
    view = await make_view(as_agent, **QUEUE)
    assert view["name"] == "Urgent network"
    assert view["filter"] == {
        **QUEUE["filter"],
        "requester_id": None,
        "team_id": None,
        "sla": None,
        "channel": None,
    }
    assert view["columns"] == QUEUE["columns"]
    assert view["sort"] == "due_at"
    assert view["shared"] is False
    assert view["editable"] is True
    assert view["owner"] == {"id": as_agent.user.id, "name": as_agent.user.name}
    listed = (await as_agent.get("/api/views")).json()
    assert listed == [view]


async def test_defaults_columns_sort_and_an_empty_filter(as_agent, make_view):
    view = await make_view(as_agent, name="Everything")
    assert view["columns"] == ["number", "title", "status", "priority", "assignee", "updated_at"]
    assert view["sort"] == "-updated_at"
    assert view["shared"] is False
    assert all(value is None for value in view["filter"].values())


async def test_the_filter_round_trips_in_the_list_apis_format(as_agent, make_view, database):
    view = await make_view(as_agent, **QUEUE)
    async with database.sessionmaker() as session:
        stored = await session.get(SavedView, view["id"])
        assert stored is not None
        # Stored by alias and without empty fields: what GET /api/tickets?filter= takes.
        assert stored.filter == {**QUEUE["filter"], "created": {"from": "2026-11-01"}}


async def test_the_list_shows_my_views_first_then_shared_ones_by_name(
    as_agent, client_as, make_view
):
    colleague = await client_as("agent")
    await make_view(colleague, "alpha (shared)", shared=True)
    await make_view(colleague, "hidden (personal)")
    await make_view(as_agent, "zeta")
    await make_view(as_agent, "Beta")
    assert await view_names(as_agent) == ["Beta", "zeta", "alpha (shared)"]
    assert await view_names(colleague) == ["alpha (shared)", "hidden (personal)"]


async def test_put_changes_only_the_fields_sent(as_agent, make_view):
    view = await make_view(as_agent, **QUEUE)
    response = await as_agent.put(
        f"/api/views/{view['id']}", json={"name": "  Renamed  ", "sort": "-priority"}
    )
    assert response.status_code == 200, response.text
    changed = response.json()
    assert changed["name"] == "Renamed"
    assert changed["sort"] == "-priority"
    assert (changed["filter"], changed["columns"]) == (view["filter"], view["columns"])
    updated = datetime.fromisoformat(changed["updated_at"])
    assert updated >= datetime.fromisoformat(view["updated_at"])
    assert changed["created_at"] == view["created_at"]


async def test_put_replaces_the_filter_as_a_whole(as_agent, make_view):
    view = await make_view(as_agent, **QUEUE)
    response = await as_agent.put(f"/api/views/{view['id']}", json={"filter": {"tag": ["vip"]}})
    assert response.status_code == 200
    assert {k: v for k, v in response.json()["filter"].items() if v is not None} == {"tag": ["vip"]}


async def test_delete(as_agent, make_view):
    view = await make_view(as_agent)
    assert (await as_agent.delete(f"/api/views/{view['id']}")).status_code == 204
    assert await view_names(as_agent) == []
    assert (await as_agent.delete(f"/api/views/{view['id']}")).status_code == 404
    assert (await as_agent.put(f"/api/views/{view['id']}", json={"name": "x"})).status_code == 404


async def test_concurrent_deletes_of_one_view_delete_it_once(as_agent, make_view):
    view = await make_view(as_agent)
    responses = await asyncio.gather(
        *(as_agent.delete(f"/api/views/{view['id']}") for _ in range(8))
    )
    assert sorted(r.status_code for r in responses) == [204] + [404] * 7


async def test_a_shared_view_is_seen_by_the_team_but_changed_only_by_its_owner(
    as_agent, client_as, make_view, stored_views
):
    colleague = await client_as("agent")
    view = await make_view(as_agent, "Team queue", shared=True, filter={"status": ["open"]})
    seen = (await colleague.get("/api/views")).json()
    assert [(v["id"], v["editable"], v["owner"]["id"]) for v in seen] == [
        (view["id"], False, as_agent.user.id)
    ]
    before = await stored_views()
    put = await colleague.put(f"/api/views/{view['id']}", json={"name": "Mine now"})
    assert put.status_code == 403
    assert (await colleague.delete(f"/api/views/{view['id']}")).status_code == 403
    assert await stored_views() == before


async def test_anothers_personal_view_does_not_exist_for_me(
    as_agent, client_as, make_view, stored_views
):
    colleague = await client_as("agent")
    view = await make_view(as_agent, "Private")
    before = await stored_views()
    assert await view_names(colleague) == []
    assert (await colleague.put(f"/api/views/{view['id']}", json={"name": "x"})).status_code == 404
    assert (await colleague.delete(f"/api/views/{view['id']}")).status_code == 404
    assert await stored_views() == before


async def test_unsharing_hides_the_view_from_the_team(as_agent, client_as, make_view):
    colleague = await client_as("agent")
    view = await make_view(as_agent, "Team queue", shared=True)
    response = await as_agent.put(f"/api/views/{view['id']}", json={"shared": False})
    assert response.status_code == 200 and response.json()["shared"] is False
    assert await view_names(colleague) == []


async def test_an_admin_may_change_and_delete_anyones_view(as_admin, as_agent, make_view):
    shared = await make_view(as_agent, "Team queue", shared=True)
    personal = await make_view(as_agent, "Private")
    assert [(v["name"], v["editable"]) for v in (await as_admin.get("/api/views")).json()] == [
        ("Team queue", True)
    ]
    response = await as_admin.put(f"/api/views/{personal['id']}", json={"name": "Tidied"})
    assert response.status_code == 200
    assert response.json()["owner"]["id"] == as_agent.user.id  # the owner stays
    assert (await as_admin.delete(f"/api/views/{shared['id']}")).status_code == 204
    assert await view_names(as_agent) == ["Tidied"]


async def test_a_requester_keeps_personal_views_and_never_sees_the_teams(
    as_agent, as_user, make_view, stored_views
):
    await make_view(as_agent, "Team queue", shared=True)
    own = await make_view(as_user, "My open tickets", filter={"status": ["open"]})
    assert own["editable"] is True
    assert await view_names(as_user) == ["My open tickets"]

    before = await stored_views()
    shared = await as_user.post("/api/views", json={"name": "For all", "shared": True})
    assert shared.status_code == 403
    share_own = await as_user.put(f"/api/views/{own['id']}", json={"shared": True})
    assert share_own.status_code == 403
    assert await stored_views() == before


async def test_a_guest_reads_an_empty_list_and_writes_nothing(
    as_agent, as_guest, make_view, stored_views
):
    view = await make_view(as_agent, "Team queue", shared=True)
    before = await stored_views()
    assert (await as_guest.get("/api/views")).json() == []
    assert (await as_guest.post("/api/views", json={"name": "Mine"})).status_code == 403
    assert (await as_guest.put(f"/api/views/{view['id']}", json={"name": "x"})).status_code == 403
    assert (await as_guest.delete(f"/api/views/{view['id']}")).status_code == 403
    assert await stored_views() == before


ROWS = [
    Endpoint("GET", "/api/views", expect(admin=200, agent=200, user=200, guest=200)),
    Endpoint(
        "POST", "/api/views", expect(admin=201, agent=201, user=201, guest=403), {"name": "V"}
    ),
    Endpoint(
        "POST",
        "/api/views",
        expect(admin=201, agent=201, user=403, guest=403),
        {"name": "V", "shared": True},
    ),
    Endpoint("PUT", "/api/views/999", expect(admin=404, agent=404, user=404, guest=403), {}),
    Endpoint("DELETE", "/api/views/999", expect(admin=404, agent=404, user=404, guest=403)),
]


@pytest.mark.parametrize(("role", "endpoint", "status"), cells(ROWS))
async def test_role_matrix(role, endpoint, status, client, client_as):
    http = await client_for(role, client, client_as)
    assert (await endpoint.call(http)).status_code == status


BAD_BODIES = [
    ({"name": ""}, "name"),
    ({"name": "   "}, "name"),
    ({"name": "x" * 81}, "name"),
    ({"name": "nul\x00byte"}, "name"),
    ({"name": None}, "name"),
    ({"name": 7}, "name"),
    ({"filter": {"status": ["bogus"]}}, "filter"),
    ({"filter": {"priority": "urgent"}}, "filter"),
    ({"filter": {"assignee_id": ["someone"]}}, "filter"),
    ({"filter": {"assignee_id": [0]}}, "filter"),
    ({"filter": {"created": {"from": "yesterday"}}}, "filter"),
    ({"filter": {"colour": "red"}}, "filter"),
    ({"filter": "status=open"}, "filter"),
    ({"filter": None}, "filter"),
    ({"columns": ["number", "bogus"]}, "columns"),
    ({"columns": []}, "columns"),
    ({"columns": ["title", "title"]}, "columns"),
    ({"columns": None}, "columns"),
    ({"sort": "-bogus"}, "sort"),
    ({"sort": "title"}, "sort"),
    ({"sort": None}, "sort"),
    ({"shared": "yes"}, "shared"),
    ({"shared": None}, "shared"),
    ({"owner_id": 1}, "owner_id"),
]


@pytest.mark.parametrize(("body", "field"), BAD_BODIES)
async def test_a_bad_update_is_422_naming_the_field_and_changes_nothing(
    as_agent, make_view, stored_views, body, field
):
    view = await make_view(as_agent, **QUEUE)
    before = await stored_views()
    response = await as_agent.put(f"/api/views/{view['id']}", json=body)
    assert response.status_code == 422, response.text
    assert any(field in map(str, error["loc"]) for error in response.json()["detail"]) or (
        # A null for a required field is reported by the model's own check.
        body[field] is None
    ), response.json()
    assert await stored_views() == before


@pytest.mark.parametrize(("body", "field"), [(b, f) for b, f in BAD_BODIES if b.get(f) is not None])
async def test_a_bad_new_view_is_422_and_stores_nothing(as_agent, stored_views, body, field):
    response = await as_agent.post("/api/views", json={"name": "Queue", **body})
    assert response.status_code == 422, response.text
    assert any(field in map(str, error["loc"]) for error in response.json()["detail"])
    assert await stored_views() == []


async def test_a_name_of_the_longest_length_is_kept(as_agent, make_view):
    assert (await make_view(as_agent, "x" * 80))["name"] == "x" * 80


async def test_a_body_that_is_not_an_object_is_422(as_agent):
    assert (await as_agent.post("/api/views", json=["name"])).status_code == 422
    assert (
        await as_agent.post(
            "/api/views", content=b"{", headers={"content-type": "application/json"}
        )
    ).status_code == 422


@pytest.mark.parametrize("view_id", ["0", "-1", "abc", "99999999999"])
async def test_a_bad_view_id_is_422(as_agent, view_id):
    assert (await as_agent.put(f"/api/views/{view_id}", json={"name": "x"})).status_code == 422
    assert (await as_agent.delete(f"/api/views/{view_id}")).status_code == 422


async def test_one_person_owns_a_bounded_number_of_views(
    as_agent, database: Database, stored_views
):
    async with database.unit_of_work() as session:
        session.add_all(
            SavedView(owner_id=as_agent.user.id, name=f"v{i}", filter={}, columns=["title"],
                      sort="-updated_at", shared=False)
            for i in range(MAX_VIEWS_PER_OWNER)
        )  # fmt: skip
    before = await stored_views()
    response = await as_agent.post("/api/views", json={"name": "One too many"})
    assert response.status_code == 422
    assert "delete one first" in response.json()["detail"][0]["msg"]
    assert await stored_views() == before
