"""The rota's rules: shifts do not overlap, end after they start, name an active staff member;
every change tells the widgets (after commit)."""

from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.plugins.api import (
    EVERYONE,
    Conflict,
    NotFound,
    Unprocessable,
    User,
    emit,
    plugin_event,
    utcnow,
)
from deskboard_oncall.models import Shift
from deskboard_oncall.schemas import OnCallNow, Person, ShiftCreate, ShiftRead, ShiftUpdate

NAME = "oncall"
CHANGED = "changed"
MAX_LISTED = 200
STAFF_ROLES = ("admin", "agent")


def _with_names() -> Select[tuple[Shift, str]]:
    return select(Shift, User.name).join(User, User.id == Shift.user_id)


def _read(shift: Shift, name: str) -> ShiftRead:
    return ShiftRead(
        id=shift.id,
        user_id=shift.user_id,
        person_name=name,
        starts_at=shift.starts_at,
        ends_at=shift.ends_at,
        note=shift.note,
    )


async def upcoming(session: AsyncSession, *, now: datetime | None = None) -> list[ShiftRead]:
    """Shifts not yet over, in order."""
    now = now or utcnow()
    stmt = _with_names().where(Shift.ends_at > now).order_by(Shift.starts_at).limit(MAX_LISTED)
    return [_read(shift, name) for shift, name in (await session.execute(stmt)).all()]


async def on_call(session: AsyncSession, *, now: datetime | None = None) -> OnCallNow:
    """Who is on call now and who is next."""
    now = now or utcnow()
    stmt = _with_names().where(Shift.ends_at > now).order_by(Shift.starts_at).limit(2)
    rows = (await session.execute(stmt)).all()
    current = next_ = None
    for shift, name in rows:
        if shift.starts_at <= now and current is None:
            current = _read(shift, name)
        elif next_ is None:
            next_ = _read(shift, name)
    return OnCallNow(now=current, next=next_)


async def people(session: AsyncSession) -> list[Person]:
    """Who may be put on the rota: active agents and admins, by name."""
    stmt = (
        select(User.id, User.name)
        .where(User.is_active.is_(True), User.role.in_(STAFF_ROLES))
        .order_by(User.name, User.id)
    )
    return [Person(id=row.id, name=row.name) for row in (await session.execute(stmt)).all()]


async def _check(session: AsyncSession, shift: Shift) -> None:
    problems = []
    if shift.ends_at <= shift.starts_at:
        problems.append(
            {
                "loc": ["body", "ends_at"],
                "msg": "A shift ends after it starts",
                "type": "value_error",
            }
        )
    person = await session.get(User, shift.user_id)
    if person is None or not person.is_active or person.role not in STAFF_ROLES:
        problems.append(
            {
                "loc": ["body", "user_id"],
                "msg": "On call is an active agent or admin",
                "type": "value_error",
            }
        )
    if problems:
        raise Unprocessable(problems)
    overlapping = select(Shift.id).where(
        Shift.starts_at < shift.ends_at, Shift.ends_at > shift.starts_at
    )
    if shift.id is not None:
        overlapping = overlapping.where(Shift.id != shift.id)
    clash = await session.scalar(overlapping.limit(1))
    if clash is not None:
        raise Conflict(f"Overlaps shift {clash}")


def _changed(session: AsyncSession) -> None:
    emit(session, plugin_event(NAME, CHANGED, {}, EVERYONE))


async def _get(session: AsyncSession, shift_id: int) -> Shift:
    shift = await session.get(Shift, shift_id)
    if shift is None:
        raise NotFound("No such shift")
    return shift


async def _answer(session: AsyncSession, shift: Shift) -> ShiftRead:
    name = await session.scalar(select(User.name).where(User.id == shift.user_id))
    return _read(shift, name or "")


async def create_shift(session: AsyncSession, *, data: ShiftCreate) -> ShiftRead:
    shift = Shift(
        user_id=data.user_id, starts_at=data.starts_at, ends_at=data.ends_at, note=data.note
    )
    await _check(session, shift)
    session.add(shift)
    await session.flush()
    _changed(session)
    return await _answer(session, shift)


async def update_shift(session: AsyncSession, *, shift_id: int, data: ShiftUpdate) -> ShiftRead:
    shift = await _get(session, shift_id)
    for field in ("user_id", "starts_at", "ends_at", "note"):
        value = getattr(data, field)
        if value is not None:
            setattr(shift, field, value)
    # Check before anything reaches the database: an autoflush of a shift naming nobody would
    # be a foreign key error (500) instead of the 422 the check gives.
    with session.no_autoflush:
        await _check(session, shift)
    await session.flush()
    _changed(session)
    return await _answer(session, shift)


async def delete_shift(session: AsyncSession, *, shift_id: int) -> None:
    await session.delete(await _get(session, shift_id))
    await session.flush()
    _changed(session)
