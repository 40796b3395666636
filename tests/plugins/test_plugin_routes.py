"""A plugin's routes under /api/plugins/{name}/: our authentication, its declared actions
mapped to our roles, 404 while disabled; its listeners isolated."""

import asyncio
import logging

import pytest

from deskboard.core.events import Event
from deskboard.db import Database
from deskboard.plugins import state
from tests.plugins.conftest import ClientAs, enable

ROLES = ("admin", "agent", "user", "guest")


async def test_routes_need_a_signed_in_person(plugin_client, database: Database):
    await enable(database, "fixture")
    assert (await plugin_client.get("/api/plugins/fixture/hello")).status_code == 401
    bad = {"Authorization": "Bearer not-a-token"}
    assert (await plugin_client.get("/api/plugins/fixture/hello", headers=bad)).status_code == 401


@pytest.mark.parametrize("role", ROLES)
async def test_each_role_gets_what_the_plugin_declared(
    plugin_client_as: ClientAs, database: Database, role: str
):
    await enable(database, "fixture")
    http = await plugin_client_as(role)
    hello = await http.get("/api/plugins/fixture/hello")
    assert hello.status_code == 200 and hello.json()["role"] == role
    echo = await http.post("/api/plugins/fixture/echo", json={"text": "hi"})
    assert echo.status_code == (200 if role == "admin" else 403)


async def test_a_disabled_plugins_routes_are_404(plugin_client_as: ClientAs, database: Database):
    admin = await plugin_client_as("admin")
    assert (await admin.get("/api/plugins/fixture/hello")).status_code == 404
    await enable(database, "fixture")
    assert (await admin.get("/api/plugins/fixture/hello")).status_code == 200
    await enable(database, "fixture", False)
    answer = await admin.get("/api/plugins/fixture/hello")
    assert answer.status_code == 404 and answer.json()["detail"] == "Plugin fixture is not enabled"


async def test_bad_input_to_a_plugin_route_is_422(plugin_client_as: ClientAs, database: Database):
    await enable(database, "fixture")
    admin = await plugin_client_as("admin")
    for body in ({"text": ""}, {"text": "x", "more": 1}, {}):
        assert (await admin.post("/api/plugins/fixture/echo", json=body)).status_code == 422


async def test_plugin_routes_are_in_the_openapi_document(plugin_app):
    operation = plugin_app.openapi()["paths"]["/api/plugins/fixture/echo"]["post"]
    assert {"401", "403", "404", "422"} <= set(operation["responses"])


async def test_a_failing_listener_is_logged_and_fails_nothing(
    plugin_client_as: ClientAs,
    database: Database,
    caplog: pytest.LogCaptureFixture,
    published: list[Event],
):
    from deskboard_fixture_ok.plugin import SEEN  # installed by the plugins fixture

    SEEN.clear()
    await enable(database, "fixture")
    admin = await plugin_client_as("admin")
    with caplog.at_level(logging.ERROR, logger="deskboard.plugins"):
        answer = await admin.post("/api/plugins/fixture/echo", json={"text": "hi"})
    assert answer.status_code == 200
    # The exploding listener ran first; the recording one still saw the event, and so did the hub.
    assert SEEN == ["plugin.fixture.echoed"]
    assert [e.type for e in published] == ["plugin.fixture.echoed"]
    failures = [r for r in caplog.records if "plugin fixture listener failed" in r.getMessage()]
    assert len(failures) == 1 and failures[0].exc_info is not None


async def test_a_disabled_plugins_listeners_do_not_run(
    plugin_client_as: ClientAs, database: Database
):
    from deskboard_fixture_ok.plugin import SEEN

    SEEN.clear()
    await enable(database, "fixture", False)
    user = await plugin_client_as("user")
    uid = user.user.id  # type: ignore[attr-defined]
    note = {"id": "k", "type": "note", "x": 0, "y": 0, "w": 2, "h": 2, "settings": {}}
    assert (await user.post(f"/api/layout/{uid}", json={"widgets": [note]})).status_code == 201
    assert SEEN == []
    # An admin's change reaches the listeners without any request reading the states.
    admin = await plugin_client_as("admin")
    assert (await admin.patch("/api/plugins/fixture", json={"enabled": True})).status_code == 200
    for _ in range(200):  # the states are read again in the background, right after the commit
        if state.cached("fixture").enabled:
            break
        await asyncio.sleep(0.01)
    assert (
        await user.put(f"/api/layout/{uid}", json={"version": 1, "widgets": []})
    ).status_code == 200
    assert "layout.updated" in SEEN
