"""Received mail becomes a ticket, a reply, or is set aside: one message, one transaction.

The message's row in mail_inbound (unique Message-ID) is written first in the transaction that
creates the ticket or reply, so a message is processed once however often it is offered: two
pollers, a restart between the commit and the IMAP position update, a gateway's retry.
"""

import asyncio
import logging
import secrets
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.attachments.schemas import MAX_ATTACHMENT_IDS
from deskboard.attachments.service import attachment_url, store_attachment
from deskboard.auth.models import User
from deskboard.config import Settings
from deskboard.core.errors import PayloadTooLarge
from deskboard.db import Database
from deskboard.mail import outbound
from deskboard.mail.models import InboundMessage, Mailbox, OutboundMail
from deskboard.mail.parsing import Malformed, Parsed, _digest_id, machine_sent, parse, references_of
from deskboard.mail.schemas import InboundResult, InboundStatus
from deskboard.tickets import service as tickets
from deskboard.tickets.conversation import add_comment
from deskboard.tickets.models import Ticket
from deskboard.tickets.schemas import CommentCreate, TicketCreate

logger = logging.getLogger(__name__)
NO_SUBJECT = "(no subject)"
NO_TEXT = "(no text: see the attached files)"
# A password hash no password verifies: the account exists for the requester's tickets, and
# signs in only after an admin invites it (sets a password).
UNINVITED_PASSWORD_HASH = "!uninvited"
_ATTEMPTS = 4


@dataclass
class Offered:
    raw: bytes
    mailbox_id: int | None
    uid: int | None = None
    uidvalidity: int | None = None  # with uid: the IMAP position moves in the same transaction


async def ingest(database: Database, settings: Settings, offered: Offered) -> InboundResult:
    """Process one raw message in its own transaction; a concurrent duplicate is reported as
    such (the unique Message-ID decides who wins), never processed twice."""
    for attempt in range(_ATTEMPTS):
        try:
            async with database.unit_of_work() as session:
                result = await _ingest(session, settings, offered)
                if offered.mailbox_id and offered.uid and offered.uidvalidity is not None:
                    await advance_position(
                        session,
                        mailbox_id=offered.mailbox_id,
                        uidvalidity=offered.uidvalidity,
                        uid=offered.uid,
                    )
                return result
        except (IntegrityError, OperationalError):
            # Another process stored the same Message-ID first (or SQLite's writer was busy):
            # the next round finds it and answers "duplicate".
            if attempt == _ATTEMPTS - 1:
                raise
            await asyncio.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


async def _ingest(session: AsyncSession, settings: Settings, offered: Offered) -> InboundResult:
    mailbox = (
        await session.get(Mailbox, offered.mailbox_id) if offered.mailbox_id is not None else None
    )
    parsed: Parsed | None = None
    problem: str | None = None
    if len(offered.raw) > settings.mail_max_message_bytes:
        problem = f"larger than DESKBOARD_MAIL_MAX_MESSAGE_BYTES ({len(offered.raw)} bytes)"
    else:
        try:
            parsed = parse(offered.raw)
        except Malformed as exc:
            problem = str(exc)
    message_id = parsed.message_id if parsed else _digest_id(offered.raw)
    known = (
        await session.execute(
            select(InboundMessage.status, InboundMessage.ticket_id, InboundMessage.reason).where(
                InboundMessage.message_id == message_id
            )
        )
    ).one_or_none()
    if known is not None:
        status, ticket_id, reason = known
        return InboundResult(
            status=InboundStatus(status), ticket_id=ticket_id, reason=reason, duplicate=True
        )
    record = InboundMessage(
        message_id=message_id,
        mailbox_id=mailbox.id if mailbox else None,
        uid=offered.uid,
        status="quarantined",
        reason=problem,
        from_address=parsed.from_address[:254] if parsed else None,
        subject=parsed.subject if parsed else None,
        in_reply_to=parsed.in_reply_to if parsed else None,
        size=len(offered.raw),
        raw=offered.raw,
    )
    session.add(record)
    await session.flush()  # the unique Message-ID: a concurrent twin stops here
    if parsed is None:
        logger.warning("Mail %s quarantined: %s", message_id, problem)
        return InboundResult(status=InboundStatus.quarantined, ticket_id=None, reason=problem)

    own = await _own_addresses(session)
    set_aside = machine_sent(parsed, own)
    if set_aside is not None:
        record.status, record.reason = "ignored", set_aside
        return InboundResult(status=InboundStatus.ignored, ticket_id=None, reason=set_aside)

    sender = await _sender(session, parsed)
    ticket = await _thread_ticket(session, parsed, sender)
    # Files first, as the sender's drafts: cid: images in the text then point at them, and the
    # ticket or reply takes them like any upload (attachment_ids).
    attachment_ids, by_cid, skipped = await _store_parts(session, parsed, sender, settings)
    if skipped:
        record.reason = "; ".join(skipped)[:500]
    if ticket is not None:
        body = _with_links(parsed.reply or NO_TEXT, by_cid)
        comment = await add_comment(
            session,
            actor=sender,
            ticket=ticket,
            data=CommentCreate(body=_clip(body, 20_000), attachment_ids=attachment_ids),
        )
        session.info.setdefault(outbound.INBOUND_COMMENTS, set()).add(comment.id)
        record.status, record.ticket_id, record.comment_id = "reply_added", ticket.id, comment.id
        return InboundResult(status=InboundStatus.reply_added, ticket_id=ticket.id, reason=None)

    created = await tickets.create_ticket(
        session,
        actor=sender,
        data=_ticket_create(parsed, by_cid, attachment_ids),
        channel="email",
    )
    record.status, record.ticket_id = "ticket_created", created.id
    await session.flush()
    if mailbox is not None and await session.run_sync(outbound.acknowledgements_left, sender.email):
        await session.run_sync(
            lambda s: outbound.stage_for_ticket(
                s,
                ticket_id=created.id,
                kind="received",
                body=(
                    f"We received your message and opened request #{created.number}. "
                    "Answer this mail to add to it."
                ),
                automatic=True,
                dedupe_key=f"received:{created.id}",
            )
        )
    return InboundResult(status=InboundStatus.ticket_created, ticket_id=created.id, reason=None)


