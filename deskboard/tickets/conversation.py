"""Comments (public replies and internal notes) and the per-ticket change history."""

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from deskboard.attachments import service as attachments
from deskboard.audit.service import record
from deskboard.auth.models import User
from deskboard.auth.roles import can
from deskboard.core.errors import Forbidden
from deskboard.core.events import Audience, Event, emit
from deskboard.core.time import utcnow
from deskboard.notifications.service import notify_comment
from deskboard.tickets.models import Comment, Ticket, TicketChange
from deskboard.tickets.querying import sees_all_tickets
from deskboard.tickets.schemas import CommentCreate, CommentRead, TicketChangeRead
from deskboard.tickets.service import STAFF_ROLES, reload_ticket, ticket_audience, ticket_json


def comment_read(comment: Comment) -> CommentRead:
    return CommentRead.model_validate(comment)


async def list_comments(
    session: AsyncSession, *, viewer: User, ticket: Ticket
) -> list[CommentRead]:
    """The conversation, oldest first; internal notes only for staff."""
    stmt = (
        select(Comment)
        .where(Comment.ticket_id == ticket.id)
        .options(joinedload(Comment.author))
        .order_by(Comment.created_at, Comment.id)
    )
    if not can(viewer.role, "tickets:internal_notes"):
        stmt = stmt.where(Comment.internal.is_(False))
    comments = [comment_read(c) for c in (await session.execute(stmt)).scalars()]
    files = await attachments.by_comment(
        session, viewer=viewer, comment_ids=[c.id for c in comments]
    )
    for comment in comments:
        comment.attachments = files.get(comment.id, [])
    return comments


async def add_comment(
    session: AsyncSession,
    *,
    actor: User,
    ticket: Ticket,
    data: CommentCreate,
    origin: str | None = None,
) -> CommentRead:
    """Add a reply or note; a requester's reply reopens a resolved ticket, and the first public
    staff reply stamps first_response_at."""
    if data.internal and not can(actor.role, "tickets:internal_notes"):
        raise Forbidden("Only agents and admins write internal notes")
    now = utcnow()
    comment = Comment(
        ticket_id=ticket.id, author_id=actor.id, body=data.body, internal=data.internal
    )
    comment.created_at = now
    session.add(comment)
    await session.flush()
    linked = await attachments.link_attachments(
        session,
        ticket_id=ticket.id,
        attachment_ids=data.attachment_ids,
        actor_id=actor.id,
        comment_id=comment.id,
        internal=data.internal,
    )

    values: dict[str, Any] = {"updated_at": now}
    by_requester = actor.id == ticket.requester_id and not sees_all_tickets(actor)
    if by_requester and ticket.status == "resolved":
        values.update(status="open", resolved_at=None, version=Ticket.version + 1)
        session.add(
            TicketChange(
                ticket_id=ticket.id,
                actor_id=actor.id,
                field="status",
                old="resolved",
                new="open",
                at=now,
            )
        )
    is_first_response = (
        sees_all_tickets(actor)
        and not data.internal
        and actor.id != ticket.requester_id
        and ticket.first_response_at is None
    )
    if is_first_response:
        values["first_response_at"] = now
    await session.execute(
        update(Ticket)
        .where(Ticket.id == ticket.id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    created = (
        await session.execute(
            select(Comment).where(Comment.id == comment.id).options(joinedload(Comment.author))
        )
    ).scalar_one()
    result = comment_read(created)
    result.attachments = [attachments.attachment_read(a) for a in linked]
    payload = result.model_dump(mode="json")
    record(
        session,
        actor_id=actor.id,
        action="ticket.note_added" if data.internal else "ticket.commented",
        entity_type="ticket",
        entity_id=ticket.id,
        after=payload,
    )
    current = await reload_ticket(session, ticket.id)
    audience = Audience(roles=STAFF_ROLES) if data.internal else ticket_audience(current)
    event_data = {"ticket": ticket_json(current), "comment": payload}
    emit(session, Event("ticket.updated", event_data, audience, origin=origin))
    await notify_comment(session, ticket=current, comment=created, actor=actor)
    return result


async def list_history(session: AsyncSession, *, ticket: Ticket) -> list[TicketChangeRead]:
    """Who changed which field, from what, to what, oldest first."""
    stmt = (
        select(TicketChange)
        .where(TicketChange.ticket_id == ticket.id)
        .options(joinedload(TicketChange.actor))
        .order_by(TicketChange.at, TicketChange.id)
    )
    return [
        TicketChangeRead.model_validate(
            {
                "id": change.id,
                "field": change.field,
                "from": change.old,
                "to": change.new,
                "actor": change.actor,
                "at": change.at,
            }
        )
        for change in (await session.execute(stmt)).scalars()
    ]
