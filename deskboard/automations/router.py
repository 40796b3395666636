"""Automation endpoints (admins only): rules and their run log."""

from typing import Annotated

from fastapi import APIRouter, Path, Response

from deskboard.auth.deps import require
from deskboard.auth.models import User
from deskboard.automations import service
from deskboard.automations.schemas import (
    AutomationCreate,
    AutomationRead,
    AutomationRunRead,
    AutomationUpdate,
)
from deskboard.core.openapi import errors
from deskboard.db import DbSession
from deskboard.tickets.filters import MAX_ID

router = APIRouter(prefix="/automations", tags=["automations"])

AutomationId = Annotated[int, Path(ge=1, le=MAX_ID)]
Manager = Annotated[User, require("automations:manage")]


@router.get("", response_model=list[AutomationRead], responses=errors(403))
async def list_automations(session: DbSession, _: Manager) -> list[AutomationRead]:
    """Every rule, in the order they run."""
    return await service.list_automations(session)


@router.post("", response_model=AutomationRead, status_code=201, responses=errors(403))
async def create_automation(
    data: AutomationCreate, session: DbSession, user: Manager
) -> AutomationRead:
    return await service.create_automation(session, actor=user, data=data)


@router.patch("/{automation_id}", response_model=AutomationRead, responses=errors(403, 404))
async def update_automation(
    automation_id: AutomationId, data: AutomationUpdate, session: DbSession, user: Manager
) -> AutomationRead:
    return await service.update_automation(
        session, actor=user, automation_id=automation_id, data=data
    )


@router.delete("/{automation_id}", status_code=204, responses=errors(403, 404))
async def delete_automation(
    automation_id: AutomationId, session: DbSession, user: Manager
) -> Response:
    await service.delete_automation(session, actor=user, automation_id=automation_id)
    return Response(status_code=204)


@router.get(
    "/{automation_id}/runs", response_model=list[AutomationRunRead], responses=errors(403, 404)
)
async def list_runs(
    automation_id: AutomationId, session: DbSession, _: Manager
) -> list[AutomationRunRead]:
    """The latest 200 runs, newest first."""
    return await service.list_runs(session, automation_id=automation_id)
