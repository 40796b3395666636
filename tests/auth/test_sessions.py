"""Sign-in, refresh rotation with reuse detection, logout and /me."""

import asyncio
from datetime import timedelta

from sqlalchemy import select, update

from deskboard.audit.models import AuditEntry
from deskboard.auth.models import RefreshToken
from deskboard.core.time import utcnow
from tests.auth.helpers import REFRESH_COOKIE, bearer, login, refresh_cookie, refresh_with


async def test_login_returns_an_access_token_and_sets_a_strict_httponly_refresh_cookie(
    client, make_user, settings
):
    user = await make_user("agent", email="agent.smith@example.test")

    response = await login(client, "AGENT.smith@example.test")

    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == settings.access_token_minutes * 60
    assert body["user"]["id"] == user.id
    assert body["user"]["email"] == "agent.smith@example.test"
    assert "password_hash" not in body["user"]
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{REFRESH_COOKIE}=")
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert "Path=/api/auth" in cookie
    assert "Secure" not in cookie  # development/test: plain http must keep working
    assert response.headers["cache-control"] == "no-store"
    me = await client.get("/api/auth/me", headers=bearer(body["access_token"]))
    assert me.status_code == 200
    assert me.json()["role"] == "agent"


async def test_refresh_cookie_is_secure_in_production(client, make_user, settings, monkeypatch):
    await make_user("user", email="prod@example.test")
    monkeypatch.setattr(settings, "env", "production")

    response = await login(client, "prod@example.test")

    assert response.status_code == 200
    assert "Secure" in response.headers["set-cookie"]


async def test_wrong_password_and_unknown_email_get_the_same_401(client, make_user):
    await make_user("user", email="known@example.test")

    wrong = await login(client, "known@example.test", "not-the-password")
    unknown = await login(client, "nobody@example.test", "not-the-password")

    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"detail": "Invalid email or password"}
    assert REFRESH_COOKIE not in wrong.cookies


async def test_unknown_email_still_spends_a_password_verification(client, make_user, monkeypatch):
    from deskboard.auth import security

    calls: list[str] = []
    real_verify = security.verify_password
    monkeypatch.setattr(
        security, "verify_password", lambda h, p: calls.append(p) or real_verify(h, p)
    )

    response = await login(client, "ghost@example.test", "whatever-password")

    assert response.status_code == 401
    assert calls == ["whatever-password"]


async def test_deactivated_user_cannot_sign_in(client, make_user):
    await make_user("user", email="gone@example.test", is_active=False)

    response = await login(client, "gone@example.test")

    assert response.status_code == 401
    assert REFRESH_COOKIE not in response.cookies


async def test_refresh_rotates_the_token_and_the_new_one_works(client, make_user):
    await make_user("user", email="rot@example.test")
    first = refresh_cookie(await login(client, "rot@example.test"))

    rotated = await refresh_with(client, first)

    assert rotated.status_code == 200
    second = refresh_cookie(rotated)
    assert second != first
    me = await client.get("/api/auth/me", headers=bearer(rotated.json()["access_token"]))
    assert me.json()["email"] == "rot@example.test"
    assert (await refresh_with(client, second)).status_code == 200


async def test_refresh_keeps_the_session_family(client, make_user, database):
    await make_user("user", email="fam@example.test")
    first = refresh_cookie(await login(client, "fam@example.test"))
    await refresh_with(client, first)

    async with database.unit_of_work() as session:
        tokens = list(await session.scalars(select(RefreshToken).order_by(RefreshToken.id)))
    assert len(tokens) == 2
    assert tokens[0].family_id == tokens[1].family_id
    assert tokens[0].revoked_at is not None
    assert tokens[1].revoked_at is None


async def test_reusing_a_rotated_token_revokes_the_whole_family(client, make_user, database):
    user = await make_user("user", email="reuse@example.test")
    stolen = refresh_cookie(await login(client, "reuse@example.test"))
    legit = refresh_cookie(await refresh_with(client, stolen))

    replay = await refresh_with(client, stolen)

    assert replay.status_code == 401
    # The legitimate successor dies with its family: whoever holds either must sign in again.
    assert (await refresh_with(client, legit)).status_code == 401
    async with database.unit_of_work() as session:
        alive = await session.scalars(select(RefreshToken).where(RefreshToken.revoked_at.is_(None)))
        assert alive.all() == []
        entries = list(await session.scalars(select(AuditEntry)))
    assert [(e.action, e.entity_id) for e in entries] == [("session.reuse_detected", str(user.id))]


