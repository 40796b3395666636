"""store_attachment (the entry point without HTTP, used by inbound mail) and linking."""

import hashlib

import pytest
from sqlalchemy import func, select

from deskboard.attachments.models import Attachment, AttachmentBlob
from deskboard.attachments.service import link_attachments, store_attachment
from deskboard.attachments.storage import local_root, shard_path
from deskboard.core.errors import PayloadTooLarge, Unprocessable
from deskboard.tickets.models import Ticket


async def _ticket(database, requester_id: int) -> int:
    async with database.unit_of_work() as session:
        ticket = Ticket(title="Printer", requester_id=requester_id)
        session.add(ticket)
        await session.flush()
        ticket.number = ticket.id
        return ticket.id


async def test_same_content_twice_is_stored_once(database, settings, make_user):
    user = await make_user("user")
    ticket_id = await _ticket(database, user.id)
    content = b"log line\n" * 100
    async with database.unit_of_work() as session:
        first = await store_attachment(
            session,
            ticket_id=ticket_id,
            filename="a.log",
            content=content,
            uploaded_by_id=user.id,
            internal=False,
        )
        second = await store_attachment(
            session,
            ticket_id=ticket_id,
            filename="b.log",
            content=content,
            uploaded_by_id=user.id,
            internal=False,
        )
    sha = hashlib.sha256(content).hexdigest()
    assert first.sha256 == second.sha256 == sha
    assert first.id != second.id
    path = local_root(settings) / shard_path(sha)
    assert path.read_bytes() == content
    assert path.stat().st_mode & 0o777 == 0o600
    async with database.sessionmaker() as session:
        blobs = await session.scalar(select(func.count()).select_from(AttachmentBlob))
        rows = await session.scalar(select(func.count()).select_from(Attachment))
    assert (blobs, rows) == (1, 2)


async def test_store_attachment_refuses_content_over_the_cap(database, settings, make_user):
    user = await make_user("user")
    ticket_id = await _ticket(database, user.id)
    big = settings.model_copy(update={"max_attachment_bytes": 10})
    with pytest.raises(PayloadTooLarge):
        async with database.unit_of_work() as session:
            await store_attachment(
                session,
                ticket_id=ticket_id,
                filename="big.bin",
                content=b"x" * 11,
                uploaded_by_id=user.id,
                internal=False,
                settings=big,
            )


async def test_only_the_uploader_links_a_draft_and_only_once(database, make_user):
    owner = await make_user("user")
    other = await make_user("user")
    ticket_id = await _ticket(database, owner.id)
    async with database.unit_of_work() as session:
        draft = await store_attachment(
            session,
            ticket_id=None,
            filename="shot.png",
            content=b"draft",
            uploaded_by_id=owner.id,
            internal=False,
        )
    with pytest.raises(Unprocessable):
        async with database.unit_of_work() as session:
            await link_attachments(
                session, ticket_id=ticket_id, attachment_ids=[draft.id], actor_id=other.id
            )
    async with database.unit_of_work() as session:
        linked = await link_attachments(
            session,
            ticket_id=ticket_id,
            attachment_ids=[draft.id],
            actor_id=owner.id,
            internal=True,
        )
    assert [(a.ticket_id, a.internal) for a in linked] == [(ticket_id, True)]
    another = await _ticket(database, owner.id)
    with pytest.raises(Unprocessable):  # it belongs to a ticket now: no other ticket takes it
        async with database.unit_of_work() as session:
            await link_attachments(
                session, ticket_id=another, attachment_ids=[draft.id], actor_id=owner.id
            )
