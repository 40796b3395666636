"""Tickets, their comments and their field history.

Full text search is not mapped here: PostgreSQL keeps a generated `search_vector` column and
SQLite an FTS5 table `tickets_fts`, both created by the migration (see tickets/search.py).
"""

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from deskboard.auth.models import User
from deskboard.core.time import utcnow
from deskboard.db import Base, JSONDoc, UTCDateTime
from deskboard.sla.models import TicketSla
from deskboard.sla.ticket_clocks import sla_view
from deskboard.teams.models import Team

TITLE_MAX = 200
DESCRIPTION_MAX = 50_000
COMMENT_MAX = 20_000
TAG_MAX = 40
# Statuses in which a ticket no longer counts as open work (and so is never overdue).
CLOSED_STATUSES = ("resolved", "closed")


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        # The list's keyset orders: one index per common filter, ending in the sort key and id.
        Index("ix_tickets_status_updated", "status", "updated_at", "id"),
        Index("ix_tickets_assignee_status_updated", "assignee_id", "status", "updated_at", "id"),
        Index("ix_tickets_requester_updated", "requester_id", "updated_at", "id"),
        Index("ix_tickets_updated", "updated_at", "id"),
        Index("ix_tickets_created", "created_at", "id"),
        # Analytics (migration 0005): each lets one figure read an index range, not the table.
        Index("ix_tickets_resolved", "resolved_at", "created_at", "due_at"),
        Index("ix_tickets_created_first_response", "created_at", "first_response_at"),
        Index("ix_tickets_status_assignee", "status", "assignee_id"),
        Index("ix_tickets_status_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The human number equals the id, set in the same transaction right after the insert:
    # unique and gap-tolerant without a counter that concurrent inserts would contend for.
    number: Mapped[int | None] = mapped_column(Integer, unique=True, nullable=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="new")
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    requester_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Where the ticket came from: web (the UI), api (an integration's token), email.
    channel: Mapped[str] = mapped_column(String(16), default="web", server_default="web")
    # The team that works the ticket (issue 13); a restricted team hides it from other agents.
    # RESTRICT: a team is deleted only once no ticket belongs to it (teams/service.py).
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="RESTRICT"), nullable=True, index=True
    )

    requester: Mapped[User] = relationship(foreign_keys=[requester_id], lazy="raise")
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id], lazy="raise")
    # Loaded with its members (ticket_load_options): who may see the ticket and hear about it.
    team: Mapped[Team | None] = relationship(lazy="raise")
    tag_rows: Mapped[list["TicketTag"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="raise", order_by="TicketTag.tag"
    )

    sla_row: Mapped[TicketSla | None] = relationship(lazy="raise", viewonly=True)

    @property
    def sla(self) -> dict[str, Any] | None:
        """The SLA clocks as of now (None when no policy applies): see sla/ticket_clocks.py."""
        if self.sla_row is None:
            return None
        return sla_view(
            self.sla_row,
            first_response_at=self.first_response_at,
            resolved_at=self.resolved_at,
            now=utcnow(),
        )

    @property
    def tags(self) -> list[str]:
        return [row.tag for row in self.tag_rows]

    @property
    def overdue(self) -> bool:
        """Past its due date and not yet resolved (the same rule as the `overdue` filter)."""
        return (
            self.due_at is not None
            and self.due_at < utcnow()
            and self.status not in CLOSED_STATUSES
        )


class TicketTag(Base):
    """One tag on one ticket (a table rather than an array, so both databases index it)."""

    __tablename__ = "ticket_tags"
    __table_args__ = (Index("ix_ticket_tags_tag", "tag", "ticket_id"),)

    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(TAG_MAX), primary_key=True)


class Comment(Base):
    """A public reply or, when `internal`, a note seen only by staff."""

    __tablename__ = "ticket_comments"
    __table_args__ = (
        Index("ix_ticket_comments_ticket", "ticket_id", "created_at", "id"),
        Index("ix_ticket_comments_created", "created_at", "id"),  # newest first (activity)
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    body: Mapped[str] = mapped_column(Text)
    internal: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship(lazy="raise")


class TicketChange(Base):
    """One changed field of one ticket: who, when, from what, to what (JSON values)."""

    __tablename__ = "ticket_changes"
    __table_args__ = (
        Index("ix_ticket_changes_ticket", "ticket_id", "at", "id"),
        Index("ix_ticket_changes_at", "at", "id"),  # newest first (activity)
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    # Set when an automation rule made the change (actor_id is then null): the history says so.
    automation_id: Mapped[int | None] = mapped_column(
        ForeignKey("automations.id", ondelete="SET NULL"), nullable=True
    )
    field: Mapped[str] = mapped_column(String(32))
    old: Mapped[Any | None] = mapped_column(JSONDoc, nullable=True)
    new: Mapped[Any | None] = mapped_column(JSONDoc, nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User | None] = relationship(lazy="raise")
