"""Contents are shared by sha256 and removed only when nothing uses them, with no race
between removals and a new upload of the same content."""

import asyncio
from datetime import timedelta

from sqlalchemy import func, select, update

from deskboard.attachments import blobs
from deskboard.attachments.models import Attachment, AttachmentBlob
from deskboard.attachments.service import store_attachment
from deskboard.attachments.storage import get_store
from deskboard.core.time import utcnow
from tests.attachments.conftest import new_ticket, stored_path, upload


async def test_deleting_a_ticket_keeps_content_another_ticket_shares(as_admin, as_user, settings):
    first = await new_ticket(as_user)
    second = await new_ticket(as_user)
    shared = b"the same log, attached twice\n"
    a = await upload(as_user, first["id"], shared, "a.log")
    b = await upload(as_user, second["id"], shared, "b.log")
    only = await upload(as_user, first["id"], b"only on the first ticket\n", "c.log")
    assert a["sha256"] == b["sha256"]

    assert (await as_admin.delete(f"/api/tickets/{first['id']}")).status_code == 204
    assert stored_path(settings, a["sha256"]).is_file()
    assert not stored_path(settings, only["sha256"]).exists()
    assert (await as_user.get(b["url"])).content == shared

    assert (await as_admin.delete(f"/api/tickets/{second['id']}")).status_code == 204
    assert not stored_path(settings, a["sha256"]).exists()


async def test_deleting_one_attachment_keeps_a_sibling_row_of_the_same_content(
    as_user, settings, database
):
    ticket = await new_ticket(as_user)
    a = await upload(as_user, ticket["id"], b"twin\n", "one.txt")
    b = await upload(as_user, ticket["id"], b"twin\n", "two.txt")
    assert (await as_user.delete(a["url"])).status_code == 204
    assert stored_path(settings, a["sha256"]).is_file()
    assert (await as_user.delete(b["url"])).status_code == 204
    assert not stored_path(settings, a["sha256"]).exists()
    async with database.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(AttachmentBlob)) == 0


async def test_two_deletes_and_a_new_upload_of_the_same_content_never_lose_the_file(
    as_user, settings, database, make_user
):
    """Race, many rounds: two attachments of one content deleted at the same time as a third
    upload of it arrives. Whatever the order, a file exists for every row left."""
    user = as_user.user
    content = b"raced content\n" * 50
    for round_number in range(8):
        ticket = await new_ticket(as_user, title=f"Round {round_number}")
        a = await upload(as_user, ticket["id"], content, "a.txt")
        b = await upload(as_user, ticket["id"], content, "b.txt")

        async def new_upload(ticket_id: int = ticket["id"]) -> None:
            async with database.unit_of_work() as session:
                await store_attachment(
                    session,
                    ticket_id=ticket_id,
                    filename="c.txt",
                    content=content,
                    uploaded_by_id=user.id,
                    internal=False,
                    settings=settings,
                )

        results = await asyncio.gather(
            as_user.delete(a["url"]), as_user.delete(b["url"]), new_upload()
        )
        assert [r.status_code for r in results[:2]] == [204, 204]
        listed = (await as_user.get(f"/api/tickets/{ticket['id']}/attachments")).json()
        assert [x["filename"] for x in listed] == ["c.txt"]
        assert stored_path(settings, a["sha256"]).read_bytes() == content
        assert (await as_user.get(listed[0]["url"])).content == content
        assert (await as_user.delete(listed[0]["url"])).status_code == 204
        assert not stored_path(settings, a["sha256"]).exists()


async def test_a_removal_waiting_on_an_upload_sees_its_row(database, settings, as_user):
    """The lock itself: while an upload holds a content's lock (not yet committed), a removal
    of that content waits, then finds the new row and keeps the file."""
    ticket = await new_ticket(as_user)
    first = await upload(as_user, ticket["id"], b"locked\n", "a.txt")
    store = get_store(settings)
    async with database.sessionmaker() as session:
        await session.execute(update(Attachment).values(sha256=first["sha256"]))
        await session.execute(Attachment.__table__.delete())  # the last row is gone
        await session.commit()
    uploader = database.sessionmaker()
    await uploader.begin()
    await blobs.lock_blob(uploader, first["sha256"], 7)
    uploader.add(
        Attachment(
            ticket_id=ticket["id"],
            sha256=first["sha256"],
            filename="again.txt",
            content_type="text/plain",
            size=7,
            internal=False,
            uploaded_by_id=as_user.user.id,
        )
    )
    await uploader.flush()
    removal = asyncio.create_task(blobs.collect_unused(database.engine, store, [first["sha256"]]))
    await asyncio.sleep(0.3)
    assert not removal.done()  # waiting for the upload's lock
    await uploader.commit()
    await uploader.close()
    assert await asyncio.wait_for(removal, 15) == 0
    assert stored_path(settings, first["sha256"]).is_file()


async def test_the_sweep_expires_old_drafts_and_unused_contents(database, settings, as_user):
    old = await upload(as_user, None, b"forgotten draft\n", "old.txt")
    fresh = await upload(as_user, None, b"fresh draft\n", "fresh.txt")
    async with database.sessionmaker() as session:
        await session.execute(
            update(Attachment)
            .where(Attachment.id == old["id"])
            .values(created_at=utcnow() - timedelta(days=2))
        )
        # An unused content row left behind (as by a crash before the after-commit removal).
        session.add(AttachmentBlob(sha256="f" * 64, size=1))
        await session.commit()
    (stored_path(settings, "f" * 64)).parent.mkdir(parents=True, exist_ok=True)
    stored_path(settings, "f" * 64).write_bytes(b"x")
    result = await blobs.sweep(database.engine, get_store(settings), draft_age=timedelta(hours=24))
    assert result == {"drafts": 1, "removed": 2}
    assert not stored_path(settings, old["sha256"]).exists()
    assert not stored_path(settings, "f" * 64).exists()
    assert (await as_user.get(fresh["url"])).status_code == 200
