"""Older stored documents are migrated step by step when read: a format-1 document put
straight into the database reads, diffs, restores and edits as a current one."""

from datetime import UTC, datetime

from deskboard.layouts.formats import CURRENT_SCHEMA_VERSION, to_current, v1_to_v2
from deskboard.layouts.models import Layout, LayoutVersion
from deskboard.widgets.registry import get_registry

V1_DOCUMENT = {
    "grid": {"cols": 12, "row_height": 60},
    "widgets": [
        {
            "id": "queue",
            "type": "ticket-list",
            "position": {"x": 0, "y": 0, "w": 8, "h": 5},
            "config": {"title": "Queue", "colour": "#2563eb", "filters": {"status": ["open"]}},
        },
        {
            "id": "trend",
            "type": "chart",
            "position": {"x": 8, "y": 0, "w": 4, "h": 4},
            "config": {"chart_type": "trend", "days": 30},
        },
    ],
}
STAMP = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


async def _store_v1(database, owner_id: int) -> None:
    async with database.unit_of_work() as session:
        session.add(
            Layout(
                user_id=owner_id,
                version=1,
                schema_version=1,
                document=V1_DOCUMENT,
                updated_at=STAMP,
            )
        )
        session.add(
            LayoutVersion(
                user_id=owner_id,
                version=1,
                schema_version=1,
                document=V1_DOCUMENT,
                widget_count=2,
                author_id=owner_id,
                created_at=STAMP,
            )
        )


EXPECTED_WIDGETS = [
    {
        "id": "queue",
        "type": "ticket-list",
        "type_version": 1,
        "x": 0,
        "y": 0,
        "w": 8,
        "h": 5,
        "settings": {"title": "Queue", "color": "#2563eb", "filters": {"status": ["open"]}},
    },
    {
        "id": "trend",
        "type": "chart",
        "type_version": 2,
        "x": 8,
        "y": 0,
        "w": 4,
        "h": 4,
        "settings": {"kind": "created-vs-resolved", "range_days": 30},
    },
]


async def test_stored_v1_document_reads_in_current_format(as_agent, database):
    await _store_v1(database, as_agent.user.id)
    body = (await as_agent.get("/api/layout/me")).json()
    assert body["schema_version"] == CURRENT_SCHEMA_VERSION
    assert body["version"] == 1
    assert body["grid"] == {"columns": 12, "row_height": 60}
    assert body["widgets"] == EXPECTED_WIDGETS
    assert body["updated_at"] == "2025-03-01T09:30:00Z"


async def test_stored_v1_document_can_be_edited_and_is_stored_current(as_agent, database):
    await _store_v1(database, as_agent.user.id)
    current = (await as_agent.get("/api/layout/me")).json()
    current["widgets"][1]["settings"]["kind"] = "backlog"
    response = await as_agent.put("/api/layout/me", json=current)
    assert response.status_code == 200, response.text
    async with database.unit_of_work() as session:
        row = await session.get(Layout, as_agent.user.id)
        assert row.schema_version == CURRENT_SCHEMA_VERSION
        assert row.document["widgets"][1]["settings"] == {"kind": "backlog", "range_days": 30}
    diff = (await as_agent.get("/api/layout/me/diff?from=1&to=2")).json()
    assert diff["reconfigured"] == ["trend"] and diff["moved"] == []


async def test_stored_v1_history_version_reads_and_restores(as_agent, database):
    await _store_v1(database, as_agent.user.id)
    await as_agent.delete("/api/layout/me/trend")
    old = (await as_agent.get("/api/layout/me/history/1")).json()
    assert old["document"]["widgets"] == EXPECTED_WIDGETS
    restored = await as_agent.post("/api/layout/me/restore", json={"version": 1})
    assert restored.status_code == 200, restored.text
    assert restored.json()["version"] == 3
    assert restored.json()["widgets"] == EXPECTED_WIDGETS


async def test_client_may_write_an_older_format(as_user):
    response = await as_user.post("/api/layout/me", json={"schema_version": 1, **V1_DOCUMENT})
    assert response.status_code == 201, response.text
    assert response.json()["schema_version"] == CURRENT_SCHEMA_VERSION
    assert response.json()["widgets"] == EXPECTED_WIDGETS


async def test_design_example_document_is_accepted(as_user):
    example = {
        "user_id": 7,
        "version": 3,
        "schema_version": 1,
        "updated_at": "2026-11-25T12:00:00Z",
        "grid": {"columns": 12, "row_height": 80},
        "widgets": [
            {
                "id": "w1",
                "type": "ticket-list",
                "x": 0,
                "y": 0,
                "w": 6,
                "h": 4,
                "settings": {
                    "title": "My open tickets",
                    "color": "#2563eb",
                    "filters": {"status": ["open"]},
                },
            }
        ],
    }
    response = await as_user.post("/api/layout/me", json=example)
    assert response.status_code == 201, response.text
    assert response.json()["user_id"] == as_user.user.id  # the path decides, not the body
    assert response.json()["version"] == 1


async def test_chart_settings_of_type_version_1_are_upgraded_on_write(as_user):
    old_chart = {
        "id": "c",
        "type": "chart",
        "type_version": 1,
        "x": 0,
        "y": 0,
        "w": 4,
        "h": 4,
        "settings": {"chart_type": "priority", "days": 7},
    }
    body = {"grid": {"columns": 12, "row_height": 80}, "widgets": [old_chart]}
    response = await as_user.post("/api/layout/me", json=body)
    assert response.status_code == 201, response.text
    assert response.json()["widgets"][0]["settings"] == {"kind": "by-priority", "range_days": 7}
    assert response.json()["widgets"][0]["type_version"] == 2


async def test_stored_widget_of_a_vanished_type_still_reads(as_user, database):
    weather = {"id": "x", "type": "weather", "x": 0, "y": 0, "w": 2, "h": 2, "settings": {}}
    gone = {"grid": {"columns": 12, "row_height": 80}, "widgets": [weather]}
    async with database.unit_of_work() as session:
        session.add(Layout(user_id=as_user.user.id, version=1, schema_version=2, document=gone))
    body = (await as_user.get("/api/layout/me")).json()
    assert body["widgets"][0]["type"] == "weather"
    # removing it is possible, and leaves a valid layout
    response = await as_user.delete("/api/layout/me/x")
    assert response.status_code == 200, response.text
    assert response.json()["widgets"] == []


def test_v1_step_is_tolerant_of_parts_already_current():
    flat = {"id": "a", "x": 1, "y": 2, "w": 3, "h": 4, "settings": {"color": "#000000"}}
    current_shape = {"grid": {"columns": 12}, "widgets": [flat, "junk"]}
    upgraded = v1_to_v2(current_shape)
    assert upgraded["widgets"][0] == {**current_shape["widgets"][0], "type_version": 1}
    assert upgraded["widgets"][1] == "junk"
    assert current_shape["widgets"][0].get("type_version") is None  # input not mutated


def test_to_current_upgrades_format_then_settings():
    content = to_current(V1_DOCUMENT, 1, get_registry())
    assert content["widgets"] == EXPECTED_WIDGETS
    assert V1_DOCUMENT["widgets"][0]["position"]["w"] == 8  # input not mutated
