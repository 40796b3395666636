"""API token endpoints (admins only)."""

from typing import Annotated

from fastapi import APIRouter, Path, Response

from deskboard.apitokens import service
from deskboard.apitokens.schemas import ApiTokenCreate, ApiTokenCreated, ApiTokenRead
from deskboard.auth.deps import require
from deskboard.auth.models import User
from deskboard.core.openapi import errors
from deskboard.db import DbSession
from deskboard.tickets.filters import MAX_ID

router = APIRouter(prefix="/api-tokens", tags=["api-tokens"])

Manager = Annotated[User, require("api_tokens:manage")]


@router.get("", response_model=list[ApiTokenRead], responses=errors(403))
async def list_tokens(session: DbSession, _: Manager) -> list[ApiTokenRead]:
    return await service.list_tokens(session)


@router.post("", response_model=ApiTokenCreated, status_code=201, responses=errors(403, 409))
async def create_token(data: ApiTokenCreate, session: DbSession, user: Manager) -> ApiTokenCreated:
    """The answer carries the token: the only time it is shown (only its digest is kept)."""
    return await service.create_token(session, actor=user, data=data)


@router.delete("/{token_id}", status_code=204, responses=errors(403, 404))
async def revoke_token(
    token_id: Annotated[int, Path(ge=1, le=MAX_ID)], session: DbSession, user: Manager
) -> Response:
    await service.revoke_token(session, actor=user, token_id=token_id)
    return Response(status_code=204)
