"""/api/plugins/oncall/...: anyone signed in reads; admins edit the rota."""

from typing import Annotated

from fastapi import APIRouter, Path, Response

from deskboard.plugins.api import DbSession, User, errors, require
from deskboard_oncall import service
from deskboard_oncall.schemas import OnCallNow, Person, ShiftCreate, ShiftRead, ShiftUpdate

router = APIRouter()
Reader = Annotated[User, require("oncall:read")]
Editor = Annotated[User, require("oncall:edit")]
ShiftId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/now", response_model=OnCallNow, responses=errors(403))
async def on_call_now(session: DbSession, _: Reader) -> OnCallNow:
    """Who is on call now, and who is next."""
    return await service.on_call(session)


@router.get("/shifts", response_model=list[ShiftRead], responses=errors(403))
async def list_shifts(session: DbSession, _: Reader) -> list[ShiftRead]:
    """The shifts not yet over, in order."""
    return await service.upcoming(session)


@router.get("/people", response_model=list[Person], responses=errors(403))
async def list_people(session: DbSession, _: Editor) -> list[Person]:
    """Who may be put on the rota (for the editor's person picker): active agents and admins."""
    return await service.people(session)


@router.post("/shifts", response_model=ShiftRead, status_code=201, responses=errors(403, 409))
async def create_shift(data: ShiftCreate, session: DbSession, _: Editor) -> ShiftRead:
    """Add a shift (409 when it overlaps another)."""
    return await service.create_shift(session, data=data)


@router.patch("/shifts/{shift_id}", response_model=ShiftRead, responses=errors(403, 404, 409))
async def update_shift(
    shift_id: ShiftId, data: ShiftUpdate, session: DbSession, _: Editor
) -> ShiftRead:
    return await service.update_shift(session, shift_id=shift_id, data=data)


@router.delete("/shifts/{shift_id}", status_code=204, responses=errors(403, 404))
async def delete_shift(shift_id: ShiftId, session: DbSession, _: Editor) -> Response:
    await service.delete_shift(session, shift_id=shift_id)
    return Response(status_code=204)
