"""Mail a requester should get becomes outbox rows inside the business transaction (the
webhooks outbox pattern): public staff replies and resolved notices are staged from the
commit's pending events, "we received your message" by the ingest itself. Internal notes are
never staged. A rolled-back change mails nothing; a committed one is sent later by the worker.

Sync functions over a sync Session: they run in the before_commit hook and, from async code,
through `session.run_sync`.
"""

import uuid
from datetime import timedelta
from typing import Any

from markdown_it import MarkdownIt
from sqlalchemy import event, func, insert, or_, select
from sqlalchemy.orm import Session

from deskboard.auth.models import User
from deskboard.config import get_settings
from deskboard.core import events
from deskboard.core.time import utcnow
from deskboard.mail.models import SUBJECT_MAX, InboundMessage, Mailbox, MailPreference, OutboundMail
from deskboard.tickets.models import Ticket

_STAGED = "deskboard.mail_staged"
# Comments made from received mail: never mailed back out (the sender wrote them).
INBOUND_COMMENTS = "deskboard.mail_inbound_comments"
REFERENCES_KEPT = 20
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})


def install() -> None:
    """Stage mail on every commit of this process (done once by the app factory)."""
    if not event.contains(Session, "before_commit", _stage):
        event.listen(Session, "before_commit", _stage)


def _stage(session: Session) -> None:
    staged: set[str] = session.info.setdefault(_STAGED, set())
    fresh = [
        e
        for e in events.pending(session.info)
        if e.id not in staged and e.type in ("ticket.updated", "notification")
    ]
    if not fresh:
        return
    from_mail: set[int] = session.info.get(INBOUND_COMMENTS, set())
    for item in fresh:
        staged.add(item.id)
        if item.type == "notification":
            _stage_notification(session, item.data, item.audience.user_ids)
            continue
        ticket = item.data.get("ticket", item.data)
        comment = item.data.get("comment")
        if comment is not None:
            if comment.get("internal") or comment["id"] in from_mail:
                continue
            if comment["author"]["id"] == ticket["requester"]["id"]:
                continue
            stage_for_ticket(
                session,
                ticket_id=ticket["id"],
                kind="reply",
                body=comment["body"],
                author_name=comment["author"]["name"],
                comment_id=comment["id"],
                automatic=False,
            )
        elif ticket.get("status") == "resolved" and ticket.get("resolved_at"):
            stage_for_ticket(
                session,
                ticket_id=ticket["id"],
                kind="resolved",
                body=(
                    f"Your request #{ticket['number']} has been resolved. If something is "
                    "still wrong, just answer this message and it opens again."
                ),
                automatic=True,
                dedupe_key=f"resolved:{ticket['id']}:{ticket['resolved_at']}",
            )


def thread_mailbox(session: Session, ticket_id: int) -> Mailbox | None:
    """The mailbox a ticket's mail thread runs through (the first that received its mail)."""
    mailbox_id = session.execute(
        select(InboundMessage.mailbox_id)
        .where(InboundMessage.ticket_id == ticket_id, InboundMessage.mailbox_id.is_not(None))
        .order_by(InboundMessage.id)
        .limit(1)
    ).scalar_one_or_none()
    return None if mailbox_id is None else session.get(Mailbox, mailbox_id)


def thread_ids(session: Session, ticket_id: int) -> list[str]:
    """Every Message-ID of the ticket's thread, oldest first (received and sent)."""
    received = select(InboundMessage.message_id, InboundMessage.received_at.label("at")).where(
        InboundMessage.ticket_id == ticket_id
    )
    sent = select(OutboundMail.message_id, OutboundMail.created_at.label("at")).where(
        OutboundMail.ticket_id == ticket_id
    )
    rows = session.execute(received.union_all(sent).order_by("at")).all()
    return [row[0] for row in rows]


def new_message_id(mailbox: Mailbox | None, ticket_id: int | None) -> str:
    domain = mailbox.address.split("@", 1)[1] if mailbox else "deskboard.invalid"
    prefix = f"deskboard.t{ticket_id}." if ticket_id else "deskboard."
    return f"<{prefix}{uuid.uuid4().hex}@{domain}>"


def acknowledgements_left(session: Session, address: str) -> bool:
    """Whether one more "received" notice may go to `address` this hour (loop brake)."""
    limit = get_settings().mail_ack_per_hour
    since = utcnow() - timedelta(hours=1)
    sent = session.execute(
        select(func.count())
        .select_from(OutboundMail)
        .where(
            OutboundMail.to_address == address,
            OutboundMail.kind == "received",
            OutboundMail.created_at >= since,
        )
    ).scalar_one()
    return int(sent) < limit


