"""Self-service registration."""

from sqlalchemy import select

from deskboard.audit.models import AuditEntry
from tests.auth.helpers import REFRESH_COOKIE, bearer, login


async def test_register_creates_a_user_account_and_signs_it_in(client):
    response = await client.post(
        "/api/auth/register",
        json={
            "email": "New.Person@Example.test",
            "name": "  New Person ",
            "password": "long-enough",
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert body["user"]["role"] == "user"
    assert body["user"]["email"] == "new.person@example.test"
    assert body["user"]["name"] == "New Person"
    assert REFRESH_COOKIE in response.cookies
    me = await client.get("/api/auth/me", headers=bearer(body["access_token"]))
    assert me.json()["email"] == "new.person@example.test"
    assert (await login(client, "new.person@example.test", "long-enough")).status_code == 200


async def test_register_is_audited_without_the_password(client, database):
    await client.post(
        "/api/auth/register",
        json={"email": "audit@example.test", "name": "A", "password": "long-enough"},
    )

    async with database.unit_of_work() as session:
        entry = (await session.scalars(select(AuditEntry))).one()
    assert entry.action == "user.registered"
    assert entry.after == {
        "email": "audit@example.test",
        "name": "A",
        "role": "user",
        "is_active": True,
    }
    assert "password" not in str(entry.after) and "hash" not in str(entry.after)


async def test_register_cannot_choose_a_role(client):
    response = await client.post(
        "/api/auth/register",
        json={"email": "x@example.test", "name": "X", "password": "long-enough", "role": "admin"},
    )

    assert response.status_code == 422


async def test_register_with_a_taken_email_is_409_whatever_its_case(client, make_user):
    await make_user("agent", email="taken@example.test")

    response = await client.post(
        "/api/auth/register",
        json={"email": "TAKEN@example.test", "name": "Copy", "password": "long-enough"},
    )

    assert response.status_code == 409
    assert "already exists" in response.json()["detail"]


async def test_register_is_403_when_turned_off(client, settings, monkeypatch, database):
    monkeypatch.setattr(settings, "allow_registration", False)

    response = await client.post(
        "/api/auth/register",
        json={"email": "closed@example.test", "name": "C", "password": "long-enough"},
    )

    assert response.status_code == 403
    assert "turned off" in response.json()["detail"]
    assert (await login(client, "closed@example.test", "long-enough")).status_code == 401