def _clip(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _ticket_create(parsed: Parsed, by_cid: dict[str, str], ids: list[int]) -> TicketCreate:
    description = _clip(_with_links(parsed.text or NO_TEXT, by_cid), 50_000)
    title = _clip(parsed.subject, 200) or NO_SUBJECT
    try:
        return TicketCreate(title=title, description=description, attachment_ids=ids)
    except ValidationError:  # a subject of only blanks or control characters
        return TicketCreate(title=NO_SUBJECT, description=description, attachment_ids=ids)


async def _store_parts(
    session: AsyncSession, parsed: Parsed, sender: User, settings: Settings
) -> tuple[list[int], dict[str, str], list[str]]:
    """Store the message's files; return their ids, cid -> URL, and why any was left out."""
    ids: list[int] = []
    by_cid: dict[str, str] = {}
    skipped: list[str] = []
    for part in parsed.parts:
        if len(ids) >= MAX_ATTACHMENT_IDS:
            skipped.append(f"{part.filename}: more than {MAX_ATTACHMENT_IDS} files")
            continue
        try:
            stored = await store_attachment(
                session,
                ticket_id=None,
                filename=part.filename,
                content=part.content,
                uploaded_by_id=sender.id,
                internal=False,
                content_id=part.content_id,
                settings=settings,
            )
        except PayloadTooLarge:
            skipped.append(f"{part.filename}: over DESKBOARD_MAX_ATTACHMENT_BYTES")
            continue
        ids.append(stored.id)
        if part.content_id:
            by_cid[part.content_id] = attachment_url(stored.id)
    return ids, by_cid, skipped


def _with_links(text: str, by_cid: dict[str, str]) -> str:
    """Point cid: references (inline images) at the stored attachments."""
    for content_id, url in by_cid.items():
        text = text.replace(f"cid:{content_id}", url)
    return text


async def _own_addresses(session: AsyncSession) -> set[str]:
    rows = await session.execute(select(func.lower(Mailbox.address)))
    return set(rows.scalars())


async def _sender(session: AsyncSession, parsed: Parsed) -> User:
    """The sender's account; an unknown sender becomes a requester who cannot sign in yet."""
    found = (
        await session.execute(select(User).where(func.lower(User.email) == parsed.from_address))
    ).scalar_one_or_none()
    if found is not None:
        return found
    user = User(
        email=parsed.from_address,
        name=_clip(parsed.from_name or parsed.from_address.split("@", 1)[0], 120),
        role="user",
        password_hash=UNINVITED_PASSWORD_HASH,
        is_active=True,
    )
    session.add(user)
    await session.flush()
    return user


async def _thread_ticket(session: AsyncSession, parsed: Parsed, sender: User) -> Ticket | None:
    """The ticket this message answers: by the Message-IDs it references (ours or received),
    then by a [#number] subject token if the sender is the requester or on the thread."""
    ids = references_of(parsed)
    ticket_id: int | None = None
    if ids:
        received = select(InboundMessage.ticket_id).where(
            InboundMessage.message_id.in_(ids), InboundMessage.ticket_id.is_not(None)
        )
        sent = select(OutboundMail.ticket_id).where(
            OutboundMail.message_id.in_(ids), OutboundMail.ticket_id.is_not(None)
        )
        ticket_id = (await session.execute(received.union(sent).limit(1))).scalar_one_or_none()
    if ticket_id is None and parsed.ticket_number is not None:
        candidate = (
            await session.execute(select(Ticket).where(Ticket.number == parsed.ticket_number))
        ).scalar_one_or_none()
        if candidate is not None and await _on_thread(session, candidate, sender):
            ticket_id = candidate.id
    if ticket_id is None:
        return None
    return await tickets.load_ticket(session, ticket_id)


async def _on_thread(session: AsyncSession, ticket: Ticket, sender: User) -> bool:
    if sender.id == ticket.requester_id:
        return True
    address = sender.email.lower()
    wrote = select(InboundMessage.id).where(
        InboundMessage.ticket_id == ticket.id, InboundMessage.from_address == address
    )
    mailed = select(OutboundMail.id).where(
        OutboundMail.ticket_id == ticket.id, func.lower(OutboundMail.to_address) == address
    )
    return (await session.execute(wrote.union(mailed).limit(1))).first() is not None


def token_matches(mailbox: Mailbox, offered: str | None) -> bool:
    return offered is not None and secrets.compare_digest(
        mailbox.inbound_token.encode(), offered.encode()
    )


async def advance_position(
    session: AsyncSession, *, mailbox_id: int, uidvalidity: int, uid: int
) -> None:
    """Move the mailbox's IMAP position forward (never back: a slower twin cannot rewind it)."""
    await session.execute(
        update(Mailbox)
        .where(
            Mailbox.id == mailbox_id,
            or_(Mailbox.uidvalidity.is_(None), Mailbox.uidvalidity == uidvalidity),
            Mailbox.last_uid < uid,
        )
        .values(last_uid=uid, uidvalidity=uidvalidity)
        .execution_options(synchronize_session=False)
    )
