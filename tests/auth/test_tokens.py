"""Forged, expired and malformed access tokens are 401, never 500."""

from datetime import timedelta

import jwt
import pytest

from deskboard.auth.security import ALGORITHM, create_access_token
from deskboard.core.time import utcnow
from tests.auth.helpers import bearer


def signed(claims: dict, key: str = "test-secret-key-that-is-long-enough-for-hs256") -> str:
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def valid_claims(user_id: int) -> dict:
    now = utcnow()
    return {
        "sub": str(user_id),
        "role": "admin",
        "ver": 0,
        "iat": now,
        "exp": now + timedelta(minutes=5),
        "typ": "access",
    }


async def test_an_expired_token_is_401(client, make_user):
    user = await make_user("admin")
    token = create_access_token(user.id, user.role, version=0, minutes=-1)

    response = await client.get("/api/auth/me", headers=bearer(token))

    assert response.status_code == 401
    assert response.json() == {"detail": "Token expired"}
    assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(
            lambda uid: signed(valid_claims(uid), key="someone-elses-key-of-enough-length"),
            id="wrong-key",
        ),
        pytest.param(
            lambda uid: jwt.encode(valid_claims(uid), None, algorithm="none"), id="alg-none"
        ),
        pytest.param(lambda uid: signed(valid_claims(uid))[:-4] + "AAAA", id="tampered-signature"),
        pytest.param(lambda uid: signed({**valid_claims(uid), "typ": "refresh"}), id="wrong-type"),
        pytest.param(
            lambda uid: signed({**valid_claims(uid), "sub": "admin"}), id="non-numeric-sub"
        ),
        pytest.param(
            lambda uid: signed({**valid_claims(uid), "sub": str(uid + 1000)}), id="unknown-user"
        ),
        pytest.param(
            lambda uid: signed({k: v for k, v in valid_claims(uid).items() if k != "exp"}),
            id="no-expiry",
        ),
        pytest.param(
            lambda uid: signed({k: v for k, v in valid_claims(uid).items() if k != "ver"}),
            id="no-version",
        ),
        pytest.param(lambda uid: signed({**valid_claims(uid), "ver": 1}), id="other-version"),
        pytest.param(lambda uid: signed({**valid_claims(uid), "ver": "0"}), id="text-version"),
        pytest.param(lambda uid: signed({**valid_claims(uid), "ver": False}), id="bool-version"),
        pytest.param(lambda uid: "not.a.jwt", id="garbage"),
        pytest.param(lambda uid: "", id="empty"),
    ],
)
async def test_a_forged_or_malformed_token_is_401(client, make_user, forge):
    user = await make_user("user")

    response = await client.get("/api/users", headers=bearer(forge(user.id)))

    assert response.status_code == 401
    assert "detail" in response.json()


async def test_a_role_claim_cannot_raise_privileges(client, make_user):
    user = await make_user("user")
    # Validly signed, claiming admin: the role comes from the database, not from the token.
    token = signed(valid_claims(user.id))

    assert (await client.get("/api/users", headers=bearer(token))).status_code == 403


async def test_a_non_bearer_scheme_is_401(client, make_user):
    user = await make_user("admin")
    token = create_access_token(user.id, user.role, version=0)

    response = await client.get("/api/auth/me", headers={"Authorization": f"Basic {token}"})

    assert response.status_code == 401


async def test_a_token_accepted_before_still_expires(client, make_user, monkeypatch):
    """Verified tokens are remembered (auth/security.py); the expiry is checked on every use."""
    user = await make_user("admin")
    token = signed({**valid_claims(user.id), "exp": utcnow() + timedelta(seconds=30)})
    assert (await client.get("/api/auth/me", headers=bearer(token))).status_code == 200

    later = utcnow().timestamp() + 31
    monkeypatch.setattr("deskboard.auth.security.time.time", lambda: later)
    response = await client.get("/api/auth/me", headers=bearer(token))

    assert response.status_code == 401
    assert response.json() == {"detail": "Token expired"}


async def test_a_token_accepted_before_is_refused_under_a_new_secret_key(
    client, make_user, monkeypatch
):
    user = await make_user("admin")
    token = signed(valid_claims(user.id))
    assert (await client.get("/api/auth/me", headers=bearer(token))).status_code == 200

    monkeypatch.setenv("DESKBOARD_SECRET_KEY", "a-rotated-secret-key-of-enough-length-for-hs256")
    from deskboard.config import get_settings

    get_settings.cache_clear()
    try:
        response = await client.get("/api/auth/me", headers=bearer(token))
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()

    assert response.status_code == 401
