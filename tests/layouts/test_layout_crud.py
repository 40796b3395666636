"""The seed's four endpoints: GET / POST / PUT / DELETE widget, with `me` and ids."""

from sqlalchemy import select

from deskboard.audit.models import AuditEntry
from tests.layouts.helpers import document, starter, widget


async def test_get_without_saved_layout_is_404(as_user):
    response = await as_user.get("/api/layout/me")
    assert response.status_code == 404
    assert response.json()["detail"]


async def test_post_creates_version_one_and_get_returns_it(as_user):
    created = await as_user.post("/api/layout/me", json=starter())
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["user_id"] == as_user.user.id
    assert body["version"] == 1
    assert body["schema_version"] == 2
    assert body["updated_at"].endswith("Z")
    assert [w["id"] for w in body["widgets"]] == ["w1", "w2", "w3"]
    assert body["widgets"][1]["type_version"] == 2  # stored with the type's current version
    fetched = await as_user.get("/api/layout/me")
    assert fetched.json() == body
    by_id = await as_user.get(f"/api/layout/{as_user.user.id}")
    assert by_id.json() == body


async def test_post_when_one_exists_is_409_with_current(as_user):
    first = (await as_user.post("/api/layout/me", json=starter())).json()
    again = await as_user.post("/api/layout/me", json=document())
    assert again.status_code == 409
    assert again.json()["current"]["version"] == 1
    assert again.json()["current"]["widgets"] == first["widgets"]


async def test_put_with_current_version_bumps_version(as_user):
    await as_user.post("/api/layout/me", json=starter())
    edited = starter()
    edited["version"] = 1
    edited["widgets"][2]["settings"]["markdown"] = "changed"
    response = await as_user.put("/api/layout/me", json=edited)
    assert response.status_code == 200, response.text
    assert response.json()["version"] == 2
    assert response.json()["widgets"][2]["settings"]["markdown"] == "changed"
    assert (await as_user.get("/api/layout/me")).json()["version"] == 2


async def test_put_with_stale_version_is_409_and_changes_nothing(as_user):
    await as_user.post("/api/layout/me", json=starter())
    first_edit = starter() | {"version": 1}
    assert (await as_user.put("/api/layout/me", json=first_edit)).status_code == 200
    stale = document(widget("other"), version=1)
    response = await as_user.put("/api/layout/me", json=stale)
    assert response.status_code == 409
    body = response.json()
    assert set(body) == {"detail", "current"}
    assert body["current"]["version"] == 2
    assert [w["id"] for w in body["current"]["widgets"]] == ["w1", "w2", "w3"]
    assert (await as_user.get("/api/layout/me")).json()["version"] == 2


async def test_put_without_version_is_422(as_user):
    await as_user.post("/api/layout/me", json=starter())
    response = await as_user.put("/api/layout/me", json=starter())
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "version"]


async def test_put_before_any_post_is_404(as_user):
    response = await as_user.put("/api/layout/me", json=starter() | {"version": 1})
    assert response.status_code == 404


async def test_delete_widget_returns_new_versioned_document(as_user):
    await as_user.post("/api/layout/me", json=starter())
    response = await as_user.delete("/api/layout/me/w2")
    assert response.status_code == 200, response.text
    assert response.json()["version"] == 2
    assert [w["id"] for w in response.json()["widgets"]] == ["w1", "w3"]
    history = (await as_user.get("/api/layout/me/history")).json()["items"]
    assert [entry["version"] for entry in history] == [2, 1]
    assert history[0]["widget_count"] == 2


async def test_delete_unknown_widget_is_404_and_changes_nothing(as_user):
    await as_user.post("/api/layout/me", json=starter())
    response = await as_user.delete("/api/layout/me/nope")
    assert response.status_code == 404
    assert (await as_user.get("/api/layout/me")).json()["version"] == 1


async def test_delete_widget_without_layout_is_404(as_user):
    assert (await as_user.delete("/api/layout/me/w1")).status_code == 404


async def test_unknown_user_reference_is_404(as_admin):
    assert (await as_admin.get("/api/layout/999999")).status_code == 404
    assert (await as_admin.get("/api/layout/not-a-number")).status_code == 404
    assert (await as_admin.post("/api/layout/999999", json=starter())).status_code == 404


async def test_writes_publish_layout_updated_to_owner_with_origin(as_user, published):
    headers = {"X-Client-Id": "tab-1"}
    await as_user.post("/api/layout/me", json=starter(), headers=headers)
    await as_user.put("/api/layout/me", json=starter() | {"version": 1})
    await as_user.delete("/api/layout/me/w3", headers=headers)
    layout_events = [e for e in published if e.type == "layout.updated"]
    assert [e.data["version"] for e in layout_events] == [1, 2, 3]
    assert [e.origin for e in layout_events] == ["tab-1", None, "tab-1"]
    assert all(e.audience.user_ids == frozenset({as_user.user.id}) for e in layout_events)
    assert all(not e.audience.roles for e in layout_events)
    last = layout_events[-1].data
    assert last["user_id"] == as_user.user.id
    assert [w["id"] for w in last["document"]["widgets"]] == ["w1", "w2"]


async def test_rejected_write_publishes_nothing(as_user, published):
    await as_user.post("/api/layout/me", json=starter())
    published.clear()
    await as_user.put("/api/layout/me", json=starter() | {"version": 7})
    await as_user.put("/api/layout/me", json=document(widget("bad", "nope"), version=1))
    assert [e for e in published if e.type == "layout.updated"] == []


async def test_every_change_is_audited_with_before_and_after(as_user, database):
    await as_user.post("/api/layout/me", json=starter())
    await as_user.put("/api/layout/me", json=starter() | {"version": 1})
    await as_user.delete("/api/layout/me/w1")
    await as_user.post("/api/layout/me/restore", json={"version": 1})
    async with database.unit_of_work() as session:
        entries = (
            await session.scalars(
                select(AuditEntry).where(AuditEntry.entity_type == "layout").order_by(AuditEntry.id)
            )
        ).all()
    assert [e.action for e in entries] == [
        "layout.create",
        "layout.update",
        "layout.widget_remove",
        "layout.restore",
    ]
    assert all(e.actor_id == as_user.user.id for e in entries)
    assert all(e.entity_id == str(as_user.user.id) for e in entries)
    assert entries[0].before is None
    assert entries[0].after["version"] == 1
    assert entries[2].before["version"] == 2 and entries[2].after["version"] == 3
    assert len(entries[2].before["widgets"]) == 3 and len(entries[2].after["widgets"]) == 2
    assert entries[3].after["version"] == 4
