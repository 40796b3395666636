"""The IMAP poller: reads each enabled mailbox's new messages (UIDs above the last processed,
under the same UIDVALIDITY) and hands each to the ingest, one transaction per message, which
also moves the mailbox's position. Run once per cluster (ops/leader.py); a crash mid-batch
resumes after the last committed message, and a message offered twice is a no-op.
"""

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from cryptography.exceptions import InvalidTag
from prometheus_client import Counter, Histogram
from sqlalchemy import select, update

from deskboard.config import Settings
from deskboard.core.time import utcnow
from deskboard.db import Database
from deskboard.mail.mailboxes import decrypt_password
from deskboard.mail.models import Mailbox
from deskboard.mail.service import Offered, ingest
from deskboard.mail.transport import ImapConfig, ImapSession, describe_error

logger = logging.getLogger(__name__)
PROCESSED = Counter("deskboard_mail_inbound_total", "Received messages by outcome", ["status"])
POLL_SECONDS = Histogram("deskboard_mail_poll_seconds", "Duration of one mailbox poll")


@dataclass
class PollSummary:
    mailbox_id: int
    ok: bool
    processed: int
    message: str


def imap_config(mailbox: Mailbox, settings: Settings) -> ImapConfig:
    return ImapConfig(
        host=mailbox.imap_host,
        port=mailbox.imap_port,
        security=mailbox.imap_security,
        username=mailbox.imap_username,
        password=decrypt_password(mailbox.imap_password_encrypted),
        folder=mailbox.imap_folder,
        timeout=settings.mail_timeout_seconds,
    )


async def poll_mailbox(database: Database, settings: Settings, mailbox_id: int) -> PollSummary:
    """Process every new message of one mailbox; record the outcome on the mailbox."""
    started = time.monotonic()
    processed = 0
    counts: dict[str, int] = {}
    try:
        async with database.unit_of_work() as session:
            mailbox = await session.get(Mailbox, mailbox_id)
            if mailbox is None:
                return PollSummary(mailbox_id, False, 0, "no such mailbox")
            if mailbox.auth_kind != "password":
                raise RuntimeError("XOAUTH2 sign-in is not supported yet")
            config = imap_config(mailbox, settings)
            known_validity, last_uid = mailbox.uidvalidity, mailbox.last_uid
        imap = await asyncio.to_thread(ImapSession, config)
        try:
            state = await asyncio.to_thread(imap.new_uids, last_uid)
            if known_validity is not None and state.uidvalidity != known_validity:
                # The folder was rebuilt: its UIDs start over. Message-IDs keep old mail out.
                logger.warning(
                    "Mailbox %d: UIDVALIDITY changed %s -> %s; reading the folder again",
                    mailbox_id,
                    known_validity,
                    state.uidvalidity,
                )
                await _reset_position(database, mailbox_id, state.uidvalidity)
                state = await asyncio.to_thread(imap.new_uids, 0)
            batch = settings.mail_fetch_batch
            for start in range(0, len(state.uids), batch):
                chunk = state.uids[start : start + batch]
                fetched = await asyncio.to_thread(_fetch_all, imap, chunk, batch)
                for uid, raw in fetched:
                    offered = Offered(
                        raw=raw, mailbox_id=mailbox_id, uid=uid, uidvalidity=state.uidvalidity
                    )
                    result = await ingest(database, settings, offered)
                    label = "duplicate" if result.duplicate else result.status.value
                    counts[label] = counts.get(label, 0) + 1
                    PROCESSED.labels(label).inc()
                    processed += 1
        finally:
            await asyncio.to_thread(imap.__exit__, None, None, None)
    except InvalidTag:
        summary = PollSummary(
            mailbox_id, False, processed, "the password cannot be decrypted: set it again"
        )
    except Exception as exc:  # a mailbox's failure is its own: recorded, the next one runs
        logger.warning("Mailbox %d poll failed: %s", mailbox_id, describe_error(exc))
        summary = PollSummary(mailbox_id, False, processed, describe_error(exc))
    else:
        detail = ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "no new mail"
        summary = PollSummary(mailbox_id, True, processed, detail)
    POLL_SECONDS.observe(time.monotonic() - started)
    logger.info(
        "Mailbox %d polled in %.2fs: %s", mailbox_id, time.monotonic() - started, summary.message
    )
    await _record(database, summary)
    return summary


def _fetch_all(imap: ImapSession, uids: list[int], batch: int) -> list[tuple[int, bytes]]:
    return list(imap.fetch(uids, batch))


async def _reset_position(database: Database, mailbox_id: int, uidvalidity: int) -> None:
    async with database.unit_of_work() as session:
        await session.execute(
            update(Mailbox)
            .where(Mailbox.id == mailbox_id)
            .values(uidvalidity=uidvalidity, last_uid=0)
            .execution_options(synchronize_session=False)
        )


async def _record(database: Database, summary: PollSummary) -> None:
    async with database.unit_of_work() as session:
        await session.execute(
            update(Mailbox)
            .where(Mailbox.id == summary.mailbox_id)
            .values(
                last_poll_at=utcnow(),
                last_poll_ok=summary.ok,
                last_poll_message=summary.message[:500],
                last_poll_count=summary.processed,
            )
            .execution_options(synchronize_session=False)
        )


async def poll_due(database: Database, settings: Settings) -> list[PollSummary]:
    """One leader tick: poll each enabled mailbox whose own poll_seconds have passed."""
    now = utcnow()
    async with database.unit_of_work() as session:
        rows = await session.execute(
            select(Mailbox.id, Mailbox.last_poll_at, Mailbox.poll_seconds).where(
                Mailbox.enabled.is_(True)
            )
        )
        due = [
            mailbox_id
            for mailbox_id, last, seconds in rows.tuples()
            if last is None or last + timedelta(seconds=seconds) <= now
        ]
    return [await poll_mailbox(database, settings, mailbox_id) for mailbox_id in due]


async def poll_all(database: Database, settings: Settings) -> list[PollSummary]:
    """Poll every enabled mailbox now (the `deskboard mail poll` command)."""
    async with database.unit_of_work() as session:
        ids = list(
            (
                await session.execute(
                    select(Mailbox.id).where(Mailbox.enabled.is_(True)).order_by(Mailbox.id)
                )
            ).scalars()
        )
    return [await poll_mailbox(database, settings, mailbox_id) for mailbox_id in ids]
