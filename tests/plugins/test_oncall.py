"""The on-call roster example (plugins/oncall), installed in the test environment."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect

from deskboard.core.events import Event
from deskboard.db import Database
from deskboard.plugins.discovery import get_plugins
from deskboard.plugins.migrations import remove_tables, upgrade_plugins, version_table
from tests.conftest import RoleClient
from tests.plugins.conftest import enable

NOW = datetime.now(UTC).replace(microsecond=0)


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def shift(user_id: int, start_h: float, end_h: float, note: str = "") -> dict[str, object]:
    return {
        "user_id": user_id,
        "starts_at": _iso(NOW + timedelta(hours=start_h)),
        "ends_at": _iso(NOW + timedelta(hours=end_h)),
        "note": note,
    }


@pytest.fixture
async def enabled(database: Database) -> None:
    await enable(database, "oncall")


def test_the_example_is_installed_and_loads():
    record = get_plugins().records["oncall"]
    assert (record.status, record.distribution, record.version) == (
        "ok",
        "deskboard-oncall",
        "0.1.0",
    )
    assert record.plugin is not None and record.plugin.iframe is False


async def test_admins_edit_the_rota_and_everyone_reads_who_is_on_call(
    enabled: None, as_admin: RoleClient, as_agent: RoleClient, client_as, published: list[Event]
):
    agent_id = as_agent.user.id
    now_shift = await as_admin.post(
        "/api/plugins/oncall/shifts", json=shift(agent_id, -1, 3, "pager")
    )
    assert now_shift.status_code == 201, now_shift.text
    assert now_shift.json()["person_name"] == as_agent.user.name
    admin_id = as_admin.user.id
    later = await as_admin.post("/api/plugins/oncall/shifts", json=shift(admin_id, 3, 10))
    assert later.status_code == 201
    assert [e.type for e in published] == ["plugin.oncall.changed"] * 2
    assert published[0].audience.roles == {"admin", "agent", "user", "guest"}
    for role in ("admin", "agent", "user", "guest"):
        http = await client_as(role)
        answer = await http.get("/api/plugins/oncall/now")
        assert answer.status_code == 200
        assert answer.json()["now"]["user_id"] == agent_id
        assert answer.json()["now"]["note"] == "pager"
        assert answer.json()["next"]["user_id"] == admin_id
        listed = await http.get("/api/plugins/oncall/shifts")
        assert [s["id"] for s in listed.json()] == [now_shift.json()["id"], later.json()["id"]]


@pytest.mark.parametrize("role", ["agent", "user", "guest"])
async def test_only_admins_change_the_rota(enabled: None, client_as, as_admin: RoleClient, role):
    created = await as_admin.post("/api/plugins/oncall/shifts", json=shift(as_admin.user.id, 1, 2))
    shift_id = created.json()["id"]
    http = await client_as(role)
    assert (
        await http.post("/api/plugins/oncall/shifts", json=shift(as_admin.user.id, 5, 6))
    ).status_code == 403
    assert (
        await http.patch(f"/api/plugins/oncall/shifts/{shift_id}", json={"note": "x"})
    ).status_code == 403
    assert (await http.delete(f"/api/plugins/oncall/shifts/{shift_id}")).status_code == 403
    assert len((await as_admin.get("/api/plugins/oncall/shifts")).json()) == 1


async def test_bad_shifts_are_refused_and_nothing_changes(
    enabled: None, as_admin: RoleClient, as_user: RoleClient
):
    admin_id = as_admin.user.id
    first = await as_admin.post("/api/plugins/oncall/shifts", json=shift(admin_id, 0, 4))
    assert first.status_code == 201
    cases = [
        (shift(admin_id, 5, 5), 422),  # ends when it starts
        (shift(as_user.user.id, 5, 6), 422),  # not staff
        (shift(999_999, 5, 6), 422),  # nobody
        ({**shift(admin_id, 5, 6), "starts_at": "2026-12-05T10:00:00"}, 422),  # no time zone
        ({**shift(admin_id, 5, 6), "extra": 1}, 422),
        ({**shift(admin_id, 5, 6), "note": "x" * 201}, 422),
        (shift(admin_id, 3, 6), 409),  # overlaps the first
    ]
    for body, status in cases:
        answer = await as_admin.post("/api/plugins/oncall/shifts", json=body)
        assert answer.status_code == status, (body, answer.text)
    answer = await as_admin.patch(
        f"/api/plugins/oncall/shifts/{first.json()['id']}",
        json={"ends_at": _iso(NOW - timedelta(hours=1))},
    )
    assert answer.status_code == 422
    nobody = await as_admin.patch(
        f"/api/plugins/oncall/shifts/{first.json()['id']}", json={"user_id": 2_147_483_646}
    )
    assert nobody.status_code == 422  # found by the contract run: was a 500 (autoflush)
    assert len((await as_admin.get("/api/plugins/oncall/shifts")).json()) == 1
    assert (await as_admin.patch("/api/plugins/oncall/shifts/999", json={})).status_code == 404
    assert (await as_admin.delete("/api/plugins/oncall/shifts/999")).status_code == 404


async def test_editing_and_deleting_a_shift(
    enabled: None, as_admin: RoleClient, as_agent: RoleClient, published: list[Event]
):
    created = (
        await as_admin.post("/api/plugins/oncall/shifts", json=shift(as_admin.user.id, 1, 2))
    ).json()
    moved = await as_admin.patch(
        f"/api/plugins/oncall/shifts/{created['id']}",
        json={"user_id": as_agent.user.id, "note": "swap"},
    )
    assert moved.status_code == 200
    assert (moved.json()["user_id"], moved.json()["note"]) == (as_agent.user.id, "swap")
    now = (await as_admin.get("/api/plugins/oncall/now")).json()
    assert now["now"] is None and now["next"]["id"] == created["id"]
    assert (await as_admin.delete(f"/api/plugins/oncall/shifts/{created['id']}")).status_code == 204
    assert (await as_admin.get("/api/plugins/oncall/now")).json() == {"now": None, "next": None}
    assert [e.type for e in published] == ["plugin.oncall.changed"] * 3


async def test_the_rota_is_404_while_the_plugin_is_disabled(as_admin: RoleClient):
    assert (await as_admin.get("/api/plugins/oncall/now")).status_code == 404
    body = shift(as_admin.user.id, 1, 2)
    assert (await as_admin.post("/api/plugins/oncall/shifts", json=body)).status_code == 404


def _tables(database_url: str) -> set[str]:
    from sqlalchemy import create_engine

    sync = database_url.replace("+asyncpg", "+psycopg").replace("+aiosqlite", "")
    engine = create_engine(sync)
    try:
        with engine.connect() as connection:
            return set(inspect(connection).get_table_names())
    finally:
        engine.dispose()


def test_its_migrations_go_down_and_up_again(database_url: str):
    assert {"oncall_shifts", version_table("oncall")} <= _tables(database_url)
    remove_tables(database_url, "oncall")
    tables = _tables(database_url)
    assert "oncall_shifts" not in tables and version_table("oncall") not in tables
    assert "tickets" in tables and "alembic_version" in tables  # the core is untouched
    assert upgrade_plugins(database_url) == ["oncall"]
    assert {"oncall_shifts", version_table("oncall")} <= _tables(database_url)


async def test_admins_list_who_may_be_put_on_the_rota(
    enabled: None, as_admin: RoleClient, as_agent: RoleClient, client_as, make_user
):
    await make_user("agent", is_active=False)
    await make_user("user")
    answer = await as_admin.get("/api/plugins/oncall/people")
    assert answer.status_code == 200
    assert {p["id"] for p in answer.json()} == {as_admin.user.id, as_agent.user.id}
    for role in ("agent", "user", "guest"):
        http = await client_as(role)
        assert (await http.get("/api/plugins/oncall/people")).status_code == 403


async def test_it_cannot_be_enabled_before_its_tables_exist(
    database: Database, database_url: str, as_admin: RoleClient
):
    # Installed (or upgraded) with pip, `deskboard migrate` not yet run: enabling it would have
    # answered 500s from its routes.
    await asyncio.to_thread(remove_tables, database_url, "oncall")
    try:
        answer = await as_admin.patch("/api/plugins/oncall", json={"enabled": True})
        assert answer.status_code == 409
        assert "run `deskboard migrate`" in answer.json()["detail"]
        listed = {p["name"]: p for p in (await as_admin.get("/api/plugins")).json()}
        assert listed["oncall"]["status"] == "disabled"
    finally:
        await asyncio.to_thread(upgrade_plugins, database_url)
    answer = await as_admin.patch("/api/plugins/oncall", json={"enabled": True})
    assert answer.status_code == 200 and answer.json()["status"] == "ok"
