"""Pydantic shapes of the notifications API (NotificationRead is also the event payload)."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class NotificationKind(StrEnum):
    assigned = "assigned"
    reply = "reply"
    status_changed = "status_changed"
    due_soon = "due_soon"
    sla_at_risk = "sla_at_risk"
    sla_breached = "sla_breached"
    automation = "automation"  # an automation rule's `notify` action


class NotificationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: NotificationKind
    ticket_id: int | None
    actor_id: int | None
    title: str
    summary: str
    read_at: datetime | None
    created_at: datetime


class NotificationPage(BaseModel):
    items: list[NotificationRead]
    next_cursor: str | None
    unread_count: int


class ReadAllResult(BaseModel):
    marked: int
    unread_count: int
