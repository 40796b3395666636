"""The latest things that happened to the tickets a person may see: tickets filed, fields
changed, replies and (for staff) internal notes, newest first."""

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.analytics.schemas import Activity, ActivityItem, AgentRef, TicketRef
from deskboard.analytics.segments import scoped
from deskboard.auth.models import User
from deskboard.auth.roles import can
from deskboard.tickets.filters import TicketFilter
from deskboard.tickets.models import Comment, Ticket, TicketChange

EXCERPT_CHARS = 200


async def activity(
    session: AsyncSession, *, viewer: User, ticket_filter: TicketFilter, now: datetime, limit: int
) -> Activity:
    """Each source gives its `limit` newest rows (an index walk); the merge keeps the newest."""
    ticket_ref = (Ticket.id, Ticket.number, Ticket.title)

    created = select(Ticket.created_at, User.id, User.name, *ticket_ref).join(
        User, User.id == Ticket.requester_id
    )
    created = scoped(created, ticket_filter, viewer, now)
    created = created.order_by(Ticket.created_at.desc(), Ticket.id.desc()).limit(limit)
    items = [
        _item("created", at, actor_id, actor_name, (tid, number, title))
        for at, actor_id, actor_name, tid, number, title in (await session.execute(created)).all()
    ]

    changes = (
        select(TicketChange, User.id, User.name, *ticket_ref)
        .join(Ticket, Ticket.id == TicketChange.ticket_id)
        .outerjoin(User, User.id == TicketChange.actor_id)
    )
    changes = scoped(changes, ticket_filter, viewer, now)
    changes = changes.order_by(TicketChange.at.desc(), TicketChange.id.desc()).limit(limit)
    for change, actor_id, actor_name, tid, number, title in (await session.execute(changes)).all():
        item = _item("changed", change.at, actor_id, actor_name, (tid, number, title))
        item.field = change.field
        item.from_value = _clip(change.old)
        item.to_value = _clip(change.new)
        items.append(item)

    comments = (
        select(Comment, User.id, User.name, *ticket_ref)
        .join(Ticket, Ticket.id == Comment.ticket_id)
        .join(User, User.id == Comment.author_id)
    )
    if not can(viewer.role, "tickets:internal_notes"):
        comments = comments.where(Comment.internal.is_(False))
    comments = scoped(comments, ticket_filter, viewer, now)
    comments = comments.order_by(Comment.created_at.desc(), Comment.id.desc()).limit(limit)
    for comment, actor_id, actor_name, tid, number, title in (
        await session.execute(comments)
    ).all():
        kind = "note" if comment.internal else "comment"
        item = _item(kind, comment.created_at, actor_id, actor_name, (tid, number, title))
        item.excerpt = _clip(" ".join(comment.body.split()))
        items.append(item)

    items.sort(key=lambda item: item.at, reverse=True)
    return Activity(items=items[:limit])


def _item(
    kind: str,
    at: datetime,
    actor_id: int | None,
    actor_name: str | None,
    ticket: tuple[int, int | None, str],
) -> ActivityItem:
    ticket_id, number, title = ticket
    actor = None if actor_id is None else AgentRef(id=actor_id, name=actor_name or "")
    return ActivityItem(
        kind=kind,  # type: ignore[arg-type]
        at=at,
        actor=actor,
        ticket=TicketRef(id=ticket_id, number=number or ticket_id, title=title),
    )


def _clip(value: Any) -> Any:
    if isinstance(value, str) and len(value) > EXCERPT_CHARS:
        return value[: EXCERPT_CHARS - 1] + "…"
    return value
