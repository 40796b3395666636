"""GET/PATCH /api/plugins, the catalogue of enabled plugins' types, and layouts that keep a
disabled plugin's widgets."""

import pytest

from deskboard.db import Database
from tests.plugins.conftest import ClientAs, enable

NOTE = {"id": "n1", "type": "fixture-note", "x": 0, "y": 0, "w": 2, "h": 2, "settings": {}}


async def test_only_admins_read_or_change_plugins(plugin_client_as: ClientAs, plugin_client):
    assert (await plugin_client.get("/api/plugins")).status_code == 401
    for role in ("agent", "user", "guest"):
        http = await plugin_client_as(role)
        assert (await http.get("/api/plugins")).status_code == 403
        answer = await http.patch("/api/plugins/fixture", json={"enabled": True})
        assert answer.status_code == 403


async def test_the_list_shows_every_installed_plugin_with_its_status(plugin_client_as: ClientAs):
    admin = await plugin_client_as("admin")
    answer = await admin.get("/api/plugins")
    assert answer.status_code == 200
    by_name = {item["name"]: item for item in answer.json()}
    fixture = by_name["fixture"]
    assert fixture == {
        "name": "fixture",
        "title": "Fixture",
        "distribution": "deskboard-fixture-ok",
        "version": "1.2.3",
        "plugin_api": ">=1,<2",
        "widget_types": ["fixture-note"],
        "permissions": ["tickets:read"],
        "actions": {
            "fixture:read": ["admin", "agent", "user", "guest"],
            "fixture:write": ["admin"],
        },
        "iframe": False,
        "iframe_forced": False,
        "status": "disabled",  # a newly installed third-party plugin starts disabled
        "error": None,
    }
    assert by_name["wrong-api"]["status"] == "incompatible"
    assert by_name["import-fails"]["status"] == "failed"
    assert by_name["import-fails"]["error"].startswith("import failed")
    assert by_name["import-fails"]["plugin_api"] is None


async def test_enabling_shows_the_types_in_the_catalogue_with_their_front_end(
    plugin_client_as: ClientAs,
):
    admin = await plugin_client_as("admin")
    types = {t["type"] for t in (await admin.get("/api/widgets")).json()}
    assert "fixture-note" not in types and "ticket-list" in types
    answer = await admin.patch("/api/plugins/fixture", json={"enabled": True})
    assert answer.status_code == 200 and answer.json()["status"] == "ok"
    user = await plugin_client_as("user")
    catalogue = {t["type"]: t for t in (await user.get("/api/widgets")).json()}
    assert catalogue["ticket-list"]["source"] == "builtin"
    assert "frontend" not in catalogue["ticket-list"]
    note = catalogue["fixture-note"]
    assert note["source"] == "fixture"
    assert note["frontend"] == {
        "module": "/plugins/fixture/1.2.3/widget.js",
        "css": ["/plugins/fixture/1.2.3/widget.css"],
        "mode": "inpage",
        "plugin": "fixture",
        "version": "1.2.3",
        "api_prefix": "/api/plugins/fixture/",
        "core_reads": ["/api/auth/me", "/api/tickets"],
        "events": ["plugin.fixture.", "ticket."],
    }


async def test_an_admin_may_force_the_iframe(plugin_client_as: ClientAs):
    admin = await plugin_client_as("admin")
    answer = await admin.patch(
        "/api/plugins/fixture", json={"enabled": True, "iframe_forced": True}
    )
    assert answer.json()["iframe_forced"] is True
    note = next(t for t in (await admin.get("/api/widgets")).json() if t["type"] == "fixture-note")
    assert note["frontend"]["mode"] == "iframe"
    assert note["frontend"]["frame"] == "/plugins/fixture/1.2.3/frame.html"


@pytest.mark.parametrize(
    "body",
    [{"enabled": "yes"}, {"enabled": 1}, {"colour": "red"}, [], "x", {"enabled": True, "x": 1}],
)
async def test_a_bad_patch_is_422_and_changes_nothing(plugin_client_as: ClientAs, body: object):
    admin = await plugin_client_as("admin")
    assert (await admin.patch("/api/plugins/fixture", json=body)).status_code == 422
    listed = {p["name"]: p for p in (await admin.get("/api/plugins")).json()}
    assert listed["fixture"]["status"] == "disabled"


