"""Attachments: one row per file attached (name, who, where, internal), one blob per content.

The content is stored once per sha256 (`AttachmentBlob`); any number of attachment rows share
it. A blob row is also the lock that serialises uploads and removals of the same content
(service.lock_blob), so a removal never deletes a file an upload has just reused.
"""

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from deskboard.auth.models import User
from deskboard.core.time import utcnow
from deskboard.db import Base, UTCDateTime

FILENAME_MAX = 255
CONTENT_TYPE_MAX = 127
CONTENT_ID_MAX = 255


class AttachmentBlob(Base):
    """One stored content, by its sha256 (hex); its file is in the attachment store."""

    __tablename__ = "attachment_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Attachment(Base):
    """A file attached to a ticket, or to one comment of it; a draft until it has a ticket.

    A draft (ticket_id null) is seen and used only by its uploader, until a new ticket or a
    comment takes it with `attachment_ids`; the sweep removes drafts left unused.
    """

    __tablename__ = "attachments"
    __table_args__ = (
        Index("ix_attachments_ticket", "ticket_id", "id"),
        Index("ix_attachments_comment", "comment_id"),
        Index("ix_attachments_sha256", "sha256"),
        Index("ix_attachments_drafts", "uploaded_by_id", "ticket_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), nullable=True
    )
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("ticket_comments.id", ondelete="CASCADE"), nullable=True
    )
    sha256: Mapped[str] = mapped_column(ForeignKey("attachment_blobs.sha256", ondelete="RESTRICT"))
    filename: Mapped[str] = mapped_column(String(FILENAME_MAX))
    # The type sniffed from the content, narrowed to those served as themselves (sniffing.py).
    content_type: Mapped[str] = mapped_column(String(CONTENT_TYPE_MAX))
    size: Mapped[int] = mapped_column(BigInteger)
    # Staff only, like internal notes: never shown to requesters or guests.
    internal: Mapped[bool] = mapped_column(Boolean, default=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    # A mail part's Content-ID, so `cid:` references in the message find their image.
    content_id: Mapped[str | None] = mapped_column(String(CONTENT_ID_MAX), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    uploaded_by: Mapped[User | None] = relationship(lazy="raise")
