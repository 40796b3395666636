"""Access tokens end with their reason: sign-out, password reset, role change, deactivation."""

from sqlalchemy import select

from deskboard.auth.models import User
from tests.auth.helpers import REFRESH_COOKIE, bearer, login, refresh_cookie, refresh_with
from tests.statements import recorded_statements


async def _me(client, token: str) -> tuple[int, object]:
    response = await client.get("/api/auth/me", headers=bearer(token))
    return response.status_code, response.json().get("detail") or response.json()["role"]


async def _stored_user(database, user_id: int) -> User:
    async with database.sessionmaker() as session:
        return await session.get_one(User, user_id)


async def test_logout_ends_every_access_token_and_other_sessions_refresh_to_go_on(
    client, make_user, database
):
    await make_user("agent", email="two.tabs@example.test")
    laptop = await login(client, "two.tabs@example.test")
    phone = await login(client, "two.tabs@example.test")
    updated_at = (await _stored_user(database, laptop.json()["user"]["id"])).updated_at

    response = await client.post(
        "/api/auth/logout", headers={"Cookie": f"{REFRESH_COOKIE}={refresh_cookie(laptop)}"}
    )

    assert response.status_code == 204
    assert await _me(client, laptop.json()["access_token"]) == (401, "Token revoked")
    # The phone's access token stopped too, but its session stands: one refresh and it goes on.
    assert await _me(client, phone.json()["access_token"]) == (401, "Token revoked")
    refreshed = await refresh_with(client, refresh_cookie(phone))
    assert refreshed.status_code == 200
    assert await _me(client, refreshed.json()["access_token"]) == (200, "agent")
    assert (await refresh_with(client, refresh_cookie(laptop))).status_code == 401
    # Signing out is not an edit of the account.
    stored = await _stored_user(database, laptop.json()["user"]["id"])
    assert stored.token_version == 1
    assert stored.updated_at == updated_at


async def test_logout_with_an_ended_session_leaves_the_other_tokens_alone(client, make_user):
    await make_user("user", email="stale.cookie@example.test")
    old = refresh_cookie(await login(client, "stale.cookie@example.test"))
    await client.post("/api/auth/logout", headers={"Cookie": f"{REFRESH_COOKIE}={old}"})
    current = await login(client, "stale.cookie@example.test")

    # A cookie of an ended session (kept by a thief, or a stale tab) cannot sign anyone out.
    await client.post("/api/auth/logout", headers={"Cookie": f"{REFRESH_COOKIE}={old}"})

    assert await _me(client, current.json()["access_token"]) == (200, "user")


async def test_a_password_reset_by_an_admin_ends_access_tokens_and_sessions(
    client, as_admin, make_user
):
    user = await make_user("user", email="reset.me@example.test")
    signed_in = await login(client, "reset.me@example.test")

    reset = await as_admin.patch(f"/api/users/{user.id}", json={"password": "a-brand-new-pass"})

    assert reset.status_code == 200
    assert await _me(client, signed_in.json()["access_token"]) == (401, "Token revoked")
    assert (await refresh_with(client, refresh_cookie(signed_in))).status_code == 401
    again = await login(client, "reset.me@example.test", "a-brand-new-pass")
    assert await _me(client, again.json()["access_token"]) == (200, "user")


async def test_a_role_change_ends_access_tokens_and_a_refresh_carries_the_new_role(
    client, as_admin, make_user
):
    agent = await make_user("agent", email="demoted@example.test")
    signed_in = await login(client, "demoted@example.test")

    demoted = await as_admin.patch(f"/api/users/{agent.id}", json={"role": "user"})

    assert demoted.status_code == 200
    token = signed_in.json()["access_token"]
    assert await _me(client, token) == (401, "Token revoked")
    assert (await client.get("/api/tickets?limit=1", headers=bearer(token))).status_code == 401
    refreshed = await refresh_with(client, refresh_cookie(signed_in))
    assert refreshed.status_code == 200
    assert refreshed.json()["user"]["role"] == "user"
    assert await _me(client, refreshed.json()["access_token"]) == (200, "user")


async def test_deactivation_ends_access_tokens(client, as_admin, make_user, database):
    user = await make_user("agent", email="leaving@example.test")
    signed_in = await login(client, "leaving@example.test")

    response = await as_admin.patch(f"/api/users/{user.id}", json={"is_active": False})

    assert response.status_code == 200
    status, _ = await _me(client, signed_in.json()["access_token"])
    assert status == 401
    assert (await _stored_user(database, user.id)).token_version == 1
    assert (await refresh_with(client, refresh_cookie(signed_in))).status_code == 401


async def test_a_name_change_keeps_tokens_working(client, as_admin, make_user):
    user = await make_user("agent", email="renamed@example.test")
    signed_in = await login(client, "renamed@example.test")

    response = await as_admin.patch(f"/api/users/{user.id}", json={"name": "New Name"})

    assert response.status_code == 200
    assert await _me(client, signed_in.json()["access_token"]) == (200, "agent")


async def test_an_unchanged_role_keeps_tokens_working(client, as_admin, make_user):
    user = await make_user("agent", email="same.role@example.test")
    signed_in = await login(client, "same.role@example.test")

    response = await as_admin.patch(f"/api/users/{user.id}", json={"role": "agent"})

    assert response.status_code == 200
    assert await _me(client, signed_in.json()["access_token"]) == (200, "agent")


async def test_a_refresh_token_reused_ends_the_access_token_minted_from_it(client, make_user):
    await make_user("user", email="stolen@example.test")
    stolen = refresh_cookie(await login(client, "stolen@example.test"))
    thief = await refresh_with(client, stolen)
    elsewhere = await login(client, "stolen@example.test")

    assert (await refresh_with(client, stolen)).status_code == 401  # the owner's copy comes back

    assert await _me(client, thief.json()["access_token"]) == (401, "Token revoked")
    # The person's other session lives on after one refresh.
    refreshed = await refresh_with(client, refresh_cookie(elsewhere))
    assert await _me(client, refreshed.json()["access_token"]) == (200, "user")


async def test_checking_the_token_version_costs_no_extra_query(as_user, database):
    with recorded_statements(database) as statements:
        response = await as_user.get("/api/auth/me")

    assert response.status_code == 200
    assert len(statements) == 1, statements
    assert statements[0].lstrip().upper().startswith("SELECT")


async def test_tokens_are_minted_with_the_current_version(client, make_user, database):
    await make_user("user", email="versioned@example.test")
    first = await login(client, "versioned@example.test")
    await client.post(
        "/api/auth/logout", headers={"Cookie": f"{REFRESH_COOKIE}={refresh_cookie(first)}"}
    )
    second = await login(client, "versioned@example.test")

    assert await _me(client, second.json()["access_token"]) == (200, "user")
    async with database.sessionmaker() as session:
        version = await session.scalar(
            select(User.token_version).where(User.email == "versioned@example.test")
        )
    assert version == 1