async def test_reuse_in_one_family_leaves_other_sessions_alone(client, make_user):
    await make_user("user", email="two@example.test")
    laptop = refresh_cookie(await login(client, "two@example.test"))
    phone = refresh_cookie(await login(client, "two@example.test"))
    await refresh_with(client, laptop)

    assert (await refresh_with(client, laptop)).status_code == 401
    assert (await refresh_with(client, phone)).status_code == 200


async def test_two_concurrent_refreshes_with_one_token_let_exactly_one_through(client, make_user):
    await make_user("user", email="race@example.test")
    token = refresh_cookie(await login(client, "race@example.test"))
    client.cookies.clear()
    header = {"Cookie": f"{REFRESH_COOKIE}={token}"}

    responses = await asyncio.gather(
        client.post("/api/auth/refresh", headers=header),
        client.post("/api/auth/refresh", headers=header),
    )

    assert sorted(r.status_code for r in responses) == [200, 401]
    # The second use of the same token is a reuse: the family, winner's successor included, ends.
    winner = next(r for r in responses if r.status_code == 200)
    assert (await refresh_with(client, refresh_cookie(winner))).status_code == 401


async def test_refresh_without_a_cookie_or_with_garbage_is_401(client):
    assert (await client.post("/api/auth/refresh")).status_code == 401
    assert (await refresh_with(client, "not-a-token")).status_code == 401
    assert (await refresh_with(client, "x" * 5000)).status_code == 401


async def test_an_expired_refresh_token_is_401(client, make_user, database):
    await make_user("user", email="old@example.test")
    token = refresh_cookie(await login(client, "old@example.test"))
    async with database.unit_of_work() as session:
        await session.execute(
            update(RefreshToken).values(expires_at=utcnow() - timedelta(seconds=1))
        )

    assert (await refresh_with(client, token)).status_code == 401


async def test_refresh_of_a_deactivated_account_is_401(client, make_user, database):
    user = await make_user("user", email="off@example.test")
    token = refresh_cookie(await login(client, "off@example.test"))
    async with database.unit_of_work() as session:
        (await session.get(type(user), user.id)).is_active = False

    assert (await refresh_with(client, token)).status_code == 401


async def test_logout_revokes_the_session_and_clears_the_cookie(client, make_user):
    await make_user("user", email="bye@example.test")
    token = refresh_cookie(await login(client, "bye@example.test"))

    response = await client.post(
        "/api/auth/logout", headers={"Cookie": f"{REFRESH_COOKIE}={token}"}
    )

    assert response.status_code == 204
    assert response.content == b""
    cleared = response.headers["set-cookie"]
    assert cleared.startswith(f'{REFRESH_COOKIE}=""') and "Max-Age=0" in cleared
    assert "Path=/api/auth" in cleared
    assert (await refresh_with(client, token)).status_code == 401


async def test_logout_without_a_session_is_still_204(client):
    assert (await client.post("/api/auth/logout")).status_code == 204


async def test_a_signed_out_token_coming_back_is_not_reported_as_theft(client, make_user, database):
    await make_user("user", email="out@example.test")
    token = refresh_cookie(await login(client, "out@example.test"))
    await client.post("/api/auth/logout", headers={"Cookie": f"{REFRESH_COOKIE}={token}"})

    assert (await refresh_with(client, token)).status_code == 401
    async with database.unit_of_work() as session:
        assert (await session.scalars(select(AuditEntry))).all() == []


async def test_me_describes_the_caller(as_guest):
    response = await as_guest.get("/api/auth/me")

    assert response.status_code == 200
    assert response.json()["id"] == as_guest.user.id
    assert response.json()["role"] == "guest"
    assert set(response.json()) == {
        "id",
        "email",
        "name",
        "role",
        "is_active",
        "away",
        "created_at",
        "updated_at",
    }
