"""Ticket rules: list, create, update (optimistic, with history), delete; events after commit."""

from collections import OrderedDict
from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.apitokens.scopes import api_scopes
from deskboard.apitokens.service import is_token_account
from deskboard.attachments.service import link_attachments, release_ticket_files
from deskboard.audit.service import record
from deskboard.auth.models import User
from deskboard.auth.roles import can
from deskboard.core.errors import Conflict, Forbidden, NotFound, Unprocessable
from deskboard.core.events import Event, emit
from deskboard.core.fastsql import fetch_rows
from deskboard.core.time import utcnow
from deskboard.notifications.service import notify_ticket_change
from deskboard.sla.ticket_service import SLA_FIELDS, refresh_ticket_sla
from deskboard.teams.models import Team
from deskboard.tickets import listing
from deskboard.tickets.filters import TicketFilter
from deskboard.tickets.models import CLOSED_STATUSES, Ticket, TicketChange, TicketTag
from deskboard.tickets.paging import TicketSort, apply_sort_and_cursor, next_cursor
from deskboard.tickets.policy import default_due_at
from deskboard.tickets.querying import (
    apply_ticket_filter,
    may_see_ticket,
    ticket_audience,
    ticket_load_options,
)
from deskboard.tickets.schemas import TicketCreate, TicketRead, TicketUpdate
from deskboard.tickets.workflow import check_assignee, check_update

STAFF_ROLES = frozenset({"admin", "agent"})


def ticket_read(ticket: Ticket) -> TicketRead:
    """Serialise a ticket loaded with ticket_load_options()."""
    return TicketRead.model_validate(ticket)


def ticket_json(ticket: Ticket) -> dict[str, Any]:
    """The TicketRead as plain JSON values (event payloads, audit entries, 409 bodies)."""
    return ticket_read(ticket).model_dump(mode="json")


async def load_ticket(session: AsyncSession, ticket_id: int) -> Ticket | None:
    """Load a ticket with everything TicketRead needs, refreshed from the database."""
    stmt = (
        select(Ticket)
        .where(Ticket.id == ticket_id)
        .options(*ticket_load_options())
        .execution_options(populate_existing=True)
    )
    return (await session.execute(stmt)).unique().scalar_one_or_none()


async def get_visible_ticket(session: AsyncSession, *, ticket_id: int, viewer: User) -> Ticket:
    """The ticket, if it exists and the viewer may see it; NotFound otherwise (hides existence)."""
    ticket = await load_ticket(session, ticket_id)
    if ticket is None or not may_see_ticket(viewer, ticket):
        raise NotFound(f"No ticket {ticket_id}")
    return ticket


async def list_tickets(
    session: AsyncSession,
    *,
    viewer: User,
    ticket_filter: TicketFilter,
    sort: TicketSort,
    cursor: str | None,
    limit: int,
) -> listing.TicketPageData:
    """One page of the list (TicketPage's shape), read as plain rows (listing.py): the hot path
    of every queue; listing.page_json gives its JSON."""
    stmt, reused = _page_statement(ticket_filter, viewer, sort, cursor, limit)
    # Plain columns, so no ORM result set-up; a first page's statement is kept (below), which
    # lets it run straight on asyncpg (core/fastsql.py), a one-off later page the usual way.
    if reused:
        rows = await fetch_rows(session, stmt)
    else:
        rows = (await (await session.connection()).execute(stmt)).all()
    now = utcnow()
    return {
        "items": [listing.item_from_row(row, now) for row in rows[:limit]],
        "next_cursor": next_cursor(rows, sort, limit),
    }


# Recent first-page SELECTs by everything their SQL depends on. A statement is immutable and
# SQLAlchemy memoises its compiled-cache key on the object, so a queue polled again and again
# reuses one statement instead of rebuilding it and regenerating its key (~0.15 ms a request).
_PAGE_STATEMENTS: OrderedDict[tuple[Any, ...], Select[Any]] = OrderedDict()
_PAGE_STATEMENTS_MAX = 512


