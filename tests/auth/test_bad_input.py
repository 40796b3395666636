"""Every bad request to the auth, users and audit endpoints: a clear JSON 4xx, nothing changed."""

import pytest
from sqlalchemy import func, select

from deskboard.audit.models import AuditEntry
from deskboard.auth.models import User

GOOD_REGISTER = {"email": "new@example.test", "name": "New", "password": "a-long-enough-pass"}
GOOD_USER = {**GOOD_REGISTER, "role": "agent"}

# (method, path, body, expected status); "{id}" is an existing user's id.
CASES = [
    ("POST", "/api/auth/login", {"email": "a@example.test", "password": "x", "extra": 1}, 422),
    ("POST", "/api/auth/login", {"email": 123, "password": "long-enough"}, 422),
    ("POST", "/api/auth/login", {"email": "not-an-email", "password": "long-enough"}, 422),
    ("POST", "/api/auth/login", {"email": "a@example.test"}, 422),
    ("POST", "/api/auth/login", {"email": "a@example.test", "password": "x" * 257}, 422),
    ("POST", "/api/auth/login", {"email": "a@example.test", "password": ""}, 422),
    ("POST", "/api/auth/login", ["a@example.test", "long-enough"], 422),
    ("POST", "/api/auth/register", {**GOOD_REGISTER, "password": "x" * 14}, 422),
    ("POST", "/api/auth/register", {**GOOD_REGISTER, "password": "x" * 257}, 422),
    ("POST", "/api/auth/register", {**GOOD_REGISTER, "name": ""}, 422),
    ("POST", "/api/auth/register", {**GOOD_REGISTER, "name": "   "}, 422),
    ("POST", "/api/auth/register", {**GOOD_REGISTER, "name": "n" * 121}, 422),
    ("POST", "/api/auth/register", {**GOOD_REGISTER, "email": "a@" + "b" * 260 + ".test"}, 422),
    ("POST", "/api/auth/register", {**GOOD_REGISTER, "email": "two@@example.test"}, 422),
    ("POST", "/api/auth/register", {**GOOD_REGISTER, "is_admin": True}, 422),
    ("POST", "/api/users", {**GOOD_USER, "role": "superuser"}, 422),
    ("POST", "/api/users", {**GOOD_USER, "is_active": "perhaps"}, 422),
    ("POST", "/api/users", {**GOOD_USER, "password_hash": "$argon2id$..."}, 422),
    ("POST", "/api/users", {k: v for k, v in GOOD_USER.items() if k != "password"}, 422),
    ("PATCH", "/api/users/{id}", {"email": "changed@example.test"}, 422),
    ("PATCH", "/api/users/{id}", {"name": None}, 422),
    ("PATCH", "/api/users/{id}", {"role": None}, 422),
    ("PATCH", "/api/users/{id}", {"is_active": [True]}, 422),
    ("PATCH", "/api/users/{id}", {"password": "short"}, 422),
    # The password policy (deskboard/auth/passwords.py): common, context words, too short
    ("POST", "/api/auth/register", {**GOOD_REGISTER, "password": "1q2w3e4r5t6y7u8i9o0p"}, 422),
    ("POST", "/api/auth/register", {**GOOD_REGISTER, "password": "my deskboard password"}, 422),
    ("POST", "/api/users", {**GOOD_USER, "password": "new@example.test-is-mine"}, 422),
    ("PATCH", "/api/users/{id}", {"password": "i-am-untouched-forever"}, 422),
    ("PATCH", "/api/users/{id}", {"password": "123456789987654321"}, 422),
    ("PATCH", "/api/users/abc", {"name": "X"}, 422),
    ("PATCH", "/api/users/0", {"name": "X"}, 422),
    ("PATCH", "/api/users/99999999999999999999", {"name": "X"}, 422),
    ("PATCH", "/api/users/424242", {"name": "X"}, 404),
    ("GET", "/api/users?limit=0", None, 422),
    ("GET", "/api/users?role=owner", None, 422),
    ("GET", "/api/users?cursor=%%%", None, 422),
    ("GET", "/api/users?cursor=e30", None, 400),
    ("GET", "/api/users?is_active=sometimes", None, 422),
    ("GET", "/api/audit?cursor=bm90IGpzb24", None, 400),
    ("GET", "/api/audit?entity_id=" + "9" * 65, None, 422),
    # NUL characters: PostgreSQL refuses them (a 500 there until schemathesis found it)
    ("POST", "/api/auth/register", {**GOOD_REGISTER, "name": "a\u0000b"}, 422),
    ("POST", "/api/users", {**GOOD_USER, "name": "a\u0000b"}, 422),
    ("PATCH", "/api/users/{id}", {"name": "a\u0000b"}, 422),
    ("GET", "/api/users?q=a%00b", None, 422),
    ("GET", "/api/audit?entity_type=a%00b", None, 422),
    ("GET", "/api/audit?entity_id=a%00b", None, 422),
]


async def counts(database) -> tuple[int, int]:
    async with database.unit_of_work() as session:
        users = await session.scalar(select(func.count()).select_from(User))
        entries = await session.scalar(select(func.count()).select_from(AuditEntry))
    return users, entries


@pytest.mark.parametrize(
    ("method", "path", "body", "status"), CASES, ids=[f"{m} {p} {b!r}"[:90] for m, p, b, _ in CASES]
)
async def test_bad_input_is_a_json_4xx_and_changes_nothing(
    as_admin, make_user, database, method, path, body, status
):
    target = await make_user("user", name="Untouched")
    before = await counts(database)

    response = await as_admin.request(method, path.format(id=target.id), json=body)

    assert response.status_code == status
    assert "detail" in response.json()
    if status == 422:
        assert isinstance(response.json()["detail"], list)
        assert all({"loc", "msg", "type"} <= set(err) for err in response.json()["detail"])
    assert await counts(database) == before
    unchanged = await as_admin.get("/api/users", params={"q": "Untouched"})
    assert [u["name"] for u in unchanged.json()["items"]] == ["Untouched"]


async def test_a_body_that_is_not_json_is_422(client):
    response = await client.post(
        "/api/auth/login",
        content=b"email=a&password=b",
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 422


async def test_a_body_over_one_mebibyte_is_413(client):
    huge = {"email": "a@example.test", "password": "x" * (1024 * 1024)}

    response = await client.post("/api/auth/login", json=huge)

    assert response.status_code == 413
    assert "detail" in response.json()
