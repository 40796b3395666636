"""A person's notification feed: newest first by keyset, unread count, marking read.

The feed shows what its person may still see: after a demotion, notifications about tickets
they no longer see (a demotion, a restricted team they are not in), or about internal notes,
are hidden (kept, and shown again if the rights come back). Admins see every ticket, so only
other viewers pay for the check (an exists() on the ticket's primary key per row read).
"""

from sqlalchemy import ColumnElement, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.auth.models import User
from deskboard.auth.roles import can
from deskboard.core.cursor import decode_cursor, encode_cursor
from deskboard.core.errors import BadRequest, NotFound
from deskboard.core.time import utcnow
from deskboard.notifications.models import Notification
from deskboard.notifications.schemas import NotificationPage, NotificationRead, ReadAllResult
from deskboard.notifications.service import notification_read
from deskboard.tickets.filters import MAX_ID
from deskboard.tickets.models import Ticket
from deskboard.tickets.querying import sees_restricted_tickets, visibility_condition


def visible_to(viewer: User) -> list[ColumnElement[bool]]:
    """Conditions on Notification: the viewer's own, about what they may still see."""
    conditions = [Notification.recipient_id == viewer.id]
    if not can(viewer.role, "tickets:internal_notes"):
        conditions.append(Notification.internal.is_(False))
    if not sees_restricted_tickets(viewer):
        may_see = exists().where(Ticket.id == Notification.ticket_id, visibility_condition(viewer))
        conditions.append(or_(Notification.ticket_id.is_(None), may_see))
    return conditions


async def list_notifications(
    session: AsyncSession, *, viewer: User, unread: bool | None, limit: int, cursor: str | None
) -> NotificationPage:
    """The viewer's notifications, newest first; `unread` True/False narrows to one kind."""
    stmt = select(Notification).where(*visible_to(viewer))
    if unread is True:
        stmt = stmt.where(Notification.read_at.is_(None))
    elif unread is False:
        stmt = stmt.where(Notification.read_at.is_not(None))
    if cursor is not None:
        (last_id,) = decode_cursor(cursor, int)
        # Ids are 32-bit in the database: a larger one can only come from a forged cursor, and
        # PostgreSQL would refuse to compare with it (a 500 instead of a clear 400).
        if not 1 <= last_id <= MAX_ID:
            raise BadRequest("Malformed cursor: pass back the next_cursor of a previous page")
        stmt = stmt.where(Notification.id < last_id)
    rows = list(
        (await session.execute(stmt.order_by(Notification.id.desc()).limit(limit + 1))).scalars()
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return NotificationPage(
        items=[notification_read(row) for row in rows],
        next_cursor=encode_cursor(rows[-1].id) if more else None,
        unread_count=await unread_count(session, viewer=viewer),
    )


async def unread_count(session: AsyncSession, *, viewer: User) -> int:
    stmt = select(func.count()).where(*visible_to(viewer), Notification.read_at.is_(None))
    return int((await session.execute(stmt)).scalar_one())


async def mark_read(
    session: AsyncSession, *, viewer: User, notification_id: int
) -> NotificationRead:
    """Mark one of the viewer's notifications read (again: no change); 404 for anyone else's."""
    stmt = select(Notification).where(Notification.id == notification_id, *visible_to(viewer))
    notification = (await session.execute(stmt)).scalar_one_or_none()
    if notification is None:
        raise NotFound(f"No notification {notification_id}")
    if notification.read_at is None:
        notification.read_at = utcnow()
        await session.flush()
    return notification_read(notification)


async def mark_all_read(session: AsyncSession, *, viewer: User) -> ReadAllResult:
    stmt = (
        update(Notification)
        .where(Notification.recipient_id == viewer.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    marked = (await session.execute(stmt)).rowcount  # type: ignore[attr-defined]
    return ReadAllResult(marked=marked, unread_count=0)
