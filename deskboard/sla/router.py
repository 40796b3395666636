"""Business calendar and SLA policy endpoints: staff read, admins write."""

from typing import Annotated

from fastapi import APIRouter, Path, Response

from deskboard.auth.deps import require
from deskboard.auth.models import User
from deskboard.core.openapi import errors
from deskboard.db import DbSession
from deskboard.sla import policy_service, service
from deskboard.sla.policy_schemas import SlaPolicyCreate, SlaPolicyRead, SlaPolicyUpdate
from deskboard.sla.schemas import CalendarCreate, CalendarRead, CalendarUpdate
from deskboard.tickets.filters import MAX_ID

calendars_router = APIRouter(prefix="/calendars", tags=["calendars"])
policies_router = APIRouter(prefix="/sla-policies", tags=["sla"])

ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]
CalendarReader = Annotated[User, require("calendars:read")]
CalendarManager = Annotated[User, require("calendars:manage")]
PolicyReader = Annotated[User, require("sla_policies:read")]
PolicyManager = Annotated[User, require("sla_policies:manage")]


@calendars_router.get("", response_model=list[CalendarRead], responses=errors(403))
async def list_calendars(session: DbSession, _: CalendarReader) -> list[CalendarRead]:
    return await service.list_calendars(session)


@calendars_router.post("", response_model=CalendarRead, status_code=201, responses=errors(403, 409))
async def create_calendar(
    data: CalendarCreate, session: DbSession, user: CalendarManager
) -> CalendarRead:
    return await service.create_calendar(session, actor=user, data=data)


@calendars_router.get("/{calendar_id}", response_model=CalendarRead, responses=errors(403, 404))
async def get_calendar(calendar_id: ItemId, session: DbSession, _: CalendarReader) -> CalendarRead:
    return service.calendar_read(await service.get_calendar(session, calendar_id=calendar_id))


@calendars_router.patch(
    "/{calendar_id}", response_model=CalendarRead, responses=errors(403, 404, 409)
)
async def update_calendar(
    calendar_id: ItemId, data: CalendarUpdate, session: DbSession, user: CalendarManager
) -> CalendarRead:
    return await service.update_calendar(session, actor=user, calendar_id=calendar_id, data=data)


@calendars_router.delete("/{calendar_id}", status_code=204, responses=errors(403, 404, 409))
async def delete_calendar(
    calendar_id: ItemId, session: DbSession, user: CalendarManager
) -> Response:
    await service.delete_calendar(session, actor=user, calendar_id=calendar_id)
    return Response(status_code=204)


@policies_router.get("", response_model=list[SlaPolicyRead], responses=errors(403))
async def list_policies(session: DbSession, _: PolicyReader) -> list[SlaPolicyRead]:
    """In the order they are tried: the first whose conditions match a ticket applies."""
    return await policy_service.list_policies(session)


@policies_router.post(
    "", response_model=SlaPolicyRead, status_code=201, responses=errors(403, 404, 409)
)
async def create_policy(
    data: SlaPolicyCreate, session: DbSession, user: PolicyManager
) -> SlaPolicyRead:
    return await policy_service.create_policy(session, actor=user, data=data)


@policies_router.get("/{policy_id}", response_model=SlaPolicyRead, responses=errors(403, 404))
async def get_policy(policy_id: ItemId, session: DbSession, _: PolicyReader) -> SlaPolicyRead:
    row = await policy_service.get_policy(session, policy_id=policy_id)
    return policy_service.policy_read(row)


@policies_router.patch(
    "/{policy_id}", response_model=SlaPolicyRead, responses=errors(403, 404, 409)
)
async def update_policy(
    policy_id: ItemId, data: SlaPolicyUpdate, session: DbSession, user: PolicyManager
) -> SlaPolicyRead:
    return await policy_service.update_policy(session, actor=user, policy_id=policy_id, data=data)


@policies_router.delete("/{policy_id}", status_code=204, responses=errors(403, 404))
async def delete_policy(policy_id: ItemId, session: DbSession, user: PolicyManager) -> Response:
    await policy_service.delete_policy(session, actor=user, policy_id=policy_id)
    return Response(status_code=204)
