"""A widget whose plugin was uninstalled (its type is provided by nothing installed) stays where
it is placed: the rest of the layout can still be saved around it, it may move or be removed,
and it cannot be added anew or reconfigured. Stored documents are written straight to the
database, as they were saved while the plugin was installed."""

from typing import Any

from deskboard.auth.roles import Role
from deskboard.core.time import utcnow
from deskboard.db import Database
from deskboard.layouts.formats import CURRENT_SCHEMA_VERSION
from deskboard.layouts.models import Layout, LayoutTemplate, LayoutVersion

GRID = {"columns": 12, "row_height": 80}


def _gone(widget_id: str = "g1", x: int = 0, **settings: Any) -> dict[str, Any]:
    return {
        "id": widget_id,
        "type": "uninstalled-gauge",
        "type_version": 3,
        "x": x,
        "y": 0,
        "w": 3,
        "h": 2,
        "settings": settings or {"dial": "sla", "thresholds": [50, 80]},
    }


def _note(widget_id: str = "n1", x: int = 6) -> dict[str, Any]:
    return {"id": widget_id, "type": "note", "x": x, "y": 0, "w": 3, "h": 2, "settings": {}}


async def _store_layout(database: Database, owner_id: int, widgets: list[dict[str, Any]]) -> None:
    content = {"grid": GRID, "widgets": widgets}
    async with database.unit_of_work() as session:
        common = {"user_id": owner_id, "version": 1, "schema_version": CURRENT_SCHEMA_VERSION}
        session.add(Layout(**common, document=content))
        session.add(LayoutVersion(**common, document=content, widget_count=len(widgets)))


def _errors(answer: Any) -> list[dict[str, Any]]:
    assert answer.status_code == 422, answer.text
    return list(answer.json()["detail"])


async def test_the_layout_is_saved_around_an_uninstalled_widget(client_as, database):
    user = await client_as("user")
    await _store_layout(database, user.user.id, [_gone()])
    stored = (await user.get("/api/layout/me")).json()
    assert stored["widgets"][0]["type"] == "uninstalled-gauge"

    # Another widget added, the uninstalled one moved: saved, the stranger kept as it was.
    moved = {**stored["widgets"][0], "x": 2}
    saved = await user.put("/api/layout/me", json={**stored, "widgets": [moved, _note()]})
    assert saved.status_code == 200, saved.text
    kept = saved.json()["widgets"][0]
    assert (kept["x"], kept["type_version"], kept["settings"]) == (2, 3, _gone()["settings"])

    # Echoed without its type_version (a client that never knew the type): still the stored one.
    echoed = {key: value for key, value in kept.items() if key != "type_version"}
    again = await user.put("/api/layout/me", json={**saved.json(), "widgets": [echoed, _note()]})
    assert again.status_code == 200, again.text
    assert again.json()["widgets"][0]["type_version"] == 3

    # And it may be removed.
    removed = await user.put("/api/layout/me", json={**again.json(), "widgets": [_note()]})
    assert removed.status_code == 200, removed.text
    assert [w["type"] for w in removed.json()["widgets"]] == ["note"]


async def test_it_cannot_be_added_anew_or_reconfigured(client_as, database):
    user = await client_as("user")
    await _store_layout(database, user.user.id, [_gone()])
    stored = (await user.get("/api/layout/me")).json()
    placed = stored["widgets"][0]
    before = (await user.get("/api/layout/me/history")).json()

    second = _gone("g2", x=6)
    [error] = _errors(
        await user.put("/api/layout/me", json={**stored, "widgets": [placed, second]})
    )
    assert error["widget_id"] == "g2" and error["type"] == "widget_type"
    assert error["msg"] == "Unknown widget type 'uninstalled-gauge'"

    retyped = {**_note("g1"), "x": 0}
    retyped_back = {**_gone("n9", x=6)}
    [error] = _errors(
        await user.put("/api/layout/me", json={**stored, "widgets": [retyped, retyped_back]})
    )
    assert error["widget_id"] == "n9" and error["type"] == "widget_type"

    reconfigured = {**placed, "settings": {"dial": "backlog"}}
    [error] = _errors(await user.put("/api/layout/me", json={**stored, "widgets": [reconfigured]}))
    assert error["type"] == "widget_unavailable" and error["widget_id"] == "g1"
    assert error["loc"] == ["body", "widgets", 0, "settings"]
    assert "can be moved or removed, not reconfigured" in error["msg"]

    other_version = {**placed, "type_version": 4}
    [error] = _errors(await user.put("/api/layout/me", json={**stored, "widgets": [other_version]}))
    assert error["type"] == "widget_unavailable"

    # Nothing was written by the refusals.
    assert (await user.get("/api/layout/me")).json() == stored
    assert (await user.get("/api/layout/me/history")).json() == before


async def test_a_first_layout_may_keep_what_the_role_template_placed(client_as, database):
    user = await client_as("user")
    template = {"grid": GRID, "widgets": [_gone(), _note()]}
    async with database.unit_of_work() as session:
        session.add(
            LayoutTemplate(
                role=Role.user.value,
                schema_version=CURRENT_SCHEMA_VERSION,
                document=template,
                updated_at=utcnow(),
            )
        )
    created = await user.post("/api/layout/me", json=template)
    assert created.status_code == 201, created.text
    assert created.json()["widgets"][0]["type"] == "uninstalled-gauge"

    other = await client_as("user")
    refused = await other.post(
        "/api/layout/me", json={"grid": GRID, "widgets": [_gone("x1"), _note()]}
    )
    assert _errors(refused)[0]["msg"] == "Unknown widget type 'uninstalled-gauge'"


async def test_an_admin_can_still_edit_a_template_holding_one(client_as, database):
    admin = await client_as("admin")
    async with database.unit_of_work() as session:
        session.add(
            LayoutTemplate(
                role=Role.guest.value,
                schema_version=CURRENT_SCHEMA_VERSION,
                document={"grid": GRID, "widgets": [_gone()]},
                updated_at=utcnow(),
            )
        )
    stored = (await admin.get("/api/layout-templates/guest")).json()
    edited = await admin.put(
        "/api/layout-templates/guest", json={**stored, "widgets": [*stored["widgets"], _note()]}
    )
    assert edited.status_code == 200, edited.text
    assert [w["type"] for w in edited.json()["widgets"]] == ["uninstalled-gauge", "note"]
    refused = await admin.put(
        "/api/layout-templates/guest", json={**stored, "widgets": [_gone("g7"), _note()]}
    )
    assert _errors(refused)[0]["type"] == "widget_type"


async def test_a_restore_keeps_it_only_while_the_layout_still_holds_it(client_as, database):
    user = await client_as("user")
    await _store_layout(database, user.user.id, [_gone()])
    stored = (await user.get("/api/layout/me")).json()
    moved = {**stored["widgets"][0], "x": 4}
    v2 = await user.put("/api/layout/me", json={**stored, "widgets": [moved, _note("n1", 8)]})
    assert v2.status_code == 200, v2.text

    restored = await user.post("/api/layout/me/restore", json={"version": 1})
    assert restored.status_code == 200, restored.text
    assert [(w["type"], w["x"]) for w in restored.json()["widgets"]] == [("uninstalled-gauge", 0)]

    gone = await user.put("/api/layout/me", json={**restored.json(), "widgets": [_note()]})
    assert gone.status_code == 200, gone.text
    [error] = _errors(await user.post("/api/layout/me/restore", json={"version": 1}))
    assert error["msg"] == "Unknown widget type 'uninstalled-gauge'"
    assert (await user.get("/api/layout/me")).json() == gone.json()
