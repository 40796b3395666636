"""Sign-in and sessions: passwords, access tokens and rotating refresh tokens (no HTTP here).

A session is a family of refresh tokens. Each refresh revokes the presented token and issues a
successor in the same family; a revoked token presented while its family is still alive means
a copy was used (stolen or replayed), so the whole family is revoked. A family ends at
DESKBOARD_SESSION_MAX_DAYS after sign-in, however often it was refreshed.

Access tokens carry their person's token version: signing out, a password reset, a role change,
a deactivation or a detected reuse bump it (`revoke_access_tokens`), which ends every access token
and open socket of that person at once; sessions still standing refresh to go on.
"""

import asyncio
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Update, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from deskboard.audit import service as audit
from deskboard.auth.models import RefreshToken, User
from deskboard.auth.roles import Role
from deskboard.auth.security import (
    burn_password_check,
    create_access_token,
    hash_password,
    new_opaque_token,
    password_needs_rehash,
    token_digest,
    verify_password,
)
from deskboard.config import get_settings
from deskboard.core.errors import Conflict, Forbidden, Unauthorized
from deskboard.core.events import SESSION_REVOKED, Audience, Event, emit, release
from deskboard.core.time import utcnow

INVALID_CREDENTIALS = "Invalid email or password"
SESSION_ENDED = "Your session has ended; sign in again"
REGISTER_ACCEPTED = (
    "Thank you. If this email address had no account, it has one now: sign in with the password "
    "you chose. If it already had one, sign in with that account's password."
)


class InvalidCredentials(Unauthorized):
    """A wrong password or an unknown email: what the guessing limits count."""


def user_snapshot(user: User) -> dict[str, object]:
    """The audited view of an account: never the password hash."""
    return {
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "is_active": user.is_active,
        "away": user.away,
    }


async def hash_password_async(password: str) -> str:
    """Hash off the event loop: argon2 takes tens of milliseconds by design."""
    return await asyncio.to_thread(hash_password, password)


