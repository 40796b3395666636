"""Who is calling, and the one permission check every route uses."""

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPBearer
from sqlalchemy import bindparam, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached

from deskboard.apitokens.scopes import TOKEN_PREFIX, api_scopes, scopes_allow
from deskboard.apitokens.service import user_from_api_token
from deskboard.auth.models import User
from deskboard.auth.roles import can
from deskboard.auth.security import decode_access_token
from deskboard.core import context
from deskboard.core.errors import Forbidden, Unauthorized
from deskboard.core.fastsql import fetch_rows
from deskboard.db import READ_ONLY, DbSession

TOKEN_REVOKED = "Token revoked"
# Read afresh on every request (a disabled account or a new role counts at once). One statement
# built once: session.get builds and keys a new SELECT per call, measurably more CPU per request.
_USER_BY_ID = select(User).where(User.id == bindparam("user_id"))
_USER_ATTRIBUTES = tuple(inspect(User).column_attrs)
_USER_COLUMNS = tuple(attribute.key for attribute in _USER_ATTRIBUTES)
_USER_ROW_BY_ID = select(*(attribute.columns[0] for attribute in _USER_ATTRIBUTES)).where(
    User.id == bindparam("user_id")
)


async def _load_user(session: AsyncSession, user_id: int) -> User | None:
    if not session.info.get(READ_ONLY):
        return (await session.execute(_USER_BY_ID, {"user_id": user_id})).scalar_one_or_none()
    # A read (GET/HEAD) never writes through the session, so a detached User built from the row
    # serves it, read straight on asyncpg (core/fastsql.py): most of the cost of a request.
    rows = await fetch_rows(session, _USER_ROW_BY_ID, {"user_id": user_id})
    if not rows:
        return None
    user = User(**dict(zip(_USER_COLUMNS, rows[0], strict=True)))
    make_transient_to_detached(user)
    return user


async def user_from_token(session: DbSession, token: str) -> User:
    """Resolve an access token to an active user (shared by HTTP and the WebSocket)."""
    claims = decode_access_token(token)
    try:
        user_id = int(claims["sub"])
    except (TypeError, ValueError) as exc:
        raise Unauthorized("Invalid token") from exc
    user = await _load_user(session, user_id)
    if user is None or not user.is_active:
        raise Unauthorized("Account not found or disabled")
    # A token minted before a sign-out, password, role or active change is over; a refresh (if
    # the session still stands) mints one with the current version.
    if type(claims.get("ver")) is not int or claims["ver"] != user.token_version:
        raise Unauthorized(TOKEN_REVOKED)
    context.note_user(user.id)
    return user


class _BearerPrincipal(HTTPBearer):
    """The caller: a person (access token) or an integration (API token, `dbk_...`).

    The bearer header is read and resolved in one dependency (FastAPI solves each dependency
    of every request anew, ~20 µs apiece); as an HTTPBearer it is still documented as the
    API's security scheme."""

    async def __call__(self, request: Request, session: DbSession) -> User:  # type: ignore[override]
        credentials = await super().__call__(request)
        if credentials is None:  # no header, or not the Bearer scheme
            raise Unauthorized()
        token = credentials.credentials
        if token.startswith(TOKEN_PREFIX):  # an access token (a JWT) always starts "eyJ"
            return await user_from_api_token(session, token)
        return await user_from_token(session, token)


get_principal = _BearerPrincipal(auto_error=False, scheme_name="HTTPBearer")


# The caller, API tokens included: only for dependencies of routes that also `require(...)` an
# action (which checks the token's scopes), e.g. loading the ticket of the path.
Principal = Annotated[User, Depends(get_principal)]


async def get_current_user(principal: Principal) -> User:
    """A signed-in person. Routes that take the caller without `require(action)` are for
    people only: an API token reaches only the actions its scopes name."""
    if api_scopes(principal) is not None:
        raise Forbidden("API tokens may not call this endpoint")
    return principal


CurrentUser = Annotated[User, Depends(get_current_user)]


def authorize(user: User, action: str) -> None:
    """Raise Forbidden unless the user's role (and, for an API token, its scopes) allow the
    action."""
    if not can(user.role, action):
        raise Forbidden(f"Your role ({user.role}) may not do this")
    scopes = api_scopes(user)
    if scopes is not None and not scopes_allow(scopes, action):
        raise Forbidden("This API token's scopes do not allow this")


def require(action: str) -> Any:
    """The one permission check, as a dependency: use `Annotated[User, require("tickets:read")]`
    (or a module-level alias of it) for the current user, provided their role may do `action`."""

    async def dependency(user: Principal) -> User:
        authorize(user, action)
        return user

    return Depends(dependency)
