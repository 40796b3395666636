"""What admins and staff read about mail: connection checks, the outbox, the quarantine, a
ticket's thread, and one's own mail preference."""

import asyncio
from collections.abc import Callable
from typing import Any

from cryptography.exceptions import InvalidTag
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.auth.models import User
from deskboard.config import Settings
from deskboard.mail.models import InboundMessage, Mailbox, MailPreference, OutboundMail
from deskboard.mail.poller import imap_config
from deskboard.mail.schemas import (
    ConnectionCheck,
    MailboxTestResult,
    MailPreferences,
    MailThreadRead,
    OutboxItemRead,
    QuarantineItemRead,
    ThreadMessageRead,
)
from deskboard.mail.sender import smtp_config
from deskboard.mail.transport import check_imap, check_smtp, describe_error
from deskboard.tickets.models import Ticket

PAGE = 100


async def test_connections(mailbox: Mailbox, settings: Settings) -> MailboxTestResult:
    """Sign in to both servers (in threads, at once); each check says what went wrong."""
    if mailbox.auth_kind != "password":
        refused = ConnectionCheck(ok=False, message="XOAUTH2 sign-in is not supported yet")
        return MailboxTestResult(imap=refused, smtp=refused)

    async def run(check: Callable[[Any], str], make: Callable[..., Any]) -> ConnectionCheck:
        try:
            config = make(mailbox, settings)
            message: str = await asyncio.to_thread(check, config)
            return ConnectionCheck(ok=True, message=message)
        except InvalidTag:
            return ConnectionCheck(ok=False, message="the password cannot be decrypted")
        except Exception as exc:
            return ConnectionCheck(ok=False, message=describe_error(exc))

    imap, smtp = await asyncio.gather(run(check_imap, imap_config), run(check_smtp, smtp_config))
    return MailboxTestResult(imap=imap, smtp=smtp)


async def list_outbox(
    session: AsyncSession, *, mailbox_id: int | None, status: str | None
) -> list[OutboxItemRead]:
    stmt = select(OutboundMail).order_by(OutboundMail.id.desc()).limit(PAGE)
    if mailbox_id is not None:
        stmt = stmt.where(OutboundMail.mailbox_id == mailbox_id)
    if status is not None:
        stmt = stmt.where(OutboundMail.status == status)
    return [OutboxItemRead.model_validate(row) for row in (await session.execute(stmt)).scalars()]


async def list_quarantine(
    session: AsyncSession, *, mailbox_id: int | None
) -> list[QuarantineItemRead]:
    stmt = (
        select(InboundMessage)
        .where(InboundMessage.status == "quarantined")
        .order_by(InboundMessage.id.desc())
        .limit(PAGE)
    )
    if mailbox_id is not None:
        stmt = stmt.where(InboundMessage.mailbox_id == mailbox_id)
    rows = await session.execute(stmt)
    return [QuarantineItemRead.model_validate(row) for row in rows.scalars()]


async def thread(session: AsyncSession, *, ticket: Ticket) -> MailThreadRead:
    received = (
        await session.execute(select(InboundMessage).where(InboundMessage.ticket_id == ticket.id))
    ).scalars()
    sent = (
        await session.execute(select(OutboundMail).where(OutboundMail.ticket_id == ticket.id))
    ).scalars()
    messages = [
        ThreadMessageRead(
            direction="in",
            message_id=m.message_id,
            address=m.from_address,
            subject=m.subject,
            status=m.status,
            at=m.received_at,
        )
        for m in received
    ] + [
        ThreadMessageRead(
            direction="out",
            message_id=m.message_id,
            address=m.to_address,
            subject=m.subject,
            status=m.status,
            at=m.created_at,
        )
        for m in sent
    ]
    messages.sort(key=lambda m: m.at)
    first = (
        await session.execute(
            select(Mailbox.id, Mailbox.address)
            .join(InboundMessage, InboundMessage.mailbox_id == Mailbox.id)
            .where(InboundMessage.ticket_id == ticket.id)
            .order_by(InboundMessage.id)
            .limit(1)
        )
    ).one_or_none()
    mailbox_id, address = first if first is not None else (None, None)
    return MailThreadRead(
        ticket_id=ticket.id, mailbox_id=mailbox_id, mailbox_address=address, messages=messages
    )


async def get_preferences(session: AsyncSession, *, user: User) -> MailPreferences:
    row = await session.get(MailPreference, user.id)
    return MailPreferences(notify_by_email=bool(row and row.notify_by_email))


async def set_preferences(
    session: AsyncSession, *, user: User, data: MailPreferences
) -> MailPreferences:
    row = await session.get(MailPreference, user.id)
    if row is None:
        session.add(MailPreference(user_id=user.id, notify_by_email=data.notify_by_email))
    else:
        row.notify_by_email = data.notify_by_email
    await session.flush()
    return data
