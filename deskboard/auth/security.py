"""Password hashing (argon2id), access tokens (JWT, HS256) and signed device cookies."""

import base64
import hashlib
import hmac
import secrets
import time
from datetime import timedelta
from functools import lru_cache
from typing import Any

import jwt
from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from deskboard.auth.passwords import normalize
from deskboard.config import get_settings
from deskboard.core.errors import Unauthorized
from deskboard.core.time import utcnow

# argon2id with the library's recommended parameters; the test suite uses the cheapest profile so
# thousands of hashes do not dominate its run time (the algorithm and code path stay the same).
_hasher = (
    PasswordHasher.from_parameters(profiles.CHEAPEST)
    if get_settings().env == "test"
    else PasswordHasher()
)
ALGORITHM = "HS256"


def hash_password(password: str) -> str:
    """Hash the NFKC form, so the same visible password matches however it was typed."""
    return _hasher.hash(normalize(password))


def password_needs_rehash(password_hash: str) -> bool:
    """Return whether a stored hash was made with weaker parameters than the current ones."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def burn_password_check(password: str) -> None:
    """Spend one verification's time, so an unknown account answers as slowly as a known one."""
    verify_password(_dummy_hash(), password)


def verify_password(password_hash: str, password: str) -> bool:
    """Check the NFKC form, then (for hashes made before normalisation) the form as typed."""
    normalized = normalize(password)
    if _verify(password_hash, normalized):
        return True
    # The second check depends only on what was typed, never on the account, so timing still
    # says nothing about which emails exist (burn_password_check goes through here too).
    return normalized != password and _verify(password_hash, password)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def create_access_token(
    user_id: int, role: str, *, version: int, minutes: int | None = None
) -> str:
    """Sign an access token; `version` is the user's token_version (a bump revokes the token)."""
    settings = get_settings()
    now = utcnow()
    lifetime = timedelta(minutes=minutes if minutes is not None else settings.access_token_minutes)
    claims = {
        "sub": str(user_id),
        "role": role,
        "ver": version,
        "iat": now,
        "exp": now + lifetime,
        "typ": "access",
    }
    return jwt.encode(claims, settings.resolved_secret_key, algorithm=ALGORITHM)


def decode_access_token(token: str) -> dict[str, Any]:
    """Return the token's claims, or raise Unauthorized when forged, expired or malformed."""
    claims = _verified_claims(token, get_settings().resolved_secret_key)
    # A verified token is remembered, so its expiry is checked here on every use.
    if claims["exp"] <= time.time():
        raise Unauthorized("Token expired")
    return dict(claims)


@lru_cache(maxsize=4096)
def _verified_claims(token: str, secret: str) -> dict[str, Any]:
    """Verify signature, claims and type once per token and key: a client sends the same token
    with every request for its lifetime, and verifying it again cost a tenth of a ticket list's
    server time. Refused tokens raise, so they are never cached."""
    try:
        claims = jwt.decode(
            token, secret, algorithms=[ALGORITHM], options={"require": ["sub", "exp"]}
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("Token expired") from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized("Invalid token") from exc
    if claims.get("typ") != "access" or not isinstance(claims["exp"], int | float):
        raise Unauthorized("Invalid token")
    return claims


def new_opaque_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """Refresh tokens are stored only as digests, so a database leak cannot replay them."""
    return hashlib.sha256(token.encode()).hexdigest()


def _device_signature(account: str, payload: str) -> str:
    key = hmac.new(get_settings().resolved_secret_key.encode(), b"device-cookie", "sha256")
    mac = hmac.new(key.digest(), f"{account}\0{payload}".encode(), "sha256").digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def issue_device_token(account: str, *, days: int) -> str:
    """Return `nonce.expiry.signature`: proof that this browser signed in to `account` before.

    The account is bound by the signature, not written in the cookie, so the cookie names no one.
    """
    payload = f"{secrets.token_urlsafe(12)}.{int(time.time()) + days * 86400}"
    return f"{payload}.{_device_signature(account, payload)}"


def device_token_nonce(token: str | None, account: str) -> str | None:
    """Return the nonce of a genuine, unexpired device token for `account`, else None."""
    if not token or len(token) > 200 or not token.isascii() or token.count(".") != 2:
        return None
    nonce, expiry, signature = token.split(".")
    expected = _device_signature(account, f"{nonce}.{expiry}")
    if not hmac.compare_digest(signature, expected):
        return None
    if not expiry.isdigit() or int(expiry) <= time.time():
        return None
    return nonce
