"""A disabled plugin's widget types (and those of a plugin that cannot run) are refused where a
write would place them anew, on every layout write path; widgets already placed stay, movable,
and come back when the plugin is enabled."""

from typing import Any

import httpx

from deskboard.db import Database
from deskboard.layouts.models import Layout, LayoutVersion
from tests.plugins.conftest import ClientAs, enable


def _note(widget_id: str = "n1", x: int = 0, text: str = "kept") -> dict[str, Any]:
    return {
        "id": widget_id,
        "type": "fixture-note",
        "x": x,
        "y": 0,
        "w": 2,
        "h": 2,
        "settings": {"text": text},
    }


def _kpi(widget_id: str = "k1", x: int = 4) -> dict[str, Any]:
    return {
        "id": widget_id,
        "type": "kpi",
        "x": x,
        "y": 0,
        "w": 2,
        "h": 2,
        "settings": {"metric": "open"},
    }


async def _set_enabled(admin: httpx.AsyncClient, enabled: bool) -> None:
    answer = await admin.patch("/api/plugins/fixture", json={"enabled": enabled})
    assert answer.status_code == 200, answer.text


def _refusal(answer: httpx.Response) -> list[dict[str, Any]]:
    assert answer.status_code == 422, answer.text
    detail = answer.json()["detail"]
    assert all(error["type"] == "widget_unavailable" for error in detail), detail
    return list(detail)


async def test_a_new_widget_of_a_disabled_plugin_is_refused_and_placed_ones_stay(
    plugin_client_as: ClientAs, database: Database
):
    await enable(database, "fixture")
    admin = await plugin_client_as("admin")
    user = await plugin_client_as("user")
    created = await user.post("/api/layout/me", json={"widgets": [_note()]})
    assert created.status_code == 201, created.text
    await _set_enabled(admin, False)
    stored = (await user.get("/api/layout/me")).json()

    # A second note, new: refused, named, and nothing is written.
    answer = await user.put(
        "/api/layout/me", json={**stored, "widgets": [*stored["widgets"], _note("n2", x=6)]}
    )
    [error] = _refusal(answer)
    assert error["widget_id"] == "n2" and error["loc"] == ["body", "widgets", 1, "type"]
    assert "'n2'" in error["msg"] and "plugin 'fixture' is disabled" in error["msg"]
    # An existing widget turned into the disabled type is new too.
    retyped = {**_kpi("k9"), "type": "fixture-note", "settings": {}}
    answer = await user.put(
        "/api/layout/me", json={**stored, "widgets": [*stored["widgets"], retyped]}
    )
    assert _refusal(answer)[0]["widget_id"] == "k9"
    # The placed one cannot be reconfigured while its plugin is off ...
    reconfigured = {**stored["widgets"][0], "settings": {"text": "changed"}}
    answer = await user.put("/api/layout/me", json={**stored, "widgets": [reconfigured]})
    assert _refusal(answer)[0]["loc"] == ["body", "widgets", 0, "settings"]
    after = (await user.get("/api/layout/me")).json()
    assert after["version"] == stored["version"] and after["widgets"] == stored["widgets"]

    # ... but it stays through other edits, and may move.
    moved = {**stored["widgets"][0], "x": 8}
    saved = await user.put("/api/layout/me", json={**stored, "widgets": [moved, _kpi()]})
    assert saved.status_code == 200, saved.text
    assert saved.json()["widgets"][0] == {**moved, "type_version": 1}
    removed = await user.delete("/api/layout/me/k1")
    assert removed.status_code == 200, removed.text
    assert [w["id"] for w in removed.json()["widgets"]] == ["n1"]

    # Enabled again: the placement is back in the gallery's types, and new notes are welcome.
    await _set_enabled(admin, True)
    assert "fixture-note" in {t["type"] for t in (await user.get("/api/widgets")).json()}
    current = removed.json()
    saved = await user.put(
        "/api/layout/me",
        json={**current, "widgets": [*current["widgets"], _note("n2", x=0, text="new")]},
    )
    assert saved.status_code == 200, saved.text
    assert [(w["id"], w["settings"]) for w in saved.json()["widgets"]] == [
        ("n1", {"text": "kept"}),
        ("n2", {"text": "new"}),
    ]


