"""Business calendar endpoints: staff read, admins write."""

from typing import Annotated

from fastapi import APIRouter, Path, Response

from deskboard.auth.deps import require
from deskboard.auth.models import User
from deskboard.db import DbSession
from deskboard.sla import service
from deskboard.sla.schemas import CalendarCreate, CalendarRead, CalendarUpdate
from deskboard.tickets.filters import MAX_ID

router = APIRouter(prefix="/calendars", tags=["calendars"])

CalendarId = Annotated[int, Path(ge=1, le=MAX_ID)]
Reader = Annotated[User, require("calendars:read")]
Manager = Annotated[User, require("calendars:manage")]


@router.get("", response_model=list[CalendarRead])
async def list_calendars(session: DbSession, _: Reader) -> list[CalendarRead]:
    return await service.list_calendars(session)


@router.post("", response_model=CalendarRead, status_code=201)
async def create_calendar(data: CalendarCreate, session: DbSession, user: Manager) -> CalendarRead:
    return await service.create_calendar(session, actor=user, data=data)


@router.get("/{calendar_id}", response_model=CalendarRead)
async def get_calendar(calendar_id: CalendarId, session: DbSession, _: Reader) -> CalendarRead:
    return service.calendar_read(await service.get_calendar(session, calendar_id=calendar_id))


@router.patch("/{calendar_id}", response_model=CalendarRead)
async def update_calendar(
    calendar_id: CalendarId, data: CalendarUpdate, session: DbSession, user: Manager
) -> CalendarRead:
    return await service.update_calendar(session, actor=user, calendar_id=calendar_id, data=data)


@router.delete("/{calendar_id}", status_code=204)
async def delete_calendar(calendar_id: CalendarId, session: DbSession, user: Manager) -> Response:
    await service.delete_calendar(session, actor=user, calendar_id=calendar_id)
    return Response(status_code=204)
