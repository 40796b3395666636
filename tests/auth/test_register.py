"""Self-service registration: a `user` account, and an answer that reveals no account."""

from sqlalchemy import func, select

from deskboard.audit.models import AuditEntry
from deskboard.auth import service
from deskboard.auth.models import User
from deskboard.config import Settings
from tests.auth.helpers import REFRESH_COOKIE, bearer, login

PASSWORD = "a-long-enough-pass"


def body(email: str = "new@example.test", name: str = "New", password: str = PASSWORD) -> dict:
    return {"email": email, "name": name, "password": password}


async def test_register_creates_a_user_account_that_then_signs_in(client):
    response = await client.post(
        "/api/auth/register",
        json=body("New.Person@Example.test", "  New Person "),
    )

    assert response.status_code == 202
    assert set(response.json()) == {"detail"}
    assert "sign in" in response.json()["detail"]
    # Nothing to sign in with yet: the person signs in next, as anyone would.
    assert REFRESH_COOKIE not in response.cookies
    signed_in = await login(client, "new.person@example.test", PASSWORD)
    assert signed_in.status_code == 200
    me = await client.get("/api/auth/me", headers=bearer(signed_in.json()["access_token"]))
    assert me.json()["email"] == "new.person@example.test"
    assert me.json()["name"] == "New Person"
    assert me.json()["role"] == "user"


async def test_register_is_audited_without_the_password(client, database):
    await client.post("/api/auth/register", json=body("audit@example.test", "A"))

    async with database.unit_of_work() as session:
        entry = (await session.scalars(select(AuditEntry))).one()
    assert entry.action == "user.registered"
    assert entry.after == {
        "email": "audit@example.test",
        "name": "A",
        "role": "user",
        "is_active": True,
        "away": False,
    }
    assert "password" not in str(entry.after) and "hash" not in str(entry.after)


async def test_register_cannot_choose_a_role(client):
    response = await client.post("/api/auth/register", json={**body(), "role": "admin"})

    assert response.status_code == 422


async def test_a_taken_email_gets_the_same_answer_and_changes_nothing(client, make_user, database):
    await make_user("agent", email="taken@example.test", name="Original")
    fresh = await client.post("/api/auth/register", json=body("free@example.test"))

    taken = await client.post(
        "/api/auth/register", json=body("TAKEN@example.test", "Copy", "an-attackers-password")
    )

    assert taken.status_code == fresh.status_code == 202
    assert taken.json() == fresh.json()
    assert taken.headers.get("set-cookie") == fresh.headers.get("set-cookie") is None
    # The owner's account is untouched: their password still works, the new one does not.
    assert (await login(client, "taken@example.test")).status_code == 200
    assert (await login(client, "taken@example.test", "an-attackers-password")).status_code == 401
    async with database.unit_of_work() as session:
        owner = (
            await session.scalars(select(User).where(User.email == "taken@example.test"))
        ).one()
        about_owner = AuditEntry.entity_id == str(owner.id)
        registered = await session.scalar(
            select(func.count()).select_from(AuditEntry).where(about_owner)
        )
    assert (owner.name, owner.role, registered) == ("Original", "agent", 0)


async def test_a_taken_email_spends_the_same_password_hash(client, make_user, monkeypatch):
    # Timing must not tell a taken email from a free one: both spend one argon2 hash, the cost
    # that dominates a registration. Counted, rather than timed, so the test cannot flake.
    await make_user("user", email="timed@example.test")
    hashed: list[str] = []
    real_hash = service.hash_password
    monkeypatch.setattr(service, "hash_password", lambda p: hashed.append(p) or real_hash(p))

    await client.post("/api/auth/register", json=body("timed@example.test", password=PASSWORD))
    await client.post("/api/auth/register", json=body("untimed@example.test", password=PASSWORD))

    assert hashed == [PASSWORD, PASSWORD]


async def test_register_is_403_when_turned_off(client, settings, monkeypatch):
    monkeypatch.setattr(settings, "allow_registration", False)

    response = await client.post("/api/auth/register", json=body("closed@example.test"))

    assert response.status_code == 403
    assert "turned off" in response.json()["detail"]
    assert (await login(client, "closed@example.test", PASSWORD)).status_code == 401


def test_registration_is_off_in_production_unless_turned_on(monkeypatch):
    monkeypatch.delenv("DESKBOARD_ALLOW_REGISTRATION", raising=False)
    assert Settings(env="production").allow_registration is False
    assert Settings(env="development").allow_registration is True
    assert Settings(env="test").allow_registration is True
    monkeypatch.setenv("DESKBOARD_ALLOW_REGISTRATION", "true")
    assert Settings(env="production").allow_registration is True
    monkeypatch.setenv("DESKBOARD_ALLOW_REGISTRATION", "false")
    assert Settings(env="development").allow_registration is False