def _page_statement(
    ticket_filter: TicketFilter, viewer: User, sort: TicketSort, cursor: str | None, limit: int
) -> tuple[Select[Any], bool]:
    """The page's SELECT, and whether it is a kept (reused) one."""

    def build() -> Select[Any]:
        stmt = apply_ticket_filter(listing.page_select(), ticket_filter, viewer=viewer)
        return apply_sort_and_cursor(stmt, sort, cursor, limit)

    # Later pages are one-off; `overdue` and `sla` compare with the current time.
    if cursor is not None or ticket_filter.overdue is not None or ticket_filter.sla:
        return build(), False
    # The viewer's id and role decide visibility and what "me" means.
    key = (ticket_filter.model_dump_json(), viewer.id, viewer.role, sort, limit)
    stmt = _PAGE_STATEMENTS.get(key)
    if stmt is None:
        stmt = _PAGE_STATEMENTS[key] = build()
        if len(_PAGE_STATEMENTS) > _PAGE_STATEMENTS_MAX:
            _PAGE_STATEMENTS.popitem(last=False)
    else:
        _PAGE_STATEMENTS.move_to_end(key)
    return stmt, True


async def create_ticket(
    session: AsyncSession,
    *,
    actor: User,
    data: TicketCreate,
    origin: str | None = None,
    channel: str | None = None,
) -> Ticket:
    staff_only = {"requester_id", "assignee_id", "due_at", "team_id"} & data.model_fields_set
    if staff_only - {"requester_id"} and not can(actor.role, "tickets:triage"):
        raise Forbidden("Only agents and admins set the assignee, team or due date of a new ticket")
    requester_id = data.requester_id or actor.id
    if requester_id != actor.id:
        if not can(actor.role, "tickets:triage"):
            raise Forbidden("You may only file tickets for yourself")
        await _require_active_user(session, requester_id, field="requester_id")
    if data.assignee_id is not None:
        await _check_assignee(session, data.assignee_id)
    if data.team_id is not None:
        await _check_team(session, data.team_id)
    now = utcnow()
    ticket = Ticket(
        title=data.title,
        description=data.description,
        status="new",
        priority=data.priority.value,
        requester_id=requester_id,
        assignee_id=data.assignee_id,
        # The SLA's resolution due time replaces this below when a policy applies.
        due_at=data.due_at or default_due_at(data.priority.value, now),
        created_at=now,
        updated_at=now,
        version=1,
        channel=channel or ("api" if api_scopes(actor) is not None else "web"),
        team_id=data.team_id,
    )
    session.add(ticket)
    await session.flush()
    # The human number is the id: unique and free of any counter shared by concurrent inserts.
    ticket.number = ticket.id
    if data.tags:
        await session.execute(
            insert(TicketTag), [{"ticket_id": ticket.id, "tag": tag} for tag in data.tags]
        )
    await link_attachments(
        session, ticket_id=ticket.id, attachment_ids=data.attachment_ids, actor_id=actor.id
    )
    await session.flush()
    hand_set = data.due_at is not None
    sla = await refresh_ticket_sla(
        session, [ticket.id], now=now, tracks_if_new={ticket.id: not hand_set}
    )
    new_due = sla[ticket.id].due_at
    if new_due is not None:
        await session.execute(
            update(Ticket)
            .where(Ticket.id == ticket.id)
            .values(due_at=new_due)
            .execution_options(synchronize_session=False)
        )
    created = await reload_ticket(session, ticket.id)
    after = ticket_json(created)
    record(
        session,
        actor_id=actor.id,
        action="ticket.created",
        entity_type="ticket",
        entity_id=created.id,
        after=after,
    )
    emit(session, Event("ticket.created", after, ticket_audience(created), origin=origin))
    if created.assignee_id is not None:
        changes = {"assignee_id": created.assignee_id}
        await notify_ticket_change(session, ticket=created, changes=changes, actor=actor)
    return await _run_automations(session, "ticket.created", created, {})


