"""The password policy (NIST SP 800-63B rev. 4) where passwords are chosen, not where used."""

import pytest
from argon2 import PasswordHasher, profiles

from deskboard.auth.passwords import MAX_LENGTH, common_passwords, password_problem
from tests.auth.helpers import login

EMAIL = "alice.smith@example.test"
NAME = "Alice Smith"


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("fourteen-chars", "at least 15 characters"),
        ("e\u0301" * 8, "at least 15 characters"),  # 16 code points typed, 8 after NFKC
        ("x" * (MAX_LENGTH + 1), f"at most {MAX_LENGTH} characters"),
        ("1q2w3e4r5t6y7u8i9o0p", "too common"),
        ("123456789987654321", "too common"),
        ("My DeskBoard password!", "'deskboard'"),
        ("alice.smith@example.test!!", "your email address"),
        ("ALICE.SMITH loves long walks", "your email address"),
        ("hello alice smith, it is me", "your name"),
    ],
)
def test_a_refused_password_says_why(password, reason):
    problem = password_problem(password, email=EMAIL, name=NAME)

    assert problem is not None and reason in problem


@pytest.mark.parametrize(
    "password",
    [
        "correct-horse-battery",
        "fifteen chars!!",  # spaces and punctuation are fine; no composition rules
        "alllowercaseletters",
        "ﬀﬀﬀﬀﬀﬀﬀﬀ",  # 8 ligatures typed, 16 letters after NFKC
        "пароль-который-длинный",
        "x" * MAX_LENGTH,
        "al is a friend of jo",  # names and local parts under three letters are not refused
    ],
)
def test_an_acceptable_password_passes(password):
    assert password_problem(password, email="al@example.test", name="Jo") is None


def test_the_shipped_common_list_is_read_from_the_package():
    common = common_passwords()

    assert len(common) > 19_000
    assert {"password", "123456", "qwerty"} <= common


def test_the_minimum_length_is_configurable(settings, monkeypatch):
    monkeypatch.setattr(settings, "password_min_length", 20)

    assert "at least 20 characters" in (password_problem("nineteen-characters") or "")
    assert password_problem("twenty-characters-ok") is None


async def test_register_names_the_field_and_the_reason(client):
    response = await client.post(
        "/api/auth/register",
        json={"email": "new@example.test", "name": "New", "password": "1q2w3e4r5t6y7u8i9o0p"},
    )

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "password"]
    assert "too common" in error["msg"]


async def test_register_refuses_a_password_containing_the_name(client):
    response = await client.post(
        "/api/auth/register",
        json={"email": "m@example.test", "name": "Marguerite", "password": "marguerite-2024-pw"},
    )

    assert response.status_code == 422
    assert "your name" in response.json()["detail"][0]["msg"]


async def test_an_admin_cannot_give_a_policy_breaking_password(as_admin, make_user):
    target = await make_user("user", email="bob.jones@example.test", name="Bob Jones")
    short = {"email": "s@example.test", "name": "S", "password": "too-short", "role": "agent"}

    created = await as_admin.post("/api/users", json=short)
    updated = await as_admin.patch(
        f"/api/users/{target.id}", json={"password": "bob.jones-new-password"}
    )
    renamed = await as_admin.patch(
        f"/api/users/{target.id}", json={"name": "Zed Zulu", "password": "zed zulu is my name"}
    )

    assert (created.status_code, updated.status_code, renamed.status_code) == (422, 422, 422)
    assert "at least 15 characters" in created.json()["detail"][0]["msg"]
    assert updated.json()["detail"][0]["loc"] == ["body", "password"]
    assert "email address" in updated.json()["detail"][0]["msg"]
    assert "your name" in renamed.json()["detail"][0]["msg"]


async def test_an_old_short_password_still_signs_in(client, make_user):
    # Accounts made under the old policy (8 characters) keep working until changed.
    await make_user("user", email="old@example.test", password="oldpass1")

    assert (await login(client, "old@example.test", "oldpass1")).status_code == 200


async def test_the_same_visible_password_signs_in_however_it_is_typed(client):
    # Composed and decomposed accents are one password (NFKC before hashing, NIST 5.1.1.2).
    composed, decomposed = "café-au-lait-très-chaud", "cafe\u0301-au-lait-tre\u0300s-chaud"
    registered = await client.post(
        "/api/auth/register",
        json={"email": "nfkc@example.test", "name": "N", "password": decomposed},
    )

    assert registered.status_code == 202
    assert (await login(client, "nfkc@example.test", composed)).status_code == 200
    assert (await login(client, "nfkc@example.test", decomposed)).status_code == 200


async def test_a_hash_made_before_normalisation_still_signs_in(client, make_user, database):
    # Before NFKC, the hash was of the password as typed; such accounts must keep working.
    typed = "cafe\u0301-au-lait-tre\u0300s-chaud"
    user = await make_user("user", email="legacy@example.test")
    async with database.unit_of_work() as session:
        stored = await session.get(type(user), user.id)
        stored.password_hash = PasswordHasher.from_parameters(profiles.CHEAPEST).hash(typed)

    assert (await login(client, "legacy@example.test", typed)).status_code == 200
    assert (await login(client, "legacy@example.test", "cafe-au-lait")).status_code == 401
