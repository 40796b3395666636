"""Admin user management and the staff directory."""

import asyncio

from sqlalchemy import select

from deskboard.audit.models import AuditEntry
from deskboard.auth.models import User
from tests.auth.helpers import bearer, login, refresh_cookie, refresh_with

NEW_USER = {
    "email": "Fresh@Example.test",
    "name": "Fresh",
    "password": "a-long-enough-pass",
    "role": "agent",
}


async def audit_entries(database) -> list[AuditEntry]:
    async with database.unit_of_work() as session:
        return list(await session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


async def test_admin_creates_a_user_who_can_then_sign_in(as_admin, client, database):
    response = await as_admin.post("/api/users", json=NEW_USER)

    assert response.status_code == 201
    created = response.json()
    assert created["email"] == "fresh@example.test"
    assert created["role"] == "agent"
    assert created["is_active"] is True
    assert (await login(client, "fresh@example.test", "a-long-enough-pass")).status_code == 200
    [entry] = await audit_entries(database)
    assert (entry.action, entry.actor_id, entry.entity_id) == (
        "user.created",
        as_admin.user.id,
        str(created["id"]),
    )
    assert entry.before is None
    assert entry.after == {
        "email": "fresh@example.test",
        "name": "Fresh",
        "role": "agent",
        "is_active": True,
        "away": False,
    }


async def test_creating_a_user_with_a_taken_email_is_409(as_admin, make_user):
    await make_user("user", email="fresh@example.test")

    response = await as_admin.post("/api/users", json=NEW_USER)

    assert response.status_code == 409


async def test_admin_lists_users_with_filters_and_keyset_pages(as_admin, make_user):
    agents = [await make_user("agent", name=f"Agent {i}") for i in range(3)]
    await make_user("user", name="Requester")
    await make_user("agent", name="Retired", is_active=False)

    first = await as_admin.get(
        "/api/users", params={"role": "agent", "is_active": "true", "limit": 2}
    )
    assert first.status_code == 200
    page1 = first.json()
    assert [u["id"] for u in page1["items"]] == [agents[0].id, agents[1].id]
    assert page1["next_cursor"]
    second = await as_admin.get(
        "/api/users",
        params={"role": "agent", "is_active": "true", "limit": 2, "cursor": page1["next_cursor"]},
    )
    page2 = second.json()
    assert [u["id"] for u in page2["items"]] == [agents[2].id]
    assert page2["next_cursor"] is None

    everyone = (await as_admin.get("/api/users")).json()["items"]
    assert len(everyone) == 6  # the admin, three agents, the requester, the retired agent
    assert all("password_hash" not in u for u in everyone)


async def test_admin_searches_users_by_name_or_email(as_admin, make_user):
    await make_user("agent", email="ada@example.test", name="Ada Lovelace")
    await make_user("agent", email="alan@example.test", name="Alan Turing")
    await make_user("agent", email="under_score@example.test", name="Percent 100%")

    def names(response):
        return sorted(u["name"] for u in response.json()["items"])

    assert names(await as_admin.get("/api/users", params={"q": "LOVE"})) == ["Ada Lovelace"]
    assert names(await as_admin.get("/api/users", params={"q": "alan@"})) == ["Alan Turing"]
    # LIKE wildcards in the search text match themselves only.
    assert names(await as_admin.get("/api/users", params={"q": "_"})) == ["Percent 100%"]
    assert names(await as_admin.get("/api/users", params={"q": "100%"})) == ["Percent 100%"]


async def test_agents_list_active_staff_briefly(as_agent, make_user):
    colleague = await make_user("agent", name="Colleague")
    await make_user("agent", name="Gone", is_active=False)
    await make_user("user", name="Requester")

    response = await as_agent.get("/api/users", params={"role": "agent", "is_active": "false"})

    assert response.status_code == 200
    items = response.json()["items"]
    assert [u["id"] for u in items] == [as_agent.user.id, colleague.id]
    assert set(items[0]) == {"id", "name", "email", "role", "away"}


async def test_agents_may_not_list_requesters_or_everyone(as_agent):
    assert (await as_agent.get("/api/users")).status_code == 403
    assert (await as_agent.get("/api/users", params={"role": "user"})).status_code == 403
    assert (await as_agent.get("/api/users", params={"role": "admin"})).status_code == 200


async def test_admin_updates_name_and_role_and_it_is_audited(as_admin, make_user, database):
    target = await make_user("user", email="t@example.test", name="Before")

    response = await as_admin.patch(
        f"/api/users/{target.id}", json={"name": "After", "role": "agent"}
    )

    assert response.status_code == 200
    assert response.json()["name"] == "After"
    assert response.json()["role"] == "agent"
    [entry] = await audit_entries(database)
    assert entry.action == "user.updated"
    assert entry.before == {
        "email": "t@example.test",
        "name": "Before",
        "role": "user",
        "is_active": True,
        "away": False,
    }
    assert entry.after == {
        "email": "t@example.test",
        "name": "After",
        "role": "agent",
        "is_active": True,
        "away": False,
    }


async def test_password_change_is_audited_without_any_hash_and_ends_sessions(
    as_admin, client, make_user, database
):
    target = await make_user("user", email="pw@example.test")
    old_session = refresh_cookie(await login(client, "pw@example.test"))

    response = await as_admin.patch(
        f"/api/users/{target.id}", json={"password": "brand-new-passphrase"}
    )

    assert response.status_code == 200
    assert (await login(client, "pw@example.test")).status_code == 401
    assert (await login(client, "pw@example.test", "brand-new-passphrase")).status_code == 200
    assert (await refresh_with(client, old_session)).status_code == 401
    [entry] = await audit_entries(database)
    assert entry.after["password_changed"] is True
    assert "argon2" not in str(entry.before) + str(entry.after)
    assert "brand-new-passphrase" not in str(entry.before) + str(entry.after)


async def test_deactivation_ends_sessions_and_access_tokens(as_admin, client, make_user):
    target = await make_user("agent", email="leaver@example.test")
    signed_in = await login(client, "leaver@example.test")
    access, refresh = signed_in.json()["access_token"], refresh_cookie(signed_in)

    response = await as_admin.patch(f"/api/users/{target.id}", json={"is_active": False})

    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert (await client.get("/api/auth/me", headers=bearer(access))).status_code == 401
    assert (await refresh_with(client, refresh)).status_code == 401
    assert (await login(client, "leaver@example.test")).status_code == 401


async def test_patching_an_unknown_user_is_404(as_admin):
    response = await as_admin.patch("/api/users/999999", json={"name": "Nobody"})

    assert response.status_code == 404


async def test_an_unchanged_patch_writes_no_audit_entry(as_admin, make_user, database):
    target = await make_user("user", name="Same")

    response = await as_admin.patch(f"/api/users/{target.id}", json={"name": "Same"})

    assert response.status_code == 200
    assert await audit_entries(database) == []


async def test_the_last_active_admin_cannot_demote_or_deactivate_themselves(as_admin, database):
    me = as_admin.user.id

    demote = await as_admin.patch(f"/api/users/{me}", json={"role": "agent"})
    deactivate = await as_admin.patch(f"/api/users/{me}", json={"is_active": False})

    assert demote.status_code == deactivate.status_code == 409
    assert "last active admin" in demote.json()["detail"]
    assert (await as_admin.get("/api/auth/me")).json()["role"] == "admin"
    assert await audit_entries(database) == []


async def test_an_admin_may_step_down_when_another_admin_remains(as_admin, make_user, client):
    await make_user("admin")

    response = await as_admin.patch(f"/api/users/{as_admin.user.id}", json={"role": "agent"})

    assert response.status_code == 200
    assert (await as_admin.get("/api/users")).status_code == 401  # the token ended with the role
    token = (await login(client, as_admin.user.email)).json()["access_token"]
    assert (await client.get("/api/users", headers=bearer(token))).status_code == 403  # an agent


async def test_an_inactive_admin_does_not_count_as_the_remaining_admin(as_admin, make_user):
    await make_user("admin", is_active=False)

    response = await as_admin.patch(f"/api/users/{as_admin.user.id}", json={"is_active": False})

    assert response.status_code == 409


async def test_two_admins_stepping_down_at_once_leave_one_admin(client_as, database):
    first, second = await client_as("admin"), await client_as("admin")

    responses = await asyncio.gather(
        first.patch(f"/api/users/{first.user.id}", json={"role": "agent"}),
        second.patch(f"/api/users/{second.user.id}", json={"is_active": False}),
    )

    assert sorted(r.status_code for r in responses) == [200, 409]
    async with database.unit_of_work() as session:
        admins = await session.scalars(
            select(User).where(User.role == "admin", User.is_active.is_(True))
        )
        assert len(admins.all()) == 1
