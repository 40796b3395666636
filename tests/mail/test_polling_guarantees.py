"""Never twice: a poller that dies mid-batch, a lost IMAP position, two pollers at once."""

import asyncio
import os
import subprocess
import sys
from typing import Any

import pytest
from sqlalchemy import func, select, update

from deskboard.db import Database
from deskboard.mail import poller
from deskboard.mail import service as mail_service
from deskboard.mail.models import InboundMessage, Mailbox
from deskboard.tickets.models import Ticket
from tests.conftest import RoleClient
from tests.mail.conftest import Dovecot, MakeMailbox


def _messages(count: int, tag: str) -> list[bytes]:
    return [
        (
            f"From: Person {i} <person{i}@customer.test>\nTo: support@example.test\n"
            f"Subject: Request {tag} {i}\nMessage-ID: <{tag}-{i}@customer.test>\n"
            f"Date: Thu, 3 Dec 2026 10:00:00 +0000\n\nPlease help with thing {i}.\n"
        ).encode()
        for i in range(count)
    ]


async def _counts(database: Database) -> tuple[int, int]:
    async with database.sessionmaker() as session:
        inbound = (await session.execute(select(func.count(InboundMessage.id)))).scalar_one()
        tickets = (await session.execute(select(func.count(Ticket.id)))).scalar_one()
    return int(inbound), int(tickets)


async def test_poller_dying_mid_batch_resumes_without_processing_anything_twice(
    as_admin: RoleClient,
    make_mailbox: MakeMailbox,
    dovecot: Dovecot,
    poll: Any,
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    box = await make_mailbox(as_admin)
    dovecot.append(box["imap_user"], *_messages(8, "crash"))
    real_ingest = mail_service.ingest
    handled = 0

    async def dying_ingest(*args: Any, **kwargs: Any) -> Any:
        nonlocal handled
        if handled == 5:
            raise SystemExit("the process is killed here")  # not an Exception: nothing catches
        handled += 1
        return await real_ingest(*args, **kwargs)

    monkeypatch.setattr(poller, "ingest", dying_ingest)
    with pytest.raises(SystemExit):
        await poll(box["id"])
    assert await _counts(database) == (5, 5)
    monkeypatch.setattr(poller, "ingest", real_ingest)

    summary = await poll(box["id"])  # "after the restart"
    assert summary.ok and summary.processed == 3
    assert await _counts(database) == (8, 8)


async def test_a_lost_imap_position_offers_everything_again_and_nothing_is_repeated(
    as_admin: RoleClient,
    make_mailbox: MakeMailbox,
    dovecot: Dovecot,
    poll: Any,
    database: Database,
) -> None:
    box = await make_mailbox(as_admin)
    dovecot.append(box["imap_user"], *_messages(4, "lost"))
    await poll(box["id"])
    async with database.unit_of_work() as session:  # e.g. a restored backup, a changed folder
        await session.execute(update(Mailbox).values(last_uid=0, uidvalidity=None))
    summary = await poll(box["id"])
    assert summary.processed == 4 and summary.message == "4 duplicate"
    assert await _counts(database) == (4, 4)


async def test_two_pollers_at_once_do_not_duplicate(
    as_admin: RoleClient,
    make_mailbox: MakeMailbox,
    dovecot: Dovecot,
    poll: Any,
    database: Database,
) -> None:
    box = await make_mailbox(as_admin)
    dovecot.append(box["imap_user"], *_messages(12, "twins"))
    first, second = await asyncio.gather(poll(box["id"]), poll(box["id"]))
    assert first.ok and second.ok, (first.message, second.message)
    assert await _counts(database) == (12, 12)


async def test_two_server_processes_polling_do_not_duplicate(
    as_admin: RoleClient,
    make_mailbox: MakeMailbox,
    dovecot: Dovecot,
    database: Database,
    database_url: str,
) -> None:
    box = await make_mailbox(as_admin)
    dovecot.append(box["imap_user"], *_messages(15, "procs"))
    env = {**os.environ, "DESKBOARD_DATABASE_URL": database_url}
    command = [sys.executable, "-m", "deskboard.cli", "mail", "poll"]
    processes = [
        await asyncio.create_subprocess_exec(
            *command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        for _ in range(2)
    ]
    outputs = await asyncio.wait_for(
        asyncio.gather(*(p.communicate() for p in processes)), timeout=120
    )
    for process, (output, _) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, output.decode()
    assert await _counts(database) == (15, 15)