async def insert_user(
    session: AsyncSession, *, email: str, name: str, password: str, role: Role, is_active: bool
) -> User:
    """Add an account; 409 when the email is taken (checked first, the unique index decides)."""
    email = email.lower()
    taken = await session.scalar(select(User.id).where(User.email == email))
    if taken is not None:
        raise Conflict("An account with this email already exists")
    user = User(
        email=email,
        name=name,
        role=role,
        is_active=is_active,
        password_hash=await hash_password_async(password),
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent request took the email between check and insert
        raise Conflict("An account with this email already exists") from exc
    return user


@dataclass(frozen=True)
class IssuedSession:
    """What a successful sign-in or refresh hands back to the caller."""

    user: User
    access_token: str
    expires_in: int  # seconds
    refresh_token: str
    refresh_expires_at: datetime


async def login(session: AsyncSession, *, email: str, password: str) -> IssuedSession:
    """Check the credentials and open a new session (a new refresh-token family)."""
    user = (await session.scalars(select(User).where(User.email == email.lower()))).first()
    if user is None:
        # Spend the time a real check takes, so response times do not reveal which emails exist.
        await asyncio.to_thread(burn_password_check, password)
        raise InvalidCredentials(INVALID_CREDENTIALS)
    if not await asyncio.to_thread(verify_password, user.password_hash, password):
        raise InvalidCredentials(INVALID_CREDENTIALS)
    if not user.is_active:
        raise Unauthorized("This account is disabled")
    if password_needs_rehash(user.password_hash):
        user.password_hash = await hash_password_async(password)
    return await _issue(session, user=user, family_id=secrets.token_hex(16), started_at=utcnow())


async def register(session: AsyncSession, *, email: str, name: str, password: str) -> None:
    """Create a `user` account for oneself; refused when registration is off.

    The caller learns nothing about whether the email had an account: a taken email changes
    nothing, answers the same, and spends the same password hash (the time that dominates).
    The person then signs in, so no session is opened here.
    """
    if not get_settings().allow_registration:
        raise Forbidden("Registration is turned off; ask an administrator for an account")
    taken = await session.scalar(select(User.id).where(User.email == email.lower()))
    if taken is not None:
        await hash_password_async(password)
        return
    try:
        user = await insert_user(
            session, email=email, name=name, password=password, role=Role.user, is_active=True
        )
    except Conflict:  # taken by a concurrent registration since the check: answer the same
        await session.rollback()
        return
    audit.record(
        session,
        actor_id=user.id,
        action="user.registered",
        entity_type="user",
        entity_id=user.id,
        after=user_snapshot(user),
    )


async def refresh_token_owner(session: AsyncSession, *, token: str | None) -> int | None:
    """Return the user id a refresh token was issued to (for per-account throttling), if any."""
    stored = await _stored(session, token)
    return stored.user_id if stored else None


async def rotate(session: AsyncSession, *, token: str | None) -> IssuedSession:
    """Exchange a live refresh token for a new one in the same family, with a new access token."""
    stored = await _stored(session, token)
    if stored is None:
        raise Unauthorized(SESSION_ENDED)
    family_id, user_id = stored.family_id, stored.user_id
    if stored.revoked_at is not None:
        await _revoke_family_after_reuse(session, family_id=family_id, user_id=user_id)
        raise Unauthorized(SESSION_ENDED)
    now = utcnow()
    # The family's absolute lifetime bounds a stolen-and-kept-fresh cookie too.
    if stored.expires_at <= now or _family_ends(stored.family_started_at) <= now:
        raise Unauthorized(SESSION_ENDED)
    # Claim the token with one conditional statement: of two concurrent refreshes, one wins.
    claimed = await session.execute(
        update(RefreshToken)
        .where(RefreshToken.id == stored.id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        await _revoke_family_after_reuse(session, family_id=family_id, user_id=user_id)
        raise Unauthorized(SESSION_ENDED)
    user = await session.get(User, user_id)
    if user is None or not user.is_active:
        raise Unauthorized("Account not found or disabled")
    return await _issue(
        session, user=user, family_id=family_id, started_at=stored.family_started_at
    )


async def logout(session: AsyncSession, *, token: str | None) -> None:
    """End the session the refresh token belongs to, and every access token of its person (their
    other sessions refresh to go on); unknown, missing or already ended tokens change nothing."""
    stored = await _stored(session, token)
    if stored is None:
        return
    ended = await session.execute(_revoke(RefreshToken.family_id == stored.family_id))
    if ended.rowcount:  # type: ignore[attr-defined]
        await revoke_access_tokens(session, user_id=stored.user_id)


async def revoke_user_sessions(session: AsyncSession, *, user_id: int) -> None:
    """End every session of a user (deactivation, password change): its refresh tokens only;
    `revoke_access_tokens` ends the access tokens."""
    await session.execute(_revoke(RefreshToken.user_id == user_id))


async def revoke_access_tokens(session: AsyncSession, *, user_id: int) -> None:
    """Bump the person's token version: every access token issued so far is refused, and (after
    the commit, through the hub) every process closes their sockets opened with one of them."""
    bump = (
        update(User)
        .where(User.id == user_id)
        # Not an account edit: keep updated_at (its onupdate would stamp it).
        .values(token_version=User.token_version + 1, updated_at=User.updated_at)
        .returning(User.token_version)
        .execution_options(synchronize_session=False)
    )
    version = (await session.execute(bump)).scalar_one_or_none()
    if version is None:
        return
    loaded = session.identity_map.get(identity_key(User, user_id))
    if loaded is not None:  # keep a loaded row current without expiring it (no lazy load)
        set_committed_value(loaded, "token_version", version)
    data = {"user_id": user_id, "token_version": version}
    emit(session, Event(SESSION_REVOKED, data, Audience()))


def _revoke(condition: ColumnElement[bool]) -> Update:
    return (
        update(RefreshToken)
        .where(condition, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )


async def _stored(session: AsyncSession, token: str | None) -> RefreshToken | None:
    if not token or len(token) > 200:
        return None
    query = select(RefreshToken).where(RefreshToken.token_hash == token_digest(token))
    return (await session.scalars(query)).first()


def _family_ends(started_at: datetime) -> datetime:
    return started_at + timedelta(days=get_settings().session_max_days)


async def _issue(
    session: AsyncSession, *, user: User, family_id: str, started_at: datetime
) -> IssuedSession:
    settings = get_settings()
    token = new_opaque_token()
    expires_at = min(
        utcnow() + timedelta(days=settings.refresh_token_days), _family_ends(started_at)
    )
    session.add(
        RefreshToken(
            user_id=user.id,
            token_hash=token_digest(token),
            family_id=family_id,
            family_started_at=started_at,
            expires_at=expires_at,
        )
    )
    await session.flush()
    return IssuedSession(
        user=user,
        access_token=create_access_token(user.id, user.role, version=user.token_version),
        expires_in=settings.access_token_minutes * 60,
        refresh_token=token,
        refresh_expires_at=expires_at,
    )


async def _revoke_family_after_reuse(
    session: AsyncSession, *, family_id: str, user_id: int
) -> None:
    """Revoke a family whose rotated token came back, in a transaction of its own.

    The request answers 401, which rolls the request's transaction back; the revocation must
    survive that, so it commits separately. The request's transaction is rolled back first so
    that it holds no write lock the separate one would wait for (SQLite).
    """
    await session.rollback()
    async with AsyncSession(session.bind) as side:
        async with side.begin():
            await _revoke_family_in(side, family_id=family_id, user_id=user_id)
        await release(side)


async def _revoke_family_in(side: AsyncSession, *, family_id: str, user_id: int) -> None:
    result = await side.execute(_revoke(RefreshToken.family_id == family_id))
    if result.rowcount:  # type: ignore[attr-defined]
        # Only a family that was still alive was attacked; a signed-out one just stays out. The
        # access tokens minted from the copy stop too (the person's other sessions refresh).
        await revoke_access_tokens(side, user_id=user_id)
        audit.record(
            side,
            actor_id=None,
            action="session.reuse_detected",
            entity_type="user",
            entity_id=user_id,
            after={"family_id": family_id, "revoked_tokens": result.rowcount},  # type: ignore[attr-defined]
        )
