"""Mailbox rules: admins keep them; passwords are write-only and encrypted; writes are audited."""

import secrets
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.audit import service as audit
from deskboard.auth.models import User
from deskboard.core.errors import Conflict, NotFound, Unprocessable
from deskboard.core.time import utcnow
from deskboard.mail.models import Mailbox
from deskboard.mail.schemas import (
    AuthKind,
    ImapRead,
    ImapSettings,
    MailboxCreate,
    MailboxRead,
    MailboxUpdate,
    PollResult,
    SmtpRead,
    SmtpSettings,
)
from deskboard.webhooks.signing import decrypt_secret, encrypt_secret

# Each stored secret kind has its own key derived from DESKBOARD_SECRET_KEY.
PASSWORD_KEY_INFO = b"deskboard mailbox passwords v1"


def encrypt_password(password: str) -> bytes:
    return encrypt_secret(password, info=PASSWORD_KEY_INFO)


def decrypt_password(stored: bytes | None) -> str:
    return "" if stored is None else decrypt_secret(stored, info=PASSWORD_KEY_INFO)


def new_inbound_token() -> str:
    return "mbx_" + secrets.token_urlsafe(32)


def mailbox_read(row: Mailbox) -> MailboxRead:
    return MailboxRead(
        id=row.id,
        name=row.name,
        address=row.address,
        auth=AuthKind(row.auth_kind),
        imap=ImapRead(
            host=row.imap_host,
            port=row.imap_port,
            security=row.imap_security,  # type: ignore[arg-type]
            username=row.imap_username,
            folder=row.imap_folder,
            password_set=row.imap_password_encrypted is not None,
        ),
        smtp=SmtpRead(
            host=row.smtp_host,
            port=row.smtp_port,
            security=row.smtp_security,  # type: ignore[arg-type]
            username=row.smtp_username,
            password_set=row.smtp_password_encrypted is not None,
        ),
        poll_seconds=row.poll_seconds,
        enabled=row.enabled,
        inbound_token=row.inbound_token,
        last_poll=PollResult(
            at=row.last_poll_at,
            ok=row.last_poll_ok,
            message=row.last_poll_message,
            processed=row.last_poll_count,
            uidvalidity=row.uidvalidity,
            last_uid=row.last_uid,
        ),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _document(row: Mailbox) -> dict[str, Any]:
    """What the audit log keeps of a mailbox (never a password or the inbound token)."""
    read = mailbox_read(row).model_dump(mode="json", exclude={"last_poll", "inbound_token"})
    read.pop("created_at")
    read.pop("updated_at")
    return read


def _refuse_xoauth2(kind: AuthKind | None) -> None:
    if kind == AuthKind.xoauth2:
        raise Unprocessable(
            [
                {
                    "loc": ["body", "auth"],
                    "msg": "XOAUTH2 sign-in is not supported yet; use auth 'password'",
                    "type": "value_error",
                }
            ]
        )


async def _check_address_free(session: AsyncSession, address: str, own_id: int | None) -> None:
    stmt = select(Mailbox.id).where(func.lower(Mailbox.address) == address.lower())
    found = (await session.execute(stmt)).scalar_one_or_none()
    if found is not None and found != own_id:
        raise Conflict(f"A mailbox for {address} exists already")


def _apply_imap(row: Mailbox, imap: ImapSettings) -> None:
    row.imap_host = imap.host
    row.imap_port = imap.port
    row.imap_security = imap.security.value
    row.imap_username = imap.username
    row.imap_folder = imap.folder
    if imap.password is not None:
        row.imap_password_encrypted = encrypt_password(imap.password) if imap.password else None


def _apply_smtp(row: Mailbox, smtp: SmtpSettings) -> None:
    row.smtp_host = smtp.host
    row.smtp_port = smtp.port
    row.smtp_security = smtp.security.value
    row.smtp_username = smtp.username
    if smtp.password is not None:
        row.smtp_password_encrypted = encrypt_password(smtp.password) if smtp.password else None


async def list_mailboxes(session: AsyncSession) -> list[MailboxRead]:
    rows = await session.execute(select(Mailbox).order_by(Mailbox.id))
    return [mailbox_read(row) for row in rows.scalars()]


async def get_mailbox(session: AsyncSession, *, mailbox_id: int) -> Mailbox:
    row = await session.get(Mailbox, mailbox_id)
    if row is None:
        raise NotFound(f"No mailbox {mailbox_id}")
    return row


async def create_mailbox(session: AsyncSession, *, actor: User, data: MailboxCreate) -> MailboxRead:
    _refuse_xoauth2(data.auth)
    address = str(data.address).lower()
    await _check_address_free(session, address, None)
    now = utcnow()
    row = Mailbox(
        name=data.name,
        address=address,
        auth_kind=data.auth.value,
        poll_seconds=data.poll_seconds,
        enabled=data.enabled,
        inbound_token=new_inbound_token(),
        last_uid=0,
        last_poll_count=0,
        created_at=now,
        updated_at=now,
    )
    row.imap_password_encrypted = None
    row.smtp_password_encrypted = None
    _apply_imap(row, data.imap)
    _apply_smtp(row, data.smtp)
    session.add(row)
    await session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        action="mailbox.created",
        entity_type="mailbox",
        entity_id=row.id,
        after=_document(row),
    )
    return mailbox_read(row)


async def update_mailbox(
    session: AsyncSession, *, actor: User, mailbox_id: int, data: MailboxUpdate
) -> MailboxRead:
    row = await get_mailbox(session, mailbox_id=mailbox_id)
    _refuse_xoauth2(data.auth)
    before = _document(row)
    if data.address is not None:
        address = str(data.address).lower()
        await _check_address_free(session, address, row.id)
        row.address = address
    if data.name is not None:
        row.name = data.name
    if data.auth is not None:
        row.auth_kind = data.auth.value
    if data.imap is not None:
        moved = (data.imap.host, data.imap.username, data.imap.folder) != (
            row.imap_host,
            row.imap_username,
            row.imap_folder,
        )
        _apply_imap(row, data.imap)
        if moved:  # another folder: its UIDs mean nothing here (Message-IDs still dedupe)
            row.uidvalidity = None
            row.last_uid = 0
    if data.smtp is not None:
        _apply_smtp(row, data.smtp)
    if data.poll_seconds is not None:
        row.poll_seconds = data.poll_seconds
    if data.enabled is not None:
        row.enabled = data.enabled
    row.updated_at = utcnow()
    await session.flush()
    after = _document(row)
    for kind, settings in (("imap", data.imap), ("smtp", data.smtp)):
        if settings is not None and settings.password is not None:
            after[kind]["password"] = "(changed)"
    audit.record(
        session,
        actor_id=actor.id,
        action="mailbox.updated",
        entity_type="mailbox",
        entity_id=row.id,
        before=before,
        after=after,
    )
    return mailbox_read(row)


async def delete_mailbox(session: AsyncSession, *, actor: User, mailbox_id: int) -> None:
    row = await get_mailbox(session, mailbox_id=mailbox_id)
    before = _document(row)
    await session.delete(row)  # its unsent outbox mail goes with it; received mail stays
    await session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        action="mailbox.deleted",
        entity_type="mailbox",
        entity_id=mailbox_id,
        before=before,
    )