async def update_ticket(
    session: AsyncSession,
    *,
    actor: User,
    ticket: Ticket,
    data: TicketUpdate,
    origin: str | None = None,
    automation_id: int | None = None,
) -> Ticket:
    """Apply the changed fields in one conditional UPDATE; 409 with the current ticket if stale.
    `automation_id`: the rule making the change (its history rows name it)."""
    changes = _effective_changes(ticket, data.changes())
    check_update(actor, ticket, changes)
    if ticket.version != data.version:
        raise _stale(ticket)
    if ticket.sla_row is None:  # no SLA: the built-in per-priority table sets the due date
        changes.update(_policy_due_at(ticket, changes))
    if not changes:
        return ticket
    if changes.get("assignee_id") is not None:
        await _check_assignee(session, changes["assignee_id"])
    if changes.get("team_id") is not None:
        await _check_team(session, changes["team_id"])

    now = utcnow()
    values = {name: value for name, value in changes.items() if name != "tags"}
    if "status" in changes:
        values.update(_status_side_effects(ticket, changes["status"], now))
    stmt = (
        update(Ticket)
        .where(Ticket.id == ticket.id, Ticket.version == data.version)
        .values(**values, version=Ticket.version + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if (await session.execute(stmt)).rowcount == 0:  # type: ignore[attr-defined]
        raise _stale(await reload_ticket(session, ticket.id))
    if "tags" in changes:
        await session.execute(delete(TicketTag).where(TicketTag.ticket_id == ticket.id))
        if changes["tags"]:
            await session.execute(
                insert(TicketTag), [{"ticket_id": ticket.id, "tag": t} for t in changes["tags"]]
            )
    if SLA_FIELDS & changes.keys() or "due_at" in changes:
        changes.update(await _refresh_sla(session, ticket, changes, now))
    before = {name: _plain(_current(ticket, name)) for name in changes}
    after = {name: _plain(value) for name, value in changes.items()}
    session.add_all(
        TicketChange(
            ticket_id=ticket.id,
            actor_id=actor.id,
            automation_id=automation_id,
            field=name,
            old=before[name],
            new=after[name],
            at=now,
        )
        for name in sorted(changes)
    )
    record(
        session,
        actor_id=actor.id,
        action="ticket.updated",
        entity_type="ticket",
        entity_id=ticket.id,
        before=before,
        after=after,
    )
    updated = await reload_ticket(session, ticket.id)
    emit(session, Event("ticket.updated", ticket_json(updated), ticket_audience(updated), origin))
    await notify_ticket_change(session, ticket=updated, changes=changes, actor=actor)
    return await _run_automations(session, "ticket.updated", updated, changes)


async def _run_automations(
    session: AsyncSession, trigger: str, ticket: Ticket, changes: dict[str, Any]
) -> Ticket:
    """Run the rules for this change in the same transaction; the ticket as they left it."""
    from deskboard.automations.engine import on_ticket_event  # automations build on tickets

    return await on_ticket_event(session, trigger=trigger, ticket=ticket, changes=changes)


async def delete_ticket(
    session: AsyncSession, *, actor: User, ticket: Ticket, origin: str | None = None
) -> None:
    before = ticket_json(ticket)
    # Its attachment rows go with it (cascade); their contents once nothing else uses them.
    await release_ticket_files(session, ticket_id=ticket.id)
    deleted = await session.execute(delete(Ticket).where(Ticket.id == ticket.id))
    if deleted.rowcount == 0:  # type: ignore[attr-defined]  # a concurrent DELETE got there first
        raise NotFound("No such ticket")
    record(
        session,
        actor_id=actor.id,
        action="ticket.deleted",
        entity_type="ticket",
        entity_id=ticket.id,
        before=before,
    )
    emit(session, Event("ticket.deleted", before, ticket_audience(ticket), origin=origin))


async def _refresh_sla(
    session: AsyncSession, ticket: Ticket, changes: dict[str, Any], now: datetime
) -> dict[str, Any]:
    """Recompute the ticket's SLA after an edit; the due_at change it brings (if the due date
    follows the SLA), recorded with the edit like any other field."""
    hand_set = "due_at" in changes
    follows = not hand_set and (
        ticket.due_at is None or ticket.due_at == default_due_at(ticket.priority, ticket.created_at)
    )
    outcome = await refresh_ticket_sla(
        session,
        [ticket.id],
        now=now,
        tracks_if_new={ticket.id: follows},
        hand_set_due=[ticket.id] if hand_set else [],
        pending_status=(
            {ticket.id: (now, ticket.status, changes["status"])} if "status" in changes else None
        ),
    )
    new_due = outcome[ticket.id].due_at
    if new_due is None or hand_set or new_due == ticket.due_at:
        return {}
    await session.execute(
        update(Ticket)
        .where(Ticket.id == ticket.id)
        .values(due_at=new_due)
        .execution_options(synchronize_session=False)
    )
    return {"due_at": new_due}


def _policy_due_at(ticket: Ticket, changes: dict[str, Any]) -> dict[str, Any]:
    """A new priority moves a due date the policy set to the new priority's; a due date set by
    hand (or cleared, or sent in the same edit) stays as it is."""
    if "priority" not in changes or "due_at" in changes or ticket.due_at is None:
        return {}
    if ticket.due_at != default_due_at(ticket.priority, ticket.created_at):
        return {}
    return {"due_at": default_due_at(changes["priority"], ticket.created_at)}


def _status_side_effects(ticket: Ticket, status: str, now: datetime) -> dict[str, Any]:
    """Resolving stamps resolved_at (closing keeps the first stamp); reopening clears it."""
    if status in CLOSED_STATUSES:
        return {} if ticket.resolved_at is not None else {"resolved_at": now}
    return {"resolved_at": None}


def _effective_changes(ticket: Ticket, requested: dict[str, Any]) -> dict[str, Any]:
    """Keep only the fields whose value differs from the stored one, as plain values."""
    changes: dict[str, Any] = {}
    for name, value in requested.items():
        plain = value.value if hasattr(value, "value") else value
        if plain != _current(ticket, name):
            changes[name] = plain
    return changes


def _current(ticket: Ticket, name: str) -> Any:
    return ticket.tags if name == "tags" else getattr(ticket, name)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _stale(current: Ticket) -> Conflict:
    return Conflict(
        "This ticket was changed since you loaded it: review the current version and retry",
        current=ticket_json(current),
    )


async def reload_ticket(session: AsyncSession, ticket_id: int) -> Ticket:
    """Load a ticket that must exist (NotFound if a concurrent request deleted it)."""
    ticket = await load_ticket(session, ticket_id)
    if ticket is None:
        raise NotFound(f"No ticket {ticket_id}")
    return ticket


async def _check_assignee(session: AsyncSession, user_id: int) -> None:
    """An active agent or admin, and a person: never an API token's account."""
    check_assignee(await session.get(User, user_id))
    if await is_token_account(session, user_id):
        raise Unprocessable(
            [
                {
                    "loc": ["body", "assignee_id"],
                    "msg": "An API token's account cannot be assigned tickets",
                    "type": "assignee",
                }
            ]
        )


async def _check_team(session: AsyncSession, team_id: int) -> None:
    if await session.get(Team, team_id) is None:
        raise Unprocessable(
            [{"loc": ["body", "team_id"], "msg": f"No team {team_id}", "type": "team"}]
        )


async def _require_active_user(session: AsyncSession, user_id: int, *, field: str) -> User:
    user = await session.get(User, user_id)
    if user is None or not user.is_active:
        raise Unprocessable(
            [{"loc": ["body", field], "msg": f"No active user {user_id}", "type": "user"}]
        )
    return user
