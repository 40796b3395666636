"""Attachment rules: store (deduplicated by sha256), attach to tickets and comments, who sees
what, delete (the content goes when nothing uses it). No HTTP here: inbound mail calls
`store_attachment` directly.

Visibility follows what a file is attached to: a draft (no ticket yet) is its uploader's
alone; a file on a ticket is seen by whoever sees the ticket, except an internal one (an
internal note's, or marked so by staff), which only staff see.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Select, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from deskboard.attachments.blobs import keep_content, release_after_commit
from deskboard.attachments.models import Attachment
from deskboard.attachments.schemas import AttachmentRead, UploaderRead
from deskboard.attachments.sniffing import clean_filename, may_show_inline, served_type, sniff
from deskboard.attachments.storage import (
    StagedFile,
    get_store,
    stage_bytes,
    staging_dir,
)
from deskboard.audit.service import record
from deskboard.auth.models import User
from deskboard.auth.roles import can
from deskboard.config import Settings, get_settings
from deskboard.core.errors import Forbidden, NotFound, Unprocessable
from deskboard.tickets.models import Ticket
from deskboard.tickets.querying import may_see_ticket, ticket_load_options


def attachment_url(attachment_id: int) -> str:
    return f"/api/attachments/{attachment_id}"


def attachment_read(attachment: Attachment) -> AttachmentRead:
    """Serialise an attachment loaded with its uploader."""
    uploader = attachment.uploaded_by
    return AttachmentRead(
        id=attachment.id,
        ticket_id=attachment.ticket_id,
        comment_id=attachment.comment_id,
        filename=attachment.filename,
        content_type=attachment.content_type,
        size=attachment.size,
        sha256=attachment.sha256,
        internal=attachment.internal,
        inline=may_show_inline(attachment.content_type),
        url=attachment_url(attachment.id),
        uploaded_by=UploaderRead.model_validate(uploader) if uploader is not None else None,
        created_at=attachment.created_at,
    )


def sees_internal(viewer: User) -> bool:
    return can(viewer.role, "tickets:internal_notes")


async def store_attachment(
    session: AsyncSession,
    *,
    ticket_id: int | None,
    filename: str,
    content: bytes,
    uploaded_by_id: int | None,
    internal: bool,
    comment_id: int | None = None,
    content_id: str | None = None,
    settings: Settings | None = None,
) -> Attachment:
    """Store a content held in memory (a mail part) as an attachment of a ticket (or of one
    of its comments), or as a draft when `ticket_id` is None. No permission check: the caller
    decides. Raises PayloadTooLarge over DESKBOARD_MAX_ATTACHMENT_BYTES."""
    settings = settings or get_settings()
    staged = await stage_bytes(staging_dir(settings), content, settings.max_attachment_bytes)
    return await store_staged(
        session,
        staged=staged,
        ticket_id=ticket_id,
        filename=filename,
        uploaded_by_id=uploaded_by_id,
        internal=internal,
        comment_id=comment_id,
        content_id=content_id,
        settings=settings,
    )


async def store_staged(
    session: AsyncSession,
    *,
    staged: StagedFile,
    ticket_id: int | None,
    filename: str,
    uploaded_by_id: int | None,
    internal: bool,
    comment_id: int | None = None,
    content_id: str | None = None,
    settings: Settings | None = None,
) -> Attachment:
    """Move a staged content into the store (once per sha256) and add its attachment row."""
    settings = settings or get_settings()
    name = clean_filename(filename)
    try:
        await keep_content(session, get_store(settings), staged)
    finally:
        staged.discard()  # nothing left to do when the store took the file
    attachment = Attachment(
        ticket_id=ticket_id,
        comment_id=comment_id,
        sha256=staged.sha256,
        filename=name,
        content_type=served_type(sniff(staged.head), name),
        size=staged.size,
        internal=internal,
        uploaded_by_id=uploaded_by_id,
        content_id=content_id[:255] if content_id else None,
    )
    session.add(attachment)
    await session.flush()
    return attachment


async def upload(
    session: AsyncSession,
    *,
    actor: User,
    ticket: Ticket | None,
    staged: StagedFile,
    filename: str,
    internal: bool,
    settings: Settings | None = None,
) -> AttachmentRead:
    """An upload from a person: to a ticket they see, or a draft for a ticket to come."""
    if internal and not sees_internal(actor):
        staged.discard()
        raise Forbidden("Only agents and admins mark files internal")
    attachment = await store_staged(
        session,
        staged=staged,
        ticket_id=ticket.id if ticket is not None else None,
        filename=filename,
        uploaded_by_id=actor.id,
        internal=internal,
        settings=settings,
    )
    loaded = await _load(session, attachment.id)
    result = attachment_read(loaded)
    if ticket is not None:
        record(
            session,
            actor_id=actor.id,
            action="ticket.attachment_added",
            entity_type="ticket",
            entity_id=ticket.id,
            after=result.model_dump(mode="json"),
        )
    return result


async def link_attachments(
    session: AsyncSession,
    *,
    ticket_id: int,
    attachment_ids: Sequence[int],
    actor_id: int,
    comment_id: int | None = None,
    internal: bool | None = None,
    field: str = "attachment_ids",
) -> list[Attachment]:
    """Attach the caller's unattached uploads (drafts, or files they uploaded to this ticket)
    to the ticket and, given one, to a comment. `internal` (the comment's) replaces each file's
    own flag: an internal note's files become internal. Anything else is 422, per id."""
    if not attachment_ids:
        return []
    ids = list(attachment_ids)
    usable = (
        (Attachment.id.in_(ids))
        & (Attachment.uploaded_by_id == actor_id)
        & (Attachment.comment_id.is_(None))
        & ((Attachment.ticket_id.is_(None)) | (Attachment.ticket_id == ticket_id))
    )
    found = set((await session.execute(select(Attachment.id).where(usable))).scalars())
    missing = [(index, value) for index, value in enumerate(ids) if value not in found]
    if missing:
        raise _unusable(missing, field)
    values: dict[str, object] = {"ticket_id": ticket_id, "comment_id": comment_id}
    if internal is not None:
        values["internal"] = internal
    changed = await session.execute(
        update(Attachment)
        .where(usable)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != len(ids):  # type: ignore[attr-defined]  # a concurrent request took one
        raise _unusable(list(enumerate(ids)), field)
    rows = await session.execute(
        select(Attachment)
        .where(Attachment.id.in_(ids))
        .options(joinedload(Attachment.uploaded_by))
        .order_by(Attachment.id)
        .execution_options(populate_existing=True)
    )
    return list(rows.scalars())


def _unusable(problems: list[tuple[int, int]], field: str) -> Unprocessable:
    return Unprocessable(
        [
            {
                "loc": ["body", field, index],
                "msg": f"No upload {value} of yours that is not attached yet",
                "type": "attachment",
            }
            for index, value in problems
        ]
    )


def _visible(stmt: Select[Any], viewer: User) -> Select[Any]:
    return stmt if sees_internal(viewer) else stmt.where(Attachment.internal.is_(False))


async def list_for_ticket(
    session: AsyncSession, *, viewer: User, ticket: Ticket
) -> list[AttachmentRead]:
    """The files of a ticket (its own and its comments'), oldest first, that the viewer may see."""
    stmt = (
        select(Attachment)
        .where(Attachment.ticket_id == ticket.id)
        .options(joinedload(Attachment.uploaded_by))
        .order_by(Attachment.id)
    )
    return [attachment_read(a) for a in (await session.execute(_visible(stmt, viewer))).scalars()]


async def by_comment(
    session: AsyncSession, *, viewer: User, comment_ids: Iterable[int]
) -> dict[int, list[AttachmentRead]]:
    """The files of these comments that the viewer may see, by comment id."""
    wanted = list(comment_ids)
    if not wanted:
        return {}
    stmt = (
        select(Attachment)
        .where(Attachment.comment_id.in_(wanted))
        .options(joinedload(Attachment.uploaded_by))
        .order_by(Attachment.id)
    )
    grouped: dict[int, list[AttachmentRead]] = {}
    for attachment in (await session.execute(_visible(stmt, viewer))).scalars():
        assert attachment.comment_id is not None
        grouped.setdefault(attachment.comment_id, []).append(attachment_read(attachment))
    return grouped


async def _load(session: AsyncSession, attachment_id: int) -> Attachment:
    stmt = (
        select(Attachment)
        .where(Attachment.id == attachment_id)
        .options(joinedload(Attachment.uploaded_by))
        .execution_options(populate_existing=True)
    )
    attachment = (await session.execute(stmt)).scalar_one_or_none()
    if attachment is None:
        raise NotFound(f"No attachment {attachment_id}")
    return attachment


async def may_see(session: AsyncSession, viewer: User, attachment: Attachment) -> bool:
    if attachment.ticket_id is None:
        return attachment.uploaded_by_id == viewer.id
    if attachment.internal and not sees_internal(viewer):
        return False
    # Loaded as may_see_ticket needs it (the ticket's team and its members).
    ticket = await session.get(Ticket, attachment.ticket_id, options=ticket_load_options())
    return ticket is not None and may_see_ticket(viewer, ticket)


async def get_visible(session: AsyncSession, *, viewer: User, attachment_id: int) -> Attachment:
    """The attachment, if it exists and the viewer may see it; NotFound otherwise."""
    try:
        attachment = await _load(session, attachment_id)
    except NotFound:
        raise NotFound(f"No attachment {attachment_id}") from None
    if not await may_see(session, viewer, attachment):
        raise NotFound(f"No attachment {attachment_id}")
    return attachment


async def delete_attachment(
    session: AsyncSession, *, actor: User, attachment: Attachment, settings: Settings | None = None
) -> None:
    """Delete a file: its uploader, or staff. Its content goes once nothing else uses it."""
    if attachment.uploaded_by_id != actor.id and not can(actor.role, "tickets:triage"):
        raise Forbidden("Only the uploader or staff may delete this file")
    before = attachment_read(attachment).model_dump(mode="json")
    removed = await session.execute(delete(Attachment).where(Attachment.id == attachment.id))
    if removed.rowcount == 0:  # type: ignore[attr-defined]  # a concurrent DELETE got there first
        raise NotFound(f"No attachment {attachment.id}")
    if attachment.ticket_id is not None:
        record(
            session,
            actor_id=actor.id,
            action="ticket.attachment_deleted",
            entity_type="ticket",
            entity_id=attachment.ticket_id,
            before=before,
        )
    release_after_commit(session, get_store(settings or get_settings()), [attachment.sha256])


async def release_ticket_files(
    session: AsyncSession, *, ticket_id: int, settings: Settings | None = None
) -> None:
    """Before a ticket is deleted (its attachment rows go with it): remove, once that commits,
    the contents no other ticket or attachment uses."""
    from deskboard.attachments.blobs import shas_of_ticket

    shas = await shas_of_ticket(session, ticket_id)
    release_after_commit(session, get_store(settings or get_settings()), shas)
