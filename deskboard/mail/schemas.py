"""Pydantic shapes of mailboxes, inbound results, the outbox and the quarantine."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints

from deskboard.auth.schemas import Email
from deskboard.core.text import NOT_BLANK_PATTERN


class Security(StrEnum):
    ssl = "ssl"  # TLS from the first byte (IMAPS 993, SMTPS 465)
    starttls = "starttls"
    none = "none"  # loopback or a trusted network only


class AuthKind(StrEnum):
    password = "password"
    xoauth2 = "xoauth2"  # in the model; refused until implemented


Name = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=120, pattern=NOT_BLANK_PATTERN
    ),
]
Host = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=255, pattern=r"^[A-Za-z0-9.:\[\]_-]+$"
    ),
]
Port = Annotated[int, Field(ge=1, le=65535)]
Username = Annotated[str, StringConstraints(max_length=255, pattern=r"^[^\x00\r\n]*$")]
Password = Annotated[str, StringConstraints(max_length=1000, pattern=r"^[^\x00\r\n]*$")]
Folder = Annotated[
    str, StringConstraints(min_length=1, max_length=255, pattern=r"^[^\x00\r\n\"\\]+$")
]
PollSeconds = Annotated[int, Field(ge=10, le=86400)]


class ImapSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    host: Host
    port: Port = 993
    security: Security = Security.ssl
    username: Username
    password: Password | None = None  # write-only; absent on update keeps the stored one
    folder: Folder = "INBOX"


class SmtpSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    host: Host
    port: Port = 587
    security: Security = Security.starttls
    username: Username = ""
    password: Password | None = None


class MailboxCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    address: Email
    auth: AuthKind = AuthKind.password
    imap: ImapSettings
    smtp: SmtpSettings
    poll_seconds: PollSeconds = 60
    enabled: StrictBool = True


class MailboxUpdate(BaseModel):
    """Only the fields sent change; within imap/smtp, a password left out is kept."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    address: Email | None = None
    auth: AuthKind | None = None
    imap: ImapSettings | None = None
    smtp: SmtpSettings | None = None
    poll_seconds: PollSeconds | None = None
    enabled: StrictBool | None = None


class ImapRead(BaseModel):
    host: str
    port: int
    security: Security
    username: str
    folder: str
    password_set: bool


class SmtpRead(BaseModel):
    host: str
    port: int
    security: Security
    username: str
    password_set: bool


class PollResult(BaseModel):
    at: datetime | None
    ok: bool | None
    message: str | None
    processed: int
    uidvalidity: int | None
    last_uid: int


class MailboxRead(BaseModel):
    id: int
    name: str
    address: str
    auth: AuthKind
    imap: ImapRead
    smtp: SmtpRead
    poll_seconds: int
    enabled: bool
    inbound_token: str
    last_poll: PollResult
    created_at: datetime
    updated_at: datetime


class ConnectionCheck(BaseModel):
    ok: bool
    message: str


class MailboxTestResult(BaseModel):
    imap: ConnectionCheck
    smtp: ConnectionCheck


class InboundStatus(StrEnum):
    ticket_created = "ticket_created"
    reply_added = "reply_added"
    ignored = "ignored"
    quarantined = "quarantined"


class InboundResult(BaseModel):
    status: InboundStatus
    ticket_id: int | None
    reason: str | None
    duplicate: bool = False  # this Message-ID had been processed before (nothing done now)


class OutboxItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    mailbox_id: int | None
    ticket_id: int | None
    kind: str
    to_address: str
    subject: str
    message_id: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    error: str | None
    created_at: datetime
    sent_at: datetime | None


class QuarantineItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    mailbox_id: int | None
    message_id: str
    from_address: str | None
    subject: str | None
    reason: str | None
    size: int
    received_at: datetime


class ThreadMessageRead(BaseModel):
    """One mail of a ticket's thread, received or sent."""

    direction: str  # "in" | "out"
    message_id: str
    address: str | None  # the sender (in) or the recipient (out)
    subject: str | None
    status: str  # in: ticket_created/reply_added/...; out: pending/sent/failed
    at: datetime


class MailThreadRead(BaseModel):
    ticket_id: int
    mailbox_id: int | None
    mailbox_address: str | None
    messages: list[ThreadMessageRead]


class MailPreferences(BaseModel):
    model_config = ConfigDict(extra="forbid")

    notify_by_email: StrictBool
