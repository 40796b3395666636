"""API tokens: minted once, kept as a digest, each acting as its own agent account."""

import hashlib
import secrets
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.apitokens.models import ApiToken
from deskboard.apitokens.schemas import ApiTokenCreate, ApiTokenCreated, ApiTokenRead
from deskboard.apitokens.scopes import TOKEN_PREFIX, mark_api_principal
from deskboard.audit import service as audit
from deskboard.auth.models import User
from deskboard.auth.roles import Role
from deskboard.auth.security import hash_password
from deskboard.core.errors import Conflict, NotFound, Unauthorized
from deskboard.core.time import utcnow
from deskboard.db import STANDALONE_WRITE

# last_used_at is written at most this often per token (not one write per request).
LAST_USED_EVERY = timedelta(minutes=1)
SERVICE_EMAIL_DOMAIN = "api-tokens.deskboard.invalid"  # .invalid: never a real mailbox
INVALID_TOKEN = "Invalid or revoked API token"

_BY_DIGEST = (
    select(ApiToken.id, ApiToken.scopes, ApiToken.last_used_at, User)
    .join(User, User.id == ApiToken.user_id)
    .where(ApiToken.digest == bindparam("digest"))
)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_read(row: ApiToken) -> ApiTokenRead:
    return ApiTokenRead.model_validate(row)


def _document(row: ApiToken) -> dict[str, Any]:
    return token_read(row).model_dump(mode="json", include={"id", "name", "scopes", "prefix"})


async def is_token_account(session: AsyncSession, user_id: int) -> bool:
    """Whether a user row is the account an API token acts as (never an assignee or member)."""
    stmt = select(ApiToken.id).where(ApiToken.user_id == user_id).limit(1)
    return (await session.execute(stmt)).first() is not None


async def token_accounts(session: AsyncSession, user_ids: list[int]) -> set[int]:
    """Those of `user_ids` that are API token accounts."""
    stmt = select(ApiToken.user_id).where(ApiToken.user_id.in_(user_ids))
    return set((await session.execute(stmt)).scalars())


async def list_tokens(session: AsyncSession) -> list[ApiTokenRead]:
    rows = await session.execute(select(ApiToken).order_by(ApiToken.id))
    return [token_read(row) for row in rows.scalars()]


async def create_token(
    session: AsyncSession, *, actor: User, data: ApiTokenCreate
) -> ApiTokenCreated:
    taken = select(ApiToken.id).where(func.lower(ApiToken.name) == data.name.lower())
    if (await session.execute(taken.limit(1))).first() is not None:
        raise Conflict(f"An API token named {data.name!r} exists already")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    # The account nobody signs in to (random password, unreachable address): tickets, comments
    # and audit entries made with the token name it.
    account = User(
        email=f"token-{uuid.uuid4().hex[:16]}@{SERVICE_EMAIL_DOMAIN}",
        name=f"API: {data.name}"[:120],
        role=Role.agent.value,
        password_hash=hash_password(secrets.token_urlsafe(32)),
        is_active=True,
    )
    session.add(account)
    await session.flush()
    row = ApiToken(
        name=data.name,
        digest=digest(token),
        prefix=token[:12],
        scopes=[str(s) for s in data.scopes],
        user_id=account.id,
        created_by_id=actor.id,
        created_at=utcnow(),
    )
    session.add(row)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent create took the name
        raise Conflict(f"An API token named {data.name!r} exists already") from exc
    audit.record(
        session,
        actor_id=actor.id,
        action="api_token.created",
        entity_type="api_token",
        entity_id=row.id,
        after=_document(row),
    )
    return ApiTokenCreated(**token_read(row).model_dump(), token=token)


async def revoke_token(session: AsyncSession, *, actor: User, token_id: int) -> None:
    """Delete the token (its next request is a 401) and disable its account, which stays as
    the author of what the token did."""
    row = await session.get(ApiToken, token_id)
    if row is None:
        raise NotFound(f"No API token {token_id}")
    before = _document(row)
    await session.execute(
        update(User)
        .where(User.id == row.user_id)
        .values(is_active=False, token_version=User.token_version + 1)
        .execution_options(synchronize_session=False)
    )
    await session.delete(row)
    await session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        action="api_token.revoked",
        entity_type="api_token",
        entity_id=token_id,
        before=before,
    )


async def user_from_api_token(session: AsyncSession, token: str) -> User:
    """The account an API token acts as, marked with the token's scopes; 401 if unknown."""
    found = (await session.execute(_BY_DIGEST, {"digest": digest(token)})).first()
    if found is None:
        raise Unauthorized(INVALID_TOKEN)
    token_id, scopes, last_used_at, user = found
    if not user.is_active:
        raise Unauthorized(INVALID_TOKEN)
    now = utcnow()
    if last_used_at is None or now - last_used_at >= LAST_USED_EVERY:
        # Conditional: concurrent requests of one token write it once per period.
        await session.execute(
            update(ApiToken)
            .where(
                ApiToken.id == token_id,
                or_(
                    ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= now - LAST_USED_EVERY
                ),
            )
            .values(last_used_at=now)
            .execution_options(synchronize_session=False, **{STANDALONE_WRITE: True})
        )
    mark_api_principal(user, scopes)
    return user
