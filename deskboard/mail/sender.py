"""The mail outbox worker: claims due rows (never one by two workers at once, as the webhook
worker does), sends each over its mailbox's SMTP, records the outcome; failures are retried
with backoff and jitter until the attempts run out."""

import asyncio
import logging
import random
import uuid
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from cryptography.exceptions import InvalidTag
from prometheus_client import Counter
from sqlalchemy import select, text, update

from deskboard.config import Settings
from deskboard.core.time import utcnow
from deskboard.db import Database
from deskboard.mail.mailboxes import decrypt_password
from deskboard.mail.models import Mailbox, OutboundMail
from deskboard.mail.transport import SmtpConfig, describe_error, smtp_send

logger = logging.getLogger(__name__)
SENT = Counter("deskboard_mail_outbound_total", "Outbox send attempts by outcome", ["outcome"])
BATCH = 20

_CLAIM_POSTGRES = text(
    """
    UPDATE mail_outbox SET claim = :claim, attempts = attempts + 1,
           next_attempt_at = :lease_until, last_attempt_at = :now
    WHERE id IN (
        SELECT id FROM mail_outbox
        WHERE status = 'pending' AND next_attempt_at <= :now
        ORDER BY next_attempt_at, id LIMIT :batch
        FOR UPDATE SKIP LOCKED)
    RETURNING id
    """
)


@dataclass(frozen=True)
class Claimed:
    mail: OutboundMail
    mailbox: Mailbox | None
    claim: str


async def claim_due(database: Database, *, lease_seconds: float) -> list[Claimed]:
    claim = uuid.uuid4().hex
    now = utcnow()
    lease_until = now + timedelta(seconds=lease_seconds)
    async with database.unit_of_work() as session:
        if session.get_bind().dialect.name == "postgresql":
            params = {"claim": claim, "now": now, "lease_until": lease_until, "batch": BATCH}
            ids = list((await session.execute(_CLAIM_POSTGRES, params)).scalars())
        else:
            candidates = (
                await session.execute(
                    select(OutboundMail.id)
                    .where(OutboundMail.status == "pending", OutboundMail.next_attempt_at <= now)
                    .order_by(OutboundMail.next_attempt_at, OutboundMail.id)
                    .limit(BATCH)
                )
            ).scalars()
            ids = []
            for mail_id in list(candidates):
                stmt = (
                    update(OutboundMail)
                    .where(
                        OutboundMail.id == mail_id,
                        OutboundMail.status == "pending",
                        OutboundMail.next_attempt_at <= now,
                    )
                    .values(
                        claim=claim,
                        attempts=OutboundMail.attempts + 1,
                        next_attempt_at=lease_until,
                        last_attempt_at=now,
                    )
                    .execution_options(synchronize_session=False)
                )
                if (await session.execute(stmt)).rowcount == 1:  # type: ignore[attr-defined]
                    ids.append(mail_id)
        if not ids:
            return []
        rows = await session.execute(
            select(OutboundMail, Mailbox)
            .outerjoin(Mailbox, Mailbox.id == OutboundMail.mailbox_id)
            .where(OutboundMail.id.in_(ids))
            .order_by(OutboundMail.id)
            .execution_options(populate_existing=True)
        )
        return [Claimed(mail, mailbox, claim) for mail, mailbox in rows.tuples()]


def build_message(mail: OutboundMail, mailbox: Mailbox) -> EmailMessage:
    """The MIME message: text plus HTML, threaded, marked automatic where it is."""
    message = EmailMessage()
    message["From"] = formataddr((mailbox.name, mailbox.address))
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(mail.created_at)
    message["Message-ID"] = mail.message_id
    if mail.in_reply_to:
        message["In-Reply-To"] = mail.in_reply_to
    if mail.references:
        message["References"] = mail.references
    if mail.automatic:
        # RFC 3834: never answer this automatically (breaks loops with auto-responders).
        message["Auto-Submitted"] = "auto-generated"
        message["X-Auto-Response-Suppress"] = "All"
    message["X-Deskboard-Kind"] = mail.kind
    message.set_content(mail.body_text)
    message.add_alternative(mail.body_html, subtype="html")
    return message


def smtp_config(mailbox: Mailbox, settings: Settings) -> SmtpConfig:
    return SmtpConfig(
        host=mailbox.smtp_host,
        port=mailbox.smtp_port,
        security=mailbox.smtp_security,
        username=mailbox.smtp_username,
        password=decrypt_password(mailbox.smtp_password_encrypted),
        timeout=settings.mail_timeout_seconds,
    )


def retry_delay(attempt: int, settings: Settings) -> float:
    """Exponential, capped, with jitter (half to all of it)."""
    ceiling = min(
        settings.mail_retry_max_seconds, settings.mail_retry_base_seconds * 2 ** (attempt - 1)
    )
    return ceiling * random.uniform(0.5, 1.0)


async def _send(item: Claimed, settings: Settings) -> tuple[bool, str | None, bool]:
    """(sent, error, final)."""
    if item.mailbox is None:
        return False, "the mailbox was deleted", True
    if not item.mailbox.enabled:
        return False, "the mailbox is disabled", True
    try:
        config = smtp_config(item.mailbox, settings)
        await asyncio.to_thread(smtp_send, config, build_message(item.mail, item.mailbox))
    except InvalidTag:
        return False, "the SMTP password cannot be decrypted: set it again", True
    except Exception as exc:  # refused, unreachable, timed out: retried
        return False, describe_error(exc), False
    return True, None, False


async def _record(
    database: Database, item: Claimed, sent: bool, error: str | None, final: bool, s: Settings
) -> str:
    now = utcnow()
    values: dict[str, object] = {"claim": None, "error": error}
    attempt = item.mail.attempts
    if sent:
        state = "sent"
        values.update(status=state, sent_at=now)
    elif final or attempt >= s.mail_max_attempts:
        state = "failed"
        values.update(status=state)
    else:
        state = "retry"
        values.update(next_attempt_at=now + timedelta(seconds=retry_delay(attempt, s)))
    async with database.unit_of_work() as session:
        await session.execute(
            update(OutboundMail)
            .where(OutboundMail.id == item.mail.id, OutboundMail.claim == item.claim)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    logger.info(
        "Mail %d (%s) to %s attempt %d/%d: %s%s",
        item.mail.id,
        item.mail.kind,
        item.mail.to_address,
        attempt,
        s.mail_max_attempts,
        state,
        f" ({error})" if error else "",
    )
    SENT.labels(state).inc()
    return state


async def run_once(database: Database, settings: Settings) -> int:
    """Claim and send one batch; return how many attempts were made."""
    claimed = await claim_due(database, lease_seconds=settings.mail_lease_seconds)
    for item in claimed:  # one SMTP conversation at a time keeps providers' rate limits calm
        sent, error, final = await _send(item, settings)
        await _record(database, item, sent, error, final, settings)
    return len(claimed)


async def run_forever(database: Database, settings: Settings) -> None:
    while True:
        try:
            if await run_once(database, settings) >= BATCH:
                continue
        except Exception:  # the next round retries; the API keeps serving
            logger.exception("Mail outbox round failed")
        await asyncio.sleep(settings.mail_send_seconds)