def stage_for_ticket(
    session: Session,
    *,
    ticket_id: int,
    kind: str,
    body: str,
    automatic: bool,
    author_name: str | None = None,
    comment_id: int | None = None,
    dedupe_key: str | None = None,
) -> int | None:
    """Queue one mail to the ticket's requester through its thread's mailbox; None when the
    ticket has no mail thread (web tickets are answered in the UI)."""
    mailbox = thread_mailbox(session, ticket_id)
    if mailbox is None or not mailbox.enabled:
        return None
    if dedupe_key is not None:
        exists = session.execute(
            select(OutboundMail.id).where(OutboundMail.dedupe_key == dedupe_key)
        ).scalar_one_or_none()
        if exists is not None:
            return None
    row = session.execute(
        select(Ticket.number, Ticket.title, User.email, User.name)
        .join(User, User.id == Ticket.requester_id)
        .where(Ticket.id == ticket_id)
    ).one_or_none()
    if row is None:
        return None
    number, title, to_address, _ = row
    ids = thread_ids(session, ticket_id)
    prefix = {"reply": "Re: ", "resolved": "Resolved: "}.get(kind, "")
    subject = f"{prefix}[#{number}] {title}"[:SUBJECT_MAX]
    lines = [body]
    if author_name:
        lines.append(f"\n{author_name}, {mailbox.name}")
    lines.append(f"\n-- \nReference: [#{number}]. Answer above this line to add to the request.")
    text = "\n".join(lines)
    values = _values(
        mailbox=mailbox,
        ticket_id=ticket_id,
        comment_id=comment_id,
        kind=kind,
        to_address=to_address,
        subject=subject,
        ids=ids,
        text=text,
        automatic=automatic,
        dedupe_key=dedupe_key,
    )
    return int(
        session.execute(insert(OutboundMail).returning(OutboundMail.id), [values]).scalar_one()
    )


def _values(
    *,
    mailbox: Mailbox,
    ticket_id: int | None,
    comment_id: int | None,
    kind: str,
    to_address: str,
    subject: str,
    ids: list[str],
    text: str,
    automatic: bool,
    dedupe_key: str | None,
) -> dict[str, Any]:
    now = utcnow()
    return {
        "mailbox_id": mailbox.id,
        "ticket_id": ticket_id,
        "comment_id": comment_id,
        "kind": kind,
        "dedupe_key": dedupe_key,
        "to_address": to_address,
        "subject": subject,
        "message_id": new_message_id(mailbox, ticket_id),
        "in_reply_to": ids[-1] if ids else None,
        "references": " ".join(ids[-REFERENCES_KEPT:]) or None,
        "body_text": text,
        "body_html": render_html(text),
        "automatic": automatic,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


def render_html(text: str) -> str:
    """The HTML twin of a markdown body (raw HTML in the body is escaped, never passed on)."""
    return (
        '<!doctype html><html><body style="font-family:sans-serif">'
        f"{_markdown.render(text)}</body></html>"
    )


def _stage_notification(session: Session, data: dict[str, Any], user_ids: frozenset[int]) -> None:
    """A notification to staff who chose to get theirs by mail too, through the first
    enabled mailbox (internal-note notifications included: they go to staff only)."""
    if not user_ids:
        return
    wanted = session.execute(
        select(User.id, User.email)
        .join(MailPreference, MailPreference.user_id == User.id)
        .where(
            User.id.in_(user_ids),
            MailPreference.notify_by_email.is_(True),
            User.is_active.is_(True),
            or_(User.role == "admin", User.role == "agent"),
        )
    ).all()
    if not wanted:
        return
    mailbox = session.execute(
        select(Mailbox).where(Mailbox.enabled.is_(True)).order_by(Mailbox.id).limit(1)
    ).scalar_one_or_none()
    if mailbox is None:
        return
    ticket_id = data.get("ticket_id")
    title = str(data.get("title") or "Deskboard notification")
    # The title only: a summary may quote an internal note, and mail leaves our control.
    text = f"{title}\n\nOpen ticket #{ticket_id} in Deskboard to read more." if ticket_id else title
    rows = [
        _values(
            mailbox=mailbox,
            ticket_id=ticket_id,
            comment_id=None,
            kind="notification",
            to_address=email,
            subject=title[:SUBJECT_MAX],
            ids=[],
            text=text,
            automatic=True,
            dedupe_key=f"notification:{data.get('id')}:{user_id}",
        )
        for user_id, email in wanted
    ]
    session.execute(insert(OutboundMail), rows)
