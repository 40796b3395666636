"""Pydantic shapes of webhooks and their delivery log."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StringConstraints

from deskboard.webhooks.destinations import check_url
from deskboard.webhooks.models import URL_MAX


class WebhookEvent(StrEnum):
    ticket_created = "ticket.created"
    ticket_updated = "ticket.updated"
    ticket_deleted = "ticket.deleted"
    comment_created = "comment.created"  # public replies only
    # Internal notes reach only webhooks that name this type (they never go to requesters).
    comment_internal_created = "comment.internal_created"


def _unique(events: list[WebhookEvent]) -> list[WebhookEvent]:
    if len(set(events)) != len(events):
        raise ValueError("event types must not repeat")
    return events


Url = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=URL_MAX),
    AfterValidator(check_url),
]
Events = Annotated[
    list[WebhookEvent],
    Field(min_length=1, max_length=10, json_schema_extra={"uniqueItems": True}),
    AfterValidator(_unique),
]
# Printable ASCII, long enough to resist guessing; generated (whsec_...) when not given.
Secret = Annotated[str, StringConstraints(min_length=16, max_length=200, pattern=r"^[\x21-\x7e]+$")]


class WebhookCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Url
    events: Events
    secret: Secret | None = None
    enabled: StrictBool = True


class WebhookUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Url | None = None
    events: Events | None = None
    secret: Secret | None = None  # a new secret; never shown back
    enabled: StrictBool | None = None


class WebhookRead(BaseModel):
    id: int
    url: str
    events: list[str]
    enabled: bool
    created_at: datetime
    updated_at: datetime


class WebhookCreated(WebhookRead):
    """The create answer: the only one that carries the secret."""

    secret: str


class DeliveryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    webhook_id: int
    event_id: str
    event_type: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    response_status: int | None
    response_snippet: str | None
    error: str | None
    duration_ms: int | None
    created_at: datetime
    delivered_at: datetime | None