async def test_unknown_or_unusable_plugins_cannot_be_enabled(plugin_client_as: ClientAs):
    admin = await plugin_client_as("admin")
    assert (await admin.patch("/api/plugins/nope", json={"enabled": True})).status_code == 404
    for name in ("import-fails", "wrong-api", "clash", "bad-schema"):
        answer = await admin.patch(f"/api/plugins/{name}", json={"enabled": True})
        assert answer.status_code == 409, name
    # Disabling one that cannot run is harmless.
    answer = await admin.patch("/api/plugins/wrong-api", json={"enabled": False})
    assert answer.status_code == 200 and answer.json()["status"] == "incompatible"


async def test_disabling_keeps_placed_widgets_and_enabling_brings_the_type_back(
    plugin_client_as: ClientAs, database: Database
):
    await enable(database, "fixture")
    user = await plugin_client_as("user")
    admin = await plugin_client_as("admin")
    uid = user.user.id  # type: ignore[attr-defined]
    created = await user.post(f"/api/layout/{uid}", json={"widgets": [NOTE]})
    assert created.status_code == 201, created.text
    assert (await admin.patch("/api/plugins/fixture", json={"enabled": False})).status_code == 200
    assert "fixture-note" not in {t["type"] for t in (await user.get("/api/widgets")).json()}
    stored = (await user.get(f"/api/layout/{uid}")).json()
    assert [w["type"] for w in stored["widgets"]] == ["fixture-note"]
    # Moving another widget keeps the unavailable one: validation neither rejects nor drops it.
    kpi = {
        "id": "k1",
        "type": "kpi",
        "x": 4,
        "y": 0,
        "w": 2,
        "h": 2,
        "settings": {"metric": "open"},
    }
    saved = await user.put(
        f"/api/layout/{uid}", json={**stored, "widgets": [*stored["widgets"], kpi]}
    )
    assert saved.status_code == 200, saved.text
    assert [w["id"] for w in saved.json()["widgets"]] == ["n1", "k1"]
    assert (await admin.patch("/api/plugins/fixture", json={"enabled": True})).status_code == 200
    assert "fixture-note" in {t["type"] for t in (await user.get("/api/widgets")).json()}
    assert [w["id"] for w in (await user.get(f"/api/layout/{uid}")).json()["widgets"]] == [
        "n1",
        "k1",
    ]


async def _plugin_audit(admin, name: str) -> list[dict]:
    answer = await admin.get("/api/audit", params={"entity_type": "plugin", "entity_id": name})
    assert answer.status_code == 200, answer.text
    return list(reversed(answer.json()["items"]))  # oldest first


async def test_enabling_and_disabling_are_audited_with_who_and_from_to(
    plugin_client_as: ClientAs,
):
    admin = await plugin_client_as("admin")
    who = (admin.user.id, admin.user.name)  # type: ignore[attr-defined]
    assert (await admin.patch("/api/plugins/fixture", json={"enabled": True})).status_code == 200
    assert (await admin.patch("/api/plugins/fixture", json={"enabled": True})).status_code == 200
    forced = await admin.patch("/api/plugins/fixture", json={"iframe_forced": True})
    assert forced.status_code == 200
    assert (await admin.patch("/api/plugins/fixture", json={"enabled": False})).status_code == 200
    # Refused changes write nothing.
    assert (await admin.patch("/api/plugins/fixture", json={"enabled": 1})).status_code == 422
    assert (await admin.patch("/api/plugins/wrong-api", json={"enabled": True})).status_code == 409

    entries = await _plugin_audit(admin, "fixture")
    off = {"enabled": False, "iframe_forced": False, "version": "1.2.3"}
    on = {**off, "enabled": True}
    on_forced = {**on, "iframe_forced": True}
    assert [
        (e["action"], (e["actor_id"], e["actor_name"]), e["before"], e["after"]) for e in entries
    ] == [
        # The repeated enable changed nothing: no entry.
        ("plugin.update", who, off, on),
        ("plugin.update", who, on, on_forced),
        ("plugin.update", who, on_forced, {**off, "iframe_forced": True}),
    ]
    assert await _plugin_audit(admin, "wrong-api") == []
