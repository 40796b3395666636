"""Team endpoints: staff read, admins write."""

from typing import Annotated

from fastapi import APIRouter, Path, Response

from deskboard.auth.deps import require
from deskboard.auth.models import User
from deskboard.core.openapi import errors
from deskboard.db import DbSession
from deskboard.teams import service
from deskboard.teams.schemas import TeamCreate, TeamRead, TeamUpdate
from deskboard.tickets.filters import MAX_ID

router = APIRouter(prefix="/teams", tags=["teams"])

TeamId = Annotated[int, Path(ge=1, le=MAX_ID)]
Reader = Annotated[User, require("teams:read")]
Manager = Annotated[User, require("teams:manage")]


@router.get("", response_model=list[TeamRead], responses=errors(403))
async def list_teams(session: DbSession, _: Reader) -> list[TeamRead]:
    """Every team by name, with its members' ids."""
    return await service.list_teams(session)


@router.post("", response_model=TeamRead, status_code=201, responses=errors(403, 409))
async def create_team(data: TeamCreate, session: DbSession, user: Manager) -> TeamRead:
    return await service.create_team(session, actor=user, data=data)


@router.get("/{team_id}", response_model=TeamRead, responses=errors(403, 404))
async def get_team(team_id: TeamId, session: DbSession, _: Reader) -> TeamRead:
    return await service.get_team(session, team_id=team_id)


@router.patch("/{team_id}", response_model=TeamRead, responses=errors(403, 404, 409))
async def update_team(
    team_id: TeamId, data: TeamUpdate, session: DbSession, user: Manager
) -> TeamRead:
    return await service.update_team(session, actor=user, team_id=team_id, data=data)


@router.delete("/{team_id}", status_code=204, responses=errors(403, 404, 409))
async def delete_team(team_id: TeamId, session: DbSession, user: Manager) -> Response:
    await service.delete_team(session, actor=user, team_id=team_id)
    return Response(status_code=204)
