"""SLA state of tickets (ticket_sla rows): computed when a ticket is created, recomputed when a
field the policies or clocks depend on changes, or when the policies or calendars change.

Each recomputation starts from the ticket's creation and its whole status history, so the time
already paused is kept (a priority change never loses it). The warnings already sent are kept
too: the sweep tells about a ticket's state once, whatever recomputations follow.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.core.time import utcnow
from deskboard.sla.calendar import BusinessCalendar
from deskboard.sla.matching import policies_for_tickets
from deskboard.sla.models import Calendar, SlaPolicy, TicketSla
from deskboard.sla.ticket_clocks import TicketFacts, statuses_from_changes, ticket_clock_values
from deskboard.tickets.models import CLOSED_STATUSES, Ticket, TicketChange
from deskboard.tickets.policy import default_due_at

# Ticket fields whose change may change the policy that applies or its clocks. The teams branch
# adds "team_id" to tickets: it is listed here so a team change recomputes like a priority one.
SLA_FIELDS = frozenset({"priority", "team_id", "status", "tags", "assignee_id", "requester_id"})
_CHUNK = 500


@dataclass(frozen=True)
class Refreshed:
    """One ticket's outcome: its row (None: no policy applies) and the due_at it should carry
    (None: leave due_at as it is)."""

    row: TicketSla | None
    due_at: datetime | None


async def _calendars(session: AsyncSession, ids: Iterable[int]) -> dict[int, BusinessCalendar]:
    rows = await session.execute(select(Calendar).where(Calendar.id.in_(sorted(set(ids)))))
    return {
        row.id: BusinessCalendar.from_document(row.timezone, row.hours, row.holidays)
        for row in rows.scalars()
    }


async def _status_history(
    session: AsyncSession, ids: Sequence[int]
) -> dict[int, list[tuple[datetime, Any, Any]]]:
    stmt = (
        select(TicketChange.ticket_id, TicketChange.at, TicketChange.old, TicketChange.new)
        .where(TicketChange.ticket_id.in_(ids), TicketChange.field == "status")
        .order_by(TicketChange.ticket_id, TicketChange.at, TicketChange.id)
    )
    history: dict[int, list[tuple[datetime, Any, Any]]] = {}
    for ticket_id, at, old, new in (await session.execute(stmt)).all():
        history.setdefault(ticket_id, []).append((at, old, new))
    return history


async def refresh_ticket_sla(
    session: AsyncSession,
    ticket_ids: Sequence[int],
    *,
    now: datetime | None = None,
    tracks_if_new: Mapping[int, bool] | None = None,
    hand_set_due: Iterable[int] = (),
    pending_status: Mapping[int, tuple[datetime, str, str]] | None = None,
) -> dict[int, Refreshed]:
    """Recompute the SLA rows of these tickets; return each one's outcome.

    `tracks_if_new`: whether a ticket that takes an SLA on now lets it set its due_at (default:
    when its due_at is unset or the built-in per-priority one);
    `hand_set_due`: tickets whose due date was just set by hand (it stops following);
    `pending_status`: a status change (at, old, new) made in this edit, not yet in the history.
    """
    now = now or utcnow()
    hand_set = frozenset(hand_set_due)
    policies = list(
        (await session.execute(select(SlaPolicy).order_by(SlaPolicy.position, SlaPolicy.id)))
        .scalars()
        .all()
    )
    calendars = await _calendars(session, (policy.calendar_id for policy in policies))
    outcome: dict[int, Refreshed] = {}
    ids = sorted(set(ticket_ids))
    for index in range(0, len(ids), _CHUNK):
        chunk = ids[index : index + _CHUNK]
        matched = await policies_for_tickets(session, chunk, policies)
        tickets = {
            row.id: row
            for row in (
                await session.execute(
                    select(
                        Ticket.id,
                        Ticket.created_at,
                        Ticket.status,
                        Ticket.first_response_at,
                        Ticket.resolved_at,
                        Ticket.due_at,
                        Ticket.priority,
                    ).where(Ticket.id.in_(chunk))
                )
            ).all()
        }
        existing = {
            row.ticket_id: row
            for row in (
                await session.execute(select(TicketSla).where(TicketSla.ticket_id.in_(chunk)))
            ).scalars()
        }
        history = await _status_history(session, chunk)
        for ticket_id, change in (pending_status or {}).items():
            history.setdefault(ticket_id, []).append(change)
        gone = [ticket_id for ticket_id in chunk if ticket_id not in matched]
        if gone:
            await session.execute(delete(TicketSla).where(TicketSla.ticket_id.in_(gone)))
            for ticket_id in gone:
                outcome[ticket_id] = Refreshed(None, None)
        for ticket_id, policy in matched.items():
            ticket = tickets.get(ticket_id)
            if ticket is None:
                continue
            facts = TicketFacts(
                created_at=ticket.created_at,
                first_response_at=ticket.first_response_at,
                resolved_at=ticket.resolved_at,
                statuses=statuses_from_changes(
                    ticket.created_at, ticket.status, history.get(ticket_id, [])
                ),
            )
            values = ticket_clock_values(
                calendars[policy.calendar_id],
                first_response_minutes=policy.first_response_minutes,
                resolution_minutes=policy.resolution_minutes,
                pause_statuses=policy.pause_statuses,
                facts=facts,
                now=now,
            )
            row = existing.get(ticket_id)
            if row is None:
                tracks = (tracks_if_new or {}).get(ticket_id)
                if tracks is None:  # a due date the built-in table gave (or none) follows
                    tracks = ticket.due_at is None or ticket.due_at == default_due_at(
                        ticket.priority, ticket.created_at
                    )
                row = TicketSla(ticket_id=ticket_id, warned_at_risk=False, warned_breached=False)
                session.add(row)
            else:
                tracks = row.tracks_due_at
            row.tracks_due_at = tracks and ticket_id not in hand_set
            row.policy_id = policy.id
            row.computed_at = now
            for name, value in values.items():
                setattr(row, name, value)
            due = row.resolution_due_at if row.tracks_due_at else None
            outcome[ticket_id] = Refreshed(row, due if due != ticket.due_at else None)
    await session.flush()
    return outcome


async def refresh_open_tickets(
    session: AsyncSession, *, policy_ids: Sequence[int] = (), also: Sequence[int] = ()
) -> int:
    """Recompute every open ticket, every ticket of `policy_ids` (edited policies, or those on
    an edited calendar) and the tickets in `also` (those a deleted policy had). The due_at of
    tickets that follow their SLA moves along without a history entry: the change is the
    admin's policy edit, which the audit log records. Returns how many were recomputed."""
    conditions = [Ticket.status.not_in(CLOSED_STATUSES)]
    if policy_ids:
        of_policies = select(TicketSla.ticket_id).where(TicketSla.policy_id.in_(policy_ids))
        conditions.append(Ticket.id.in_(of_policies))
    ids = set((await session.execute(select(Ticket.id).where(or_(*conditions)))).scalars())
    ids.update(also)
    done = await refresh_ticket_sla(session, sorted(ids))
    for ticket_id, result in done.items():
        if result.due_at is not None:
            await session.execute(
                update(Ticket)
                .where(Ticket.id == ticket_id)
                .values(due_at=result.due_at)
                .execution_options(synchronize_session=False)
            )
    return len(ids)
