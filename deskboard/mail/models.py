"""Mailboxes, every message received (the dedupe record and the quarantine), and the outbox."""

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from deskboard.core.time import utcnow
from deskboard.db import Base, UTCDateTime

ADDRESS_MAX = 254
MESSAGE_ID_MAX = 500  # RFC 5322 allows 998 per line; real ids stay far below
SUBJECT_MAX = 500


class Mailbox(Base):
    """One support address: read over IMAP, answered over SMTP. Passwords are AES-GCM under a
    key derived from DESKBOARD_SECRET_KEY (they must be sent as they are, so not a digest)."""

    __tablename__ = "mailboxes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(ADDRESS_MAX), unique=True)
    # "password" (LOGIN / AUTH PLAIN) or "xoauth2" (modelled, not implemented yet).
    auth_kind: Mapped[str] = mapped_column(String(16), default="password")
    imap_host: Mapped[str] = mapped_column(String(255))
    imap_port: Mapped[int] = mapped_column(Integer)
    imap_security: Mapped[str] = mapped_column(String(16))
    imap_username: Mapped[str] = mapped_column(String(255))
    imap_password_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    imap_folder: Mapped[str] = mapped_column(String(255), default="INBOX")
    smtp_host: Mapped[str] = mapped_column(String(255))
    smtp_port: Mapped[int] = mapped_column(Integer)
    smtp_security: Mapped[str] = mapped_column(String(16))
    smtp_username: Mapped[str] = mapped_column(String(255), default="")
    smtp_password_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    poll_seconds: Mapped[int] = mapped_column(Integer, default=60)
    enabled: Mapped[bool] = mapped_column(default=True)
    inbound_token: Mapped[str] = mapped_column(String(64))
    # IMAP position: a changed UIDVALIDITY means the folder was rebuilt and UIDs start over
    # (Message-ID dedupe still keeps messages from being processed twice).
    uidvalidity: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    last_poll_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_poll_ok: Mapped[bool | None] = mapped_column(nullable=True)
    last_poll_message: Mapped[str | None] = mapped_column(String(500), nullable=True)
    last_poll_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class InboundMessage(Base):
    """Every message received, whatever became of it: its Message-ID is unique, so a message
    is processed once however often it arrives (two pollers, a restart, a gateway retry).
    Written in the same transaction as the ticket or reply it made."""

    __tablename__ = "mail_inbound"
    __table_args__ = (
        Index("ix_mail_inbound_ticket", "ticket_id", "id"),
        Index("ix_mail_inbound_status", "status", "id"),
        Index("ix_mail_inbound_from", "from_address", "received_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[str] = mapped_column(String(MESSAGE_ID_MAX), unique=True)
    mailbox_id: Mapped[int | None] = mapped_column(
        ForeignKey("mailboxes.id", ondelete="SET NULL"), nullable=True
    )
    uid: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # ticket_created, reply_added, ignored, quarantined
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="SET NULL"), nullable=True
    )
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("ticket_comments.id", ondelete="SET NULL"), nullable=True
    )
    from_address: Mapped[str | None] = mapped_column(String(ADDRESS_MAX), nullable=True)
    subject: Mapped[str | None] = mapped_column(String(SUBJECT_MAX), nullable=True)
    in_reply_to: Mapped[str | None] = mapped_column(String(MESSAGE_ID_MAX), nullable=True)
    size: Mapped[int] = mapped_column(Integer, default=0)
    # The full original as received (the reply shown is stripped of quotes and signatures).
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OutboundMail(Base):
    """One mail to send. status: pending (due at next_attempt_at, or claimed by a worker until
    then), sent, failed (attempts used up)."""

    __tablename__ = "mail_outbox"
    __table_args__ = (
        Index("ix_mail_outbox_due", "status", "next_attempt_at"),
        Index("ix_mail_outbox_ticket", "ticket_id", "id"),
        Index("ix_mail_outbox_to_kind", "to_address", "kind", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mailbox_id: Mapped[int | None] = mapped_column(
        ForeignKey("mailboxes.id", ondelete="CASCADE"), nullable=True
    )
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="SET NULL"), nullable=True
    )
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("ticket_comments.id", ondelete="SET NULL"), nullable=True
    )
    # reply, received, resolved, notification, test
    kind: Mapped[str] = mapped_column(String(16))
    # Keeps one notice per cause (e.g. "resolved:12:<resolved_at>") however often it is staged.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True, nullable=True)
    to_address: Mapped[str] = mapped_column(String(ADDRESS_MAX))
    subject: Mapped[str] = mapped_column(String(SUBJECT_MAX))
    message_id: Mapped[str] = mapped_column(String(MESSAGE_ID_MAX), unique=True)
    in_reply_to: Mapped[str | None] = mapped_column(String(MESSAGE_ID_MAX), nullable=True)
    references: Mapped[str | None] = mapped_column(Text, nullable=True)
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    automatic: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claim: Mapped[str | None] = mapped_column(String(32), nullable=True)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    error: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class MailPreference(Base):
    """A staff member's choice to get their own notifications by mail too."""

    __tablename__ = "mail_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    notify_by_email: Mapped[bool] = mapped_column(default=False)
