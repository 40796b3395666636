"""User management by admins, and the staff directory agents pick assignees from (no HTTP)."""

from typing import Any

from sqlalchemy import delete, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from deskboard.apitokens.models import ApiToken
from deskboard.audit import service as audit
from deskboard.auth.models import User
from deskboard.auth.passwords import password_problem
from deskboard.auth.roles import STAFF, Role, can
from deskboard.auth.service import (
    hash_password_async,
    insert_user,
    revoke_access_tokens,
    revoke_user_sessions,
    user_snapshot,
)
from deskboard.core.cursor import decode_cursor, encode_cursor
from deskboard.core.errors import Conflict, Forbidden, NotFound, Unprocessable
from deskboard.core.time import utcnow
from deskboard.teams.models import TeamMember


def may_see_full_accounts(caller: User) -> bool:
    return can(caller.role, "users:manage")


async def list_users(
    session: AsyncSession,
    *,
    caller: User,
    role: Role | None = None,
    q: str | None = None,
    is_active: bool | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> tuple[list[User], str | None]:
    """Page through accounts by id. Admins see all; staff see active staff only."""
    if not may_see_full_accounts(caller):
        if not can(caller.role, "users:list_staff"):
            raise Forbidden(f"Your role ({caller.role}) may not list users")
        if role not in STAFF:
            raise Forbidden("Agents may list staff only: add role=agent or role=admin")
        is_active = True
    # An API token's account authors what the token does; it is not a person to list, pick as
    # an assignee or manage here (its token is managed at /api/api-tokens).
    query = (
        select(User)
        .where(~exists().where(ApiToken.user_id == User.id))
        .order_by(User.id)
        .limit(limit + 1)
    )
    if role is not None:
        query = query.where(User.role == role)
    if is_active is not None:
        query = query.where(User.is_active.is_(is_active))
    if q:
        pattern = f"%{_escape_like(q.lower())}%"
        query = query.where(
            or_(
                func.lower(User.email).like(pattern, escape="\\"),
                func.lower(User.name).like(pattern, escape="\\"),
            )
        )
    if cursor:
        (after_id,) = decode_cursor(cursor, int)
        query = query.where(User.id > after_id)
    users = list(await session.scalars(query))
    next_cursor = encode_cursor(users[limit - 1].id) if len(users) > limit else None
    return users[:limit], next_cursor


async def create_user(
    session: AsyncSession,
    *,
    actor: User,
    email: str,
    name: str,
    password: str,
    role: Role,
    is_active: bool,
) -> User:
    """Create an account of any role (admin)."""
    user = await insert_user(
        session, email=email, name=name, password=password, role=role, is_active=is_active
    )
    audit.record(
        session,
        actor_id=actor.id,
        action="user.created",
        entity_type="user",
        entity_id=user.id,
        after=user_snapshot(user),
    )
    return user


async def update_user(
    session: AsyncSession, *, actor: User, user_id: int, changes: dict[str, Any]
) -> User:
    """Change name, role, active flag or password (admin); never leave the desk without an admin."""
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound("User not found")
    before = user_snapshot(user)
    if "password" in changes:
        # The body had no email (it cannot change) and maybe no name: check against the account's.
        name = changes.get("name") or user.name
        problem = password_problem(changes["password"], email=user.email, name=name)
        if problem:
            raise Unprocessable(
                [{"loc": ["body", "password"], "msg": f"password {problem}", "type": "password"}]
            )
    loses_admin = ("role" in changes and changes["role"] != Role.admin) or (
        changes.get("is_active") is False
    )
    if user.role == Role.admin and user.is_active and loses_admin:
        admin_changes: dict[str, Any] = {
            f: changes[f] for f in ("role", "is_active") if f in changes
        }
        await _step_down_keeping_an_admin(session, admin=user, changes=admin_changes)

    for field in ("name", "role", "is_active", "away"):
        if field in changes:
            setattr(user, field, changes[field])
    password_changed = "password" in changes
    if password_changed:
        user.password_hash = await hash_password_async(changes["password"])
    # A disabled account or a reset password must not keep its open sessions; nor may any access
    # token (or open socket) go on under a role or password its person no longer has.
    deactivated = before["is_active"] and not user.is_active
    if password_changed or deactivated:
        await revoke_user_sessions(session, user_id=user.id)
    if password_changed or deactivated or user.role != before["role"]:
        await revoke_access_tokens(session, user_id=user.id)
    if user.role not in STAFF:
        # Only staff are team members: a restricted team's tickets must not reach its former
        # member through the membership (realtime audiences list members by id).
        await session.execute(delete(TeamMember).where(TeamMember.user_id == user.id))
    await session.flush()

    after = user_snapshot(user)
    if after != before or password_changed:
        audit.record(
            session,
            actor_id=actor.id,
            action="user.updated",
            entity_type="user",
            entity_id=user.id,
            before=before,
            after={**after, "password_changed": True} if password_changed else after,
        )
    return user


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def _step_down_keeping_an_admin(
    session: AsyncSession, *, admin: User, changes: dict[str, Any]
) -> None:
    """Apply a demotion or deactivation of an active admin only if another active admin remains."""
    # PostgreSQL: lock the active admins in id order, so two admins stepping down at once
    # serialise and the second sees the first's change.
    await session.execute(
        select(User.id)
        .where(User.role == Role.admin, User.is_active.is_(True))
        .order_by(User.id)
        .with_for_update()
    )
    # One conditional statement checks and changes together (SQLite serialises writers).
    other = aliased(User)
    another_admin = (
        select(other.id)
        .where(other.role == Role.admin, other.is_active.is_(True), other.id != admin.id)
        .exists()
    )
    changed = await session.execute(
        update(User)
        .where(User.id == admin.id, another_admin)
        .values(**changes, updated_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("This is the last active admin; make another admin first")


async def set_away(session: AsyncSession, *, user: User, away: bool) -> User:
    """A person marks themself away or back (automations skip people who are away)."""
    user = await session.get_one(User, user.id)
    if user.away != away:
        before = {"away": user.away}
        user.away = away
        await session.flush()
        audit.record(
            session,
            actor_id=user.id,
            action="user.updated",
            entity_type="user",
            entity_id=user.id,
            before=before,
            after={"away": away},
        )
    return user
