"""HTTP for sign-in (/api/auth) and user management (/api/users)."""

from typing import Annotated

from fastapi import APIRouter, Cookie, Path, Query, Request, Response

from deskboard.auth import service, users
from deskboard.auth.deps import CurrentUser, authorize, require
from deskboard.auth.models import User
from deskboard.auth.ratelimit import (
    DEVICE_COOKIE,
    check_login,
    enforce_rate_limit,
    login_failed,
    login_succeeded,
    remember_device,
)
from deskboard.auth.roles import Role
from deskboard.auth.schemas import (
    LoginRequest,
    MeUpdate,
    RegisterAccepted,
    RegisterRequest,
    TokenResponse,
    UserBrief,
    UserBriefPage,
    UserCreate,
    UserPage,
    UserRead,
    UserUpdate,
)
from deskboard.config import get_settings
from deskboard.core.cursor import Cursor
from deskboard.core.openapi import errors
from deskboard.core.text import CleanText
from deskboard.db import DbSession
from deskboard.web.origin import SameOrigin

REFRESH_COOKIE = "deskboard_refresh"
REFRESH_COOKIE_PATH = "/api/auth"  # the browser sends it to the auth endpoints only

auth_router = APIRouter(prefix="/auth", tags=["auth"])
users_router = APIRouter(prefix="/users", tags=["users"])

RefreshCookie = Annotated[str | None, Cookie(alias=REFRESH_COOKIE)]
UserId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _address(request: Request) -> str | None:
    return request.client.host if request.client else None


def _secure_cookie(request: Request) -> bool:
    """Secure under https (a trusted proxy's X-Forwarded-Proto counts) and always in production,
    where a browser on plain http then keeps no cookie: a missing proxy setting shows at once."""
    return request.url.scheme == "https" or get_settings().env == "production"


def _signed_in(
    request: Request, response: Response, issued: service.IssuedSession
) -> TokenResponse:
    settings = get_settings()
    response.set_cookie(
        REFRESH_COOKIE,
        issued.refresh_token,
        max_age=settings.refresh_token_days * 86400,
        path=REFRESH_COOKIE_PATH,
        secure=_secure_cookie(request),
        httponly=True,
        samesite="strict",
    )
    response.headers["Cache-Control"] = "no-store"
    return TokenResponse(
        access_token=issued.access_token,
        expires_in=issued.expires_in,
        user=UserRead.model_validate(issued.user),
    )


@auth_router.post("/login", responses=errors(401, 429))
async def login(
    body: LoginRequest, request: Request, response: Response, session: DbSession
) -> TokenResponse:
    attempt = await check_login(
        account=body.email,
        address=_address(request),
        device_token=request.cookies.get(DEVICE_COOKIE),
    )
    try:
        issued = await service.login(session, email=body.email, password=body.password)
    except service.InvalidCredentials:
        await login_failed(attempt)
        raise
    await login_succeeded(attempt)
    signed_in = _signed_in(request, response, issued)
    remember_device(request, response, account=body.email)
    return signed_in


# 403: a cookie request from another origin
@auth_router.post("/refresh", dependencies=[SameOrigin], responses=errors(401, 403, 429))
async def refresh(
    request: Request, response: Response, session: DbSession, token: RefreshCookie = None
) -> TokenResponse:
    owner = await service.refresh_token_owner(session, token=token)
    await enforce_rate_limit(
        "refresh", account=f"user:{owner}" if owner else None, address=_address(request)
    )
    issued = await service.rotate(session, token=token)
    return _signed_in(request, response, issued)


@auth_router.post("/logout", status_code=204, dependencies=[SameOrigin], responses=errors(403))
async def logout(
    request: Request, response: Response, session: DbSession, token: RefreshCookie = None
) -> None:
    await service.logout(session, token=token)
    response.delete_cookie(
        REFRESH_COOKIE,
        path=REFRESH_COOKIE_PATH,
        secure=_secure_cookie(request),
        httponly=True,
        samesite="strict",
    )


# 403: an API token (this is a person's own account)
@auth_router.get("/me", responses=errors(403))
async def me(user: CurrentUser) -> UserRead:
    return UserRead.model_validate(user)


# 403: an API token, or a guest (read-only)
@auth_router.patch("/me", responses=errors(403))
async def update_me(body: MeUpdate, user: CurrentUser, session: DbSession) -> UserRead:
    """Mark yourself away (automations then skip you when assigning) or back."""
    authorize(user, "profile:update")
    updated = await users.set_away(session, user=user, away=body.away)
    return UserRead.model_validate(updated)


# 403: registration is turned off
@auth_router.post("/register", status_code=202, responses=errors(403, 429))
async def register(body: RegisterRequest, request: Request, session: DbSession) -> RegisterAccepted:
    """Ask for a `user` account; the answer is the same whether or not the email had one."""
    await enforce_rate_limit("register", account=body.email, address=_address(request))
    await service.register(session, email=body.email, name=body.name, password=body.password)
    return RegisterAccepted(detail=service.REGISTER_ACCEPTED)


@users_router.get("", responses=errors(400, 403))
async def list_users(
    caller: CurrentUser,
    session: DbSession,
    role: Role | None = None,
    q: Annotated[CleanText | None, Query(max_length=100)] = None,
    is_active: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Cursor = None,
) -> UserPage | UserBriefPage:
    """Admins: every account. Agents: active staff only (role=agent or role=admin), brief."""
    found, next_cursor = await users.list_users(
        session, caller=caller, role=role, q=q, is_active=is_active, limit=limit, cursor=cursor
    )
    if users.may_see_full_accounts(caller):
        return UserPage(items=[UserRead.model_validate(u) for u in found], next_cursor=next_cursor)
    return UserBriefPage(
        items=[UserBrief.model_validate(u) for u in found], next_cursor=next_cursor
    )


@users_router.post("", status_code=201, responses=errors(403, 409))
async def create_user(
    body: UserCreate, admin: Annotated[User, require("users:manage")], session: DbSession
) -> UserRead:
    user = await users.create_user(session, actor=admin, **body.model_dump())
    return UserRead.model_validate(user)


# 409: the change would leave no active admin
@users_router.patch("/{user_id}", responses=errors(403, 404, 409))
async def update_user(
    user_id: UserId,
    body: UserUpdate,
    admin: Annotated[User, require("users:manage")],
    session: DbSession,
) -> UserRead:
    user = await users.update_user(
        session, actor=admin, user_id=user_id, changes=body.model_dump(exclude_unset=True)
    )
    return UserRead.model_validate(user)
