"""The SLA sweep, run once per cluster by deskboard/ops/leader.py: marks running clocks that
passed their due time as breached and warns (notification to the assignee, `ticket.updated`
event) about tickets that became at risk or breached.

Idempotent: each warning is claimed by a conditional UPDATE (`... WHERE NOT warned_x RETURNING`),
so a repeated or concurrent sweep never tells about the same ticket and state twice. Each step
reads one partial index as a range (`breach_at <= now` among rows not yet warned), so a sweep
over a million tickets costs what the newly due ones cost.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.core.events import Event, emit
from deskboard.core.time import utcnow
from deskboard.db import Database
from deskboard.notifications.schemas import NotificationKind
from deskboard.notifications.service import notify_sla
from deskboard.sla.models import TicketSla
from deskboard.tickets.models import Ticket
from deskboard.tickets.service import load_ticket, ticket_audience, ticket_json

logger = logging.getLogger(__name__)
BATCH = 500


@dataclass(frozen=True)
class SweepResult:
    at_risk: int
    breached: int


def _still_responding() -> object:
    return exists().where(
        Ticket.id == TicketSla.ticket_id,
        Ticket.first_response_at.is_(None),
        Ticket.resolved_at.is_(None),
    )


async def _claim_breaches(session: AsyncSession, now: datetime) -> list[int]:
    due = (
        select(TicketSla.ticket_id)
        .where(~TicketSla.warned_breached, TicketSla.breach_at <= now)
        .order_by(TicketSla.breach_at)
        .limit(BATCH)
    )
    ids = list((await session.execute(due)).scalars())
    if not ids:
        return []
    stmt = (
        update(TicketSla)
        .where(TicketSla.ticket_id.in_(ids), ~TicketSla.warned_breached)
        .values(
            warned_breached=True,
            warned_at_risk=True,  # past at risk: that warning is moot now
            first_response_breached=or_(
                TicketSla.first_response_breached,
                and_(TicketSla.first_response_due_at <= now, _still_responding()),  # type: ignore[arg-type]
            ),
            resolution_breached=or_(
                TicketSla.resolution_breached, TicketSla.resolution_due_at <= now
            ),
        )
        .returning(TicketSla.ticket_id)
        .execution_options(synchronize_session=False)
    )
    return sorted((await session.execute(stmt)).scalars())


async def _claim_risks(session: AsyncSession, now: datetime) -> list[int]:
    risky = (
        select(TicketSla.ticket_id)
        .where(
            # NOT x (not `x IS false`): the form the partial indexes' predicates take, so
            # PostgreSQL reads them (1 ms) instead of the full index (0.5 s at a million).
            ~TicketSla.warned_at_risk,
            TicketSla.risk_at <= now,
            or_(TicketSla.breach_at.is_(None), TicketSla.breach_at > now),
            ~TicketSla.first_response_breached,
            ~TicketSla.resolution_breached,
        )
        .order_by(TicketSla.risk_at)
        .limit(BATCH)
    )
    ids = list((await session.execute(risky)).scalars())
    if not ids:
        return []
    stmt = (
        update(TicketSla)
        .where(TicketSla.ticket_id.in_(ids), ~TicketSla.warned_at_risk)
        .values(warned_at_risk=True)
        .returning(TicketSla.ticket_id)
        .execution_options(synchronize_session=False)
    )
    return sorted((await session.execute(stmt)).scalars())


async def _warn(session: AsyncSession, ticket_ids: list[int], kind: NotificationKind) -> None:
    for ticket_id in ticket_ids:
        ticket = await load_ticket(session, ticket_id)
        if ticket is None:
            continue
        sla = ticket.sla
        if kind is NotificationKind.sla_breached:
            missed = "first response" if sla and sla["breached"]["first_response"] else "resolution"
            title = f"#{ticket.number} breached its {missed} target"
        else:
            title = f"#{ticket.number} is at risk of breaching its SLA"
        await notify_sla(session, ticket=ticket, kind=kind, title=title)
        emit(session, Event("ticket.updated", ticket_json(ticket), ticket_audience(ticket)))


async def sweep_sla(session: AsyncSession, *, now: datetime | None = None) -> SweepResult:
    """Mark and announce new breaches, then new at-risk tickets; return how many of each."""
    now = now or utcnow()
    breached = at_risk = 0
    while ids := await _claim_breaches(session, now):
        breached += len(ids)
        await _warn(session, ids, NotificationKind.sla_breached)
    while ids := await _claim_risks(session, now):
        at_risk += len(ids)
        await _warn(session, ids, NotificationKind.sla_at_risk)
    return SweepResult(at_risk=at_risk, breached=breached)


async def sweep_once(database: Database) -> SweepResult:
    """One sweep in its own transaction (events leave after the commit)."""
    async with database.unit_of_work() as session:
        result = await sweep_sla(session)
    if result.at_risk or result.breached:
        logger.info("sla sweep", extra={"at_risk": result.at_risk, "breached": result.breached})
    return result
