"""Business calendar rules: admins keep them, staff read them; every write is audited."""

from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.audit import service as audit
from deskboard.auth.models import User
from deskboard.core.errors import Conflict, NotFound, Unprocessable
from deskboard.core.time import utcnow
from deskboard.sla.calendar import MAX_HOLIDAYS, BusinessCalendar
from deskboard.sla.models import Calendar, SlaPolicy
from deskboard.sla.schemas import CalendarCreate, CalendarRead, CalendarUpdate, HolidaysFrom
from deskboard.sla.ticket_service import refresh_open_tickets


def calendar_read(row: Calendar) -> CalendarRead:
    return CalendarRead.model_validate(row, from_attributes=True)


def calendar_value(row: Calendar) -> BusinessCalendar:
    """The stored calendar as the plain value the business clock works with."""
    return BusinessCalendar.from_document(row.timezone, row.hours, row.holidays)


def _document(row: Calendar) -> dict[str, Any]:
    """What the audit log keeps of a calendar."""
    return calendar_read(row).model_dump(mode="json", exclude={"created_at", "updated_at"})


def _holidays(given: list[str], seed: HolidaysFrom | None) -> list[str]:
    days = set(given)
    if seed is not None:
        days.update(day.isoformat() for day in seed.dates())
    if len(days) > MAX_HOLIDAYS:  # each list was within bounds; the two together are not
        raise Unprocessable(
            [
                {
                    "loc": ["body", "holidays"],
                    "msg": f"at most {MAX_HOLIDAYS} holidays, with the seeded ones: remove some",
                    "type": "too_long",
                }
            ]
        )
    return sorted(days)


async def _check_name_free(session: AsyncSession, name: str, *, other_than: int | None) -> None:
    """Names pick a calendar in a list: unique regardless of case."""
    stmt = select(Calendar.id).where(func.lower(Calendar.name) == name.lower())
    if other_than is not None:
        stmt = stmt.where(Calendar.id != other_than)
    if (await session.execute(stmt.limit(1))).first() is not None:
        raise Conflict(f"A calendar named {name!r} exists already")


async def _flush(session: AsyncSession, name: str) -> None:
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent create took the name between check and insert
        raise Conflict(f"A calendar named {name!r} exists already") from exc


async def policies_using(session: AsyncSession, calendar_id: int) -> list[str]:
    """Names of the SLA policies that count time on a calendar."""
    stmt = select(SlaPolicy.name).where(SlaPolicy.calendar_id == calendar_id)
    return list((await session.execute(stmt.order_by(SlaPolicy.position, SlaPolicy.id))).scalars())


async def list_calendars(session: AsyncSession) -> list[CalendarRead]:
    rows = await session.execute(select(Calendar).order_by(func.lower(Calendar.name), Calendar.id))
    return [calendar_read(row) for row in rows.scalars()]


async def get_calendar(session: AsyncSession, *, calendar_id: int) -> Calendar:
    row = await session.get(Calendar, calendar_id)
    if row is None:
        raise NotFound(f"No calendar {calendar_id}")
    return row


async def create_calendar(
    session: AsyncSession, *, actor: User, data: CalendarCreate
) -> CalendarRead:
    await _check_name_free(session, data.name, other_than=None)
    now = utcnow()
    row = Calendar(
        name=data.name,
        timezone=data.timezone,
        hours=data.hours.model_dump(),
        holidays=_holidays(data.holidays, data.holidays_from),
        created_at=now,
        updated_at=now,
    )
    calendar_value(row)  # the same rules as the schemas; a disagreement would be a bug here
    session.add(row)
    await _flush(session, data.name)
    audit.record(
        session,
        actor_id=actor.id,
        action="calendar.created",
        entity_type="calendar",
        entity_id=row.id,
        after=_document(row),
    )
    return calendar_read(row)


async def update_calendar(
    session: AsyncSession, *, actor: User, calendar_id: int, data: CalendarUpdate
) -> CalendarRead:
    row = await get_calendar(session, calendar_id=calendar_id)
    before = _document(row)
    if data.name is not None:
        await _check_name_free(session, data.name, other_than=row.id)
        row.name = data.name
    if data.timezone is not None:
        row.timezone = data.timezone
    if data.hours is not None:
        row.hours = data.hours.model_dump()
    if data.holidays is not None or data.holidays_from is not None:
        given = data.holidays if data.holidays is not None else row.holidays
        row.holidays = _holidays(given, data.holidays_from)
    calendar_value(row)
    row.updated_at = utcnow()
    await _flush(session, row.name)
    using = select(SlaPolicy.id).where(SlaPolicy.calendar_id == row.id)
    await refresh_open_tickets(session, policy_ids=list((await session.execute(using)).scalars()))
    audit.record(
        session,
        actor_id=actor.id,
        action="calendar.updated",
        entity_type="calendar",
        entity_id=row.id,
        before=before,
        after=_document(row),
    )
    return calendar_read(row)


async def delete_calendar(session: AsyncSession, *, actor: User, calendar_id: int) -> None:
    """Delete a calendar no SLA policy uses (409 naming the policies otherwise)."""
    row = await get_calendar(session, calendar_id=calendar_id)
    before = _document(row)
    used_by = await policies_using(session, calendar_id)
    if used_by:
        raise Conflict(f"SLA policies use this calendar: {', '.join(used_by)}", policies=used_by)
    try:
        deleted = await session.execute(delete(Calendar).where(Calendar.id == row.id))
    except IntegrityError as exc:  # a policy took it on concurrently (the foreign key refuses)
        raise Conflict("An SLA policy uses this calendar") from exc
    if deleted.rowcount == 0:  # type: ignore[attr-defined]  # a concurrent DELETE got there first
        raise NotFound(f"No calendar {calendar_id}")
    audit.record(
        session,
        actor_id=actor.id,
        action="calendar.deleted",
        entity_type="calendar",
        entity_id=calendar_id,
        before=before,
    )