async def test_a_first_layout_may_hold_only_what_the_role_template_placed(
    plugin_client_as: ClientAs, database: Database
):
    await enable(database, "fixture")
    admin = await plugin_client_as("admin")
    template = {"widgets": [_note("t1"), _kpi()]}
    assert (await admin.put("/api/layout-templates/user", json=template)).status_code == 200
    await _set_enabled(admin, False)

    newcomer = await plugin_client_as("user")
    # What the front end does for a new person: save the role's template as the first layout.
    starting = (await newcomer.get("/api/layout-templates/user")).json()
    created = await newcomer.post(
        "/api/layout/me", json={"grid": starting["grid"], "widgets": starting["widgets"]}
    )
    assert created.status_code == 201, created.text
    assert [w["id"] for w in created.json()["widgets"]] == ["t1", "k1"]

    other = await plugin_client_as("user")
    answer = await other.post("/api/layout/me", json={"widgets": [_note("mine")]})
    assert _refusal(answer)[0]["widget_id"] == "mine"
    assert (await other.get("/api/layout/me")).status_code == 404
    # An agent's template holds no note: the user template's note is new there.
    agent = await plugin_client_as("agent")
    answer = await agent.post("/api/layout/me", json={"widgets": [_note("t1")]})
    assert _refusal(answer)[0]["widget_id"] == "t1"


async def test_a_template_keeps_its_placed_widgets_and_refuses_new_ones(
    plugin_client_as: ClientAs, database: Database
):
    await enable(database, "fixture")
    admin = await plugin_client_as("admin")
    put = await admin.put("/api/layout-templates/agent", json={"widgets": [_note("t1")]})
    assert put.status_code == 200, put.text
    await _set_enabled(admin, False)
    answer = await admin.put(
        "/api/layout-templates/agent", json={"widgets": [_note("t1"), _note("t2", x=4)]}
    )
    assert _refusal(answer)[0]["widget_id"] == "t2"
    template = (await admin.get("/api/layout-templates/agent")).json()
    assert [w["id"] for w in template["widgets"]] == ["t1"]
    kept = await admin.put(
        "/api/layout-templates/agent", json={"widgets": [{**_note("t1"), "y": 3}, _kpi()]}
    )
    assert kept.status_code == 200, kept.text
    # A role with no saved template starts from the built-in one: nothing of the plugin's.
    answer = await admin.put("/api/layout-templates/guest", json={"widgets": [_note("t1")]})
    assert _refusal(answer)[0]["widget_id"] == "t1"


async def test_restoring_a_version_brings_its_widgets_back_as_unavailable(
    plugin_client_as: ClientAs, database: Database
):
    """A past version's widgets were all accepted when it was written: restoring one places
    nothing new, so its disabled plugin's widgets come back (unavailable until enabled)."""
    await enable(database, "fixture")
    admin = await plugin_client_as("admin")
    user = await plugin_client_as("user")
    first = await user.post("/api/layout/me", json={"widgets": [_note(), _kpi()]})
    assert first.status_code == 201, first.text
    assert (await user.delete("/api/layout/me/n1")).status_code == 200
    await _set_enabled(admin, False)
    restored = await user.post("/api/layout/me/restore", json={"version": 1})
    assert restored.status_code == 200, restored.text
    assert [w["id"] for w in restored.json()["widgets"]] == ["n1", "k1"]
    assert restored.json()["version"] == 3
    await _set_enabled(admin, True)
    assert [w["type"] for w in (await user.get("/api/layout/me")).json()["widgets"]] == [
        "fixture-note",
        "kpi",
    ]


async def test_a_plugin_that_cannot_run_keeps_its_placed_widgets_but_takes_no_new_ones(
    plugin_client_as: ClientAs, database: Database
):
    user = await plugin_client_as("user")
    future = {**_note(), "type": "wrong-api-widget", "settings": {"anything": [1, 2]}}
    # Saved when an earlier version of the plugin could run here.
    owner_id = user.user.id  # type: ignore[attr-defined]
    content = {"grid": {"columns": 12, "row_height": 80}, "widgets": [future]}
    async with database.unit_of_work() as session:
        session.add(Layout(user_id=owner_id, version=1, schema_version=2, document=content))
        session.add(
            LayoutVersion(
                user_id=owner_id, version=1, schema_version=2, document=content, widget_count=1
            )
        )
    stored = (await user.get("/api/layout/me")).json()
    assert stored["widgets"][0]["settings"] == {"anything": [1, 2]}
    kept = await user.put("/api/layout/me", json={**stored, "widgets": [future, _kpi()]})
    assert kept.status_code == 200, kept.text
    assert kept.json()["widgets"][0]["settings"] == {"anything": [1, 2]}
    answer = await user.put(
        "/api/layout/me",
        json={**kept.json(), "widgets": [future, _kpi(), {**future, "id": "w2", "x": 8}]},
    )
    [error] = _refusal(answer)
    assert error["widget_id"] == "w2" and "cannot run here (incompatible)" in error["msg"]
    unknown = {**_note("u"), "type": "never-installed", "x": 8}
    answer = await user.put("/api/layout/me", json={**kept.json(), "widgets": [future, unknown]})
    assert answer.status_code == 422
    assert "Unknown widget type 'never-installed'" in answer.text
