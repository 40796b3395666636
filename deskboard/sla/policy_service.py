"""SLA policy rules: admins keep an ordered list, staff read it; every write is audited.

Which policy applies to a ticket (the first by position whose conditions match) and the due
times it yields are computed when tickets take SLAs on; this module only keeps the policies."""

from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.audit import service as audit
from deskboard.auth.models import User
from deskboard.core.errors import Conflict, NotFound, Unprocessable
from deskboard.core.time import utcnow
from deskboard.sla.models import Calendar, SlaPolicy, TicketSla
from deskboard.sla.policy_schemas import SlaPolicyCreate, SlaPolicyRead, SlaPolicyUpdate
from deskboard.sla.ticket_service import refresh_open_tickets
from deskboard.views.service import filter_document

ENTITY = "sla_policy"


def policy_read(row: SlaPolicy) -> SlaPolicyRead:
    return SlaPolicyRead.model_validate(row, from_attributes=True)


def _document(row: SlaPolicy) -> dict[str, Any]:
    return policy_read(row).model_dump(mode="json", exclude={"created_at", "updated_at"})


def _invalid(field: str, message: str, kind: str) -> Unprocessable:
    return Unprocessable([{"loc": ["body", field], "msg": message, "type": kind}])


async def _check_calendar(session: AsyncSession, calendar_id: int) -> None:
    if await session.get(Calendar, calendar_id) is None:
        raise _invalid("calendar_id", f"No calendar {calendar_id}", "not_found")


async def _check_name_free(session: AsyncSession, name: str, *, other_than: int | None) -> None:
    stmt = select(SlaPolicy.id).where(func.lower(SlaPolicy.name) == name.lower())
    if other_than is not None:
        stmt = stmt.where(SlaPolicy.id != other_than)
    if (await session.execute(stmt.limit(1))).first() is not None:
        raise Conflict(f"A policy named {name!r} exists already")


async def _flush(session: AsyncSession, name: str) -> None:
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent write took the name (or the calendar went)
        raise Conflict(f"The policy {name!r} conflicts with a concurrent change") from exc


async def list_policies(session: AsyncSession) -> list[SlaPolicyRead]:
    """In the order they are tried: by position, then id."""
    rows = await session.execute(select(SlaPolicy).order_by(SlaPolicy.position, SlaPolicy.id))
    return [policy_read(row) for row in rows.scalars()]


async def get_policy(session: AsyncSession, *, policy_id: int) -> SlaPolicy:
    row = await session.get(SlaPolicy, policy_id)
    if row is None:
        raise NotFound(f"No SLA policy {policy_id}")
    return row


async def create_policy(
    session: AsyncSession, *, actor: User, data: SlaPolicyCreate
) -> SlaPolicyRead:
    await _check_name_free(session, data.name, other_than=None)
    await _check_calendar(session, data.calendar_id)
    position = data.position
    if position is None:
        last = await session.scalar(select(func.max(SlaPolicy.position)))
        position = 0 if last is None else last + 1
    now = utcnow()
    row = SlaPolicy(
        name=data.name,
        position=position,
        conditions=filter_document(data.conditions),
        calendar_id=data.calendar_id,
        first_response_minutes=data.first_response_minutes,
        resolution_minutes=data.resolution_minutes,
        pause_statuses=[status.value for status in data.pause_statuses],
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    await _flush(session, data.name)
    await refresh_open_tickets(session)
    audit.record(
        session,
        actor_id=actor.id,
        action=f"{ENTITY}.created",
        entity_type=ENTITY,
        entity_id=row.id,
        after=_document(row),
    )
    return policy_read(row)


async def update_policy(
    session: AsyncSession, *, actor: User, policy_id: int, data: SlaPolicyUpdate
) -> SlaPolicyRead:
    row = await get_policy(session, policy_id=policy_id)
    before = _document(row)
    if data.name is not None:
        await _check_name_free(session, data.name, other_than=row.id)
        row.name = data.name
    if data.calendar_id is not None:
        await _check_calendar(session, data.calendar_id)
        row.calendar_id = data.calendar_id
    if data.position is not None:
        row.position = data.position
    if data.conditions is not None:
        row.conditions = filter_document(data.conditions)
    first = data.first_response_minutes or row.first_response_minutes
    resolution = data.resolution_minutes or row.resolution_minutes
    if first > resolution:
        field = "first_response_minutes" if data.first_response_minutes else "resolution_minutes"
        raise _invalid(field, "first_response_minutes must not exceed resolution_minutes", "order")
    row.first_response_minutes, row.resolution_minutes = first, resolution
    if data.pause_statuses is not None:
        row.pause_statuses = [status.value for status in data.pause_statuses]
    row.updated_at = utcnow()
    await _flush(session, row.name)
    await refresh_open_tickets(session, policy_ids=[row.id])
    audit.record(
        session,
        actor_id=actor.id,
        action=f"{ENTITY}.updated",
        entity_type=ENTITY,
        entity_id=row.id,
        before=before,
        after=_document(row),
    )
    return policy_read(row)


async def delete_policy(session: AsyncSession, *, actor: User, policy_id: int) -> None:
    row = await get_policy(session, policy_id=policy_id)
    before = _document(row)
    had_it = list(
        (
            await session.execute(select(TicketSla.ticket_id).where(TicketSla.policy_id == row.id))
        ).scalars()
    )
    deleted = await session.execute(delete(SlaPolicy).where(SlaPolicy.id == row.id))
    if deleted.rowcount == 0:  # type: ignore[attr-defined]  # a concurrent DELETE got there first
        raise NotFound(f"No SLA policy {policy_id}")
    session.expunge(row)
    # Its tickets (their rows went with it) take the next policy that matches, if any.
    await refresh_open_tickets(session, also=had_it)
    audit.record(
        session,
        actor_id=actor.id,
        action=f"{ENTITY}.deleted",
        entity_type=ENTITY,
        entity_id=policy_id,
        before=before,
    )
