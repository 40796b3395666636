"""Who is told what when a ticket changes; called by the ticket service inside its transaction.

Rules (the actor is never told about their own action):
- assignment: the new assignee;
- a public reply: the requester (when staff wrote it) and the assignee;
- an internal note: the assignee only (requesters never hear of notes);
- a status change: the requester and the assignee (unless the same edit assigned them);
- due soon (a periodic sweep): the assignee, once per ticket.
Each notification is stored and announced by a `notification` event to its recipient alone.
Recipients are decided by their rights when the notification is made, not when they were
assigned: a disabled account, or a person who may no longer see the ticket (a demoted agent) or
read internal notes, is not told.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, or_, select, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.auth.models import User
from deskboard.auth.roles import PERMISSIONS, can
from deskboard.core.events import Audience, Event, emit
from deskboard.core.time import utcnow
from deskboard.notifications.models import SUMMARY_MAX, TITLE_MAX, Notification
from deskboard.notifications.schemas import NotificationKind, NotificationRead
from deskboard.tickets.filters import TicketStatus
from deskboard.tickets.models import CLOSED_STATUSES, Comment, Ticket
from deskboard.tickets.policy import DUE_SOON_WINDOW
from deskboard.tickets.querying import UNRESTRICTED_ROLES, may_see_ticket, team_condition

# Most due-soon notifications written per statement; a sweep loops until none are left.
_SWEEP_BATCH = 500
# Named rather than "not closed": IN lets ix_tickets_status_due seek each status's due range
# (0.1 ms instead of 35 ms over a million tickets on PostgreSQL).
_OPEN_STATUSES = [status.value for status in TicketStatus if status.value not in CLOSED_STATUSES]
_SEE_ALL_ROLES = sorted(role.value for role in PERMISSIONS["tickets:read_all"])


def notification_read(notification: Notification) -> NotificationRead:
    return NotificationRead.model_validate(notification)


async def notify_ticket_change(
    session: AsyncSession, *, ticket: Ticket, changes: dict[str, Any], actor: User
) -> list[Notification]:
    """Notify about an assignment and/or a status change (`changes`: field -> new value)."""
    created: list[Notification] = []
    if changes.get("assignee_id") is not None:
        created += await _notify(
            session,
            recipients=[changes["assignee_id"]],
            kind=NotificationKind.assigned,
            ticket=ticket,
            actor=actor,
            title=f"{actor.name} assigned #{ticket.number} to you",
            summary=ticket.title,
        )
    if "status" in changes:
        # A person just told of their assignment is not told of the same edit twice.
        told = {notification.recipient_id for notification in created}
        created += await _notify(
            session,
            recipients=[p for p in (ticket.requester_id, ticket.assignee_id) if p not in told],
            kind=NotificationKind.status_changed,
            ticket=ticket,
            actor=actor,
            title=f"#{ticket.number} is now {changes['status']}",
            summary=ticket.title,
        )
    return created


async def notify_comment(
    session: AsyncSession, *, ticket: Ticket, comment: Comment, actor: User
) -> list[Notification]:
    """Notify about a reply (requester and assignee) or an internal note (assignee only)."""
    recipients = [ticket.assignee_id]
    if not comment.internal:
        recipients.append(ticket.requester_id)
    what = "added an internal note to" if comment.internal else "replied on"
    return await _notify(
        session,
        recipients=recipients,
        kind=NotificationKind.reply,
        ticket=ticket,
        actor=actor,
        title=f"{actor.name} {what} #{ticket.number}",
        summary=_excerpt(comment.body),
        internal=comment.internal,
    )


async def notify_people(
    session: AsyncSession,
    *,
    recipients: Iterable[int],
    ticket: Ticket,
    actor: User,
    title: str,
) -> list[Notification]:
    """Tell the named people about a ticket (an automation's `notify`); those who may not see
    it, or are disabled, are skipped."""
    return await _notify(
        session,
        recipients=recipients,
        kind=NotificationKind.automation,
        ticket=ticket,
        actor=actor,
        title=title,
        summary=ticket.title,
    )


async def notify_due_soon(session: AsyncSession, *, now: datetime | None = None) -> int:
    """Warn each assignee once about their open tickets due within the window; return how many.

    Idempotent: a partial unique index on (ticket_id, kind, recipient_id) for due_soon rows makes
    a repeated or concurrent sweep insert nothing twice (ON CONFLICT DO NOTHING).
    """
    now = now or utcnow()
    total = 0
    while True:
        batch = await _due_soon_candidates(session, now)
        if not batch:
            return total
        rows = [
            {
                "recipient_id": ticket.assignee_id,
                "kind": NotificationKind.due_soon.value,
                "ticket_id": ticket.id,
                "actor_id": None,
                "title": _clip(
                    f"#{ticket.number} is due at {ticket.due_at:%Y-%m-%d %H:%M} UTC", TITLE_MAX
                ),
                "summary": _clip(ticket.title, SUMMARY_MAX),
                "created_at": now,
            }
            for ticket in batch
        ]
        inserted = await _insert_ignoring_duplicates(session, rows)
        total += len(inserted)
        for notification in inserted:
            _announce(session, notification)
        if len(batch) < _SWEEP_BATCH:
            return total


async def _due_soon_candidates(session: AsyncSession, now: datetime) -> list[Ticket]:
    already_told = exists().where(
        Notification.ticket_id == Ticket.id,
        Notification.kind == NotificationKind.due_soon.value,
        Notification.recipient_id == Ticket.assignee_id,
    )
    # An assignee who may no longer see the ticket (demoted, disabled) is not warned: the rule of
    # tickets.querying.may_see_ticket, with the assignee's row in place of a known viewer.
    assignee_may_see = exists().where(
        User.id == Ticket.assignee_id,
        User.is_active.is_(True),
        or_(
            User.role.in_(UNRESTRICTED_ROLES),
            and_(User.role.in_(_SEE_ALL_ROLES), team_condition(User.id)),
            Ticket.requester_id == User.id,
        ),
    )
    stmt = (
        select(Ticket)
        .where(
            Ticket.assignee_id.is_not(None),
            assignee_may_see,
            Ticket.status.in_(_OPEN_STATUSES),
            and_(Ticket.due_at > now, Ticket.due_at <= now + DUE_SOON_WINDOW),
            ~already_told,
        )
        .order_by(Ticket.due_at, Ticket.id)
        .limit(_SWEEP_BATCH)
    )
    return list((await session.execute(stmt)).scalars())


async def _insert_ignoring_duplicates(
    session: AsyncSession, rows: list[dict[str, Any]]
) -> list[Notification]:
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    stmt = (
        insert(Notification)
        .values(rows)
        .on_conflict_do_nothing(
            index_elements=["ticket_id", "kind", "recipient_id"],
            index_where=text("kind = 'due_soon'"),
        )
        .returning(Notification.id)
    )
    ids = list((await session.execute(stmt)).scalars())
    if not ids:
        return []
    found = await session.execute(
        select(Notification).where(Notification.id.in_(ids)).order_by(Notification.id)
    )
    return list(found.scalars())


async def _notify(
    session: AsyncSession,
    *,
    recipients: Iterable[int | None],
    kind: NotificationKind,
    ticket: Ticket,
    actor: User,
    title: str,
    summary: str,
    internal: bool = False,
) -> list[Notification]:
    """Store one notification per distinct recipient other than the actor who may still see
    what it tells (the ticket; an internal note), and announce each."""
    people = sorted({person for person in recipients if person is not None and person != actor.id})
    if people:
        people = await _entitled(session, people, ticket=ticket, internal=internal)
    if not people:
        return []
    now = utcnow()
    notifications = [
        Notification(
            recipient_id=person,
            kind=kind.value,
            ticket_id=ticket.id,
            actor_id=actor.id,
            title=_clip(title, TITLE_MAX),
            summary=_clip(summary, SUMMARY_MAX),
            internal=internal,
            created_at=now,
        )
        for person in people
    ]
    session.add_all(notifications)
    await session.flush()
    for notification in notifications:
        _announce(session, notification)
    return notifications


async def _entitled(
    session: AsyncSession, people: list[int], *, ticket: Ticket, internal: bool
) -> list[int]:
    """Those of `people` whose current role and account still entitle them to be told."""
    found = await session.scalars(
        select(User)
        .where(User.id.in_(people), User.is_active.is_(True))
        .execution_options(populate_existing=True)  # the rows as committed now, not as cached
    )
    return sorted(
        user.id
        for user in found
        if may_see_ticket(user, ticket)
        and (not internal or can(user.role, "tickets:internal_notes"))
    )


def _announce(session: AsyncSession, notification: Notification) -> None:
    payload = notification_read(notification).model_dump(mode="json")
    audience = Audience(user_ids=frozenset({notification.recipient_id}))
    emit(session, Event("notification", payload, audience))


def _excerpt(body: str) -> str:
    return _clip(" ".join(body.split()), 200)


def _clip(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


async def notify_sla(
    session: AsyncSession, *, ticket: Ticket, kind: NotificationKind, title: str
) -> list[Notification]:
    """Warn a ticket's assignee that its SLA is at risk or breached (the sweep calls this once
    per ticket and state); no actor: the clock, not a person, did it."""
    if ticket.assignee_id is None:
        return []
    people = await _entitled(session, [ticket.assignee_id], ticket=ticket, internal=False)
    notifications = [
        Notification(
            recipient_id=person,
            kind=kind.value,
            ticket_id=ticket.id,
            actor_id=None,
            title=_clip(title, TITLE_MAX),
            summary=_clip(ticket.title, SUMMARY_MAX),
            created_at=utcnow(),
        )
        for person in people
    ]
    session.add_all(notifications)
    await session.flush()
    for notification in notifications:
        _announce(session, notification)
    return notifications
