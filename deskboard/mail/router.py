"""Mail endpoints: mailboxes (admins), the raw-message gateway (by mailbox token), the outbox
and quarantine (admins), a ticket's mail thread (staff), one's mail preference (staff)."""

import re
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Path, Query, Request, Response
from pydantic.json_schema import SkipJsonSchema

from deskboard.auth.deps import require
from deskboard.auth.models import User
from deskboard.config import Settings
from deskboard.core.errors import DomainError, Unauthorized
from deskboard.core.openapi import errors
from deskboard.db import DbSession, get_database
from deskboard.mail import admin, mailboxes
from deskboard.mail.models import Mailbox
from deskboard.mail.schemas import (
    InboundResult,
    MailboxCreate,
    MailboxRead,
    MailboxTestResult,
    MailboxUpdate,
    MailPreferences,
    MailThreadRead,
    OutboxItemRead,
    QuarantineItemRead,
)
from deskboard.mail.service import Offered, ingest, token_matches
from deskboard.tickets.deps import ValidTicket
from deskboard.tickets.filters import MAX_ID

router = APIRouter(tags=["mail"])

MailboxId = Annotated[int, Path(ge=1, le=MAX_ID)]
Manager = Annotated[User, require("mail:manage")]
Staff = Annotated[User, require("mail:thread")]
PreferenceHolder = Annotated[User, require("mail:preferences")]
TOKEN_HEADER = "X-Deskboard-Inbound-Token"


class UnsupportedMediaType(DomainError):
    status_code = 415
    default_detail = "Send the message as Content-Type: message/rfc822"


def inbound_mail_body_limits(settings: Settings) -> list[tuple[str, re.Pattern[str], int, str]]:
    """The gateway takes whole messages (a large attachment is base64, a third larger)."""
    detail = f"Message over DESKBOARD_MAIL_MAX_MESSAGE_BYTES ({settings.mail_max_message_bytes})"
    pattern = re.compile(r"^/api/inbound/email/[^/]+$")
    return [("POST", pattern, settings.mail_max_message_bytes, detail)]


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


@router.get("/mailboxes", response_model=list[MailboxRead], responses=errors(403))
async def list_mailboxes(session: DbSession, _: Manager) -> list[MailboxRead]:
    return await mailboxes.list_mailboxes(session)


@router.post("/mailboxes", response_model=MailboxRead, status_code=201, responses=errors(403, 409))
async def create_mailbox(data: MailboxCreate, session: DbSession, user: Manager) -> MailboxRead:
    """Passwords are write-only; the answer carries the mailbox's `inbound_token`."""
    return await mailboxes.create_mailbox(session, actor=user, data=data)


@router.get("/mailboxes/{mailbox_id}", response_model=MailboxRead, responses=errors(403, 404))
async def get_mailbox(mailbox_id: MailboxId, session: DbSession, _: Manager) -> MailboxRead:
    return mailboxes.mailbox_read(await mailboxes.get_mailbox(session, mailbox_id=mailbox_id))


@router.patch(
    "/mailboxes/{mailbox_id}", response_model=MailboxRead, responses=errors(403, 404, 409)
)
async def update_mailbox(
    mailbox_id: MailboxId, data: MailboxUpdate, session: DbSession, user: Manager
) -> MailboxRead:
    return await mailboxes.update_mailbox(session, actor=user, mailbox_id=mailbox_id, data=data)


@router.delete("/mailboxes/{mailbox_id}", status_code=204, responses=errors(403, 404))
async def delete_mailbox(mailbox_id: MailboxId, session: DbSession, user: Manager) -> Response:
    await mailboxes.delete_mailbox(session, actor=user, mailbox_id=mailbox_id)
    return Response(status_code=204)


@router.post(
    "/mailboxes/{mailbox_id}/test", response_model=MailboxTestResult, responses=errors(403, 404)
)
async def test_mailbox(
    mailbox_id: MailboxId, request: Request, session: DbSession, _: Manager
) -> MailboxTestResult:
    """Sign in to the IMAP and SMTP servers with the stored settings; nothing is sent."""
    row = await mailboxes.get_mailbox(session, mailbox_id=mailbox_id)
    return await admin.test_connections(row, _settings(request))


_RFC822_BODY = {
    "requestBody": {
        "required": True,
        "content": {"message/rfc822": {"schema": {"type": "string", "format": "binary"}}},
    }
}


@router.post(
    "/inbound/email/{mailbox_id}",
    response_model=InboundResult,
    status_code=202,
    responses=errors(400, 401, 413, 415, 422),
    openapi_extra=_RFC822_BODY,
)
async def inbound_email(
    mailbox_id: MailboxId,
    request: Request,
    session: DbSession,
    x_deskboard_inbound_token: Annotated[
        str | SkipJsonSchema[None], Header(alias=TOKEN_HEADER, max_length=200)
    ] = None,
) -> InboundResult:
    """One raw message from a mail gateway, authenticated by the mailbox's inbound token
    (401 when it is wrong). A message already processed answers its earlier outcome."""
    mailbox = await session.get(Mailbox, mailbox_id)
    # An unknown mailbox answers like a wrong token: ids are not probed this way.
    if mailbox is None or not token_matches(mailbox, x_deskboard_inbound_token):
        raise Unauthorized("Wrong or missing X-Deskboard-Inbound-Token")
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media != "message/rfc822":
        raise UnsupportedMediaType()
    raw = await request.body()
    if not raw.strip():
        raise DomainError("The body is empty: send one RFC 5322 message")
    # Its own transaction (not the request's): a concurrent twin is resolved by retrying.
    return await ingest(get_database(), _settings(request), Offered(raw=raw, mailbox_id=mailbox.id))


Status = Literal["pending", "sent", "failed"]


@router.get("/mail/outbox", response_model=list[OutboxItemRead], responses=errors(403))
async def list_outbox(
    session: DbSession,
    _: Manager,
    mailbox_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    status: Annotated[Status | None, Query()] = None,
) -> list[OutboxItemRead]:
    """The latest 100 outgoing mails, newest first, with their delivery state."""
    return await admin.list_outbox(session, mailbox_id=mailbox_id, status=status)


@router.get("/mail/quarantine", response_model=list[QuarantineItemRead], responses=errors(403))
async def list_quarantine(
    session: DbSession,
    _: Manager,
    mailbox_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> list[QuarantineItemRead]:
    """The latest 100 messages that could not be read as mail, with the reason."""
    return await admin.list_quarantine(session, mailbox_id=mailbox_id)


@router.get("/tickets/{ticket_id}/mail", response_model=MailThreadRead, responses=errors(403, 404))
async def ticket_mail_thread(ticket: ValidTicket, session: DbSession, _: Staff) -> MailThreadRead:
    """The mails of a ticket (received and sent), oldest first."""
    return await admin.thread(session, ticket=ticket)


@router.get("/mail/preferences", response_model=MailPreferences, responses=errors(403))
async def get_preferences(session: DbSession, user: PreferenceHolder) -> MailPreferences:
    return await admin.get_preferences(session, user=user)


@router.put("/mail/preferences", response_model=MailPreferences, responses=errors(403))
async def set_preferences(
    data: MailPreferences, session: DbSession, user: PreferenceHolder
) -> MailPreferences:
    """Whether one's own notifications also come by mail."""
    return await admin.set_preferences(session, user=user, data=data)
