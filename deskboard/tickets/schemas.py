"""Pydantic shapes of the ticket API."""

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from deskboard.attachments.schemas import AttachmentIds, AttachmentRead
from deskboard.core.text import NOT_BLANK_PATTERN, CleanText, DocumentedPattern
from deskboard.core.time import IsoDateTime
from deskboard.tickets.filters import MAX_ID, TicketPriority, TicketStatus
from deskboard.tickets.models import COMMENT_MAX, DESCRIPTION_MAX, TAG_MAX, TITLE_MAX


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


def _as_utc(value: datetime) -> datetime:
    """A timestamp without a zone is taken as UTC."""
    try:
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("timestamp out of range") from exc


Text = CleanText
Timestamp = Annotated[datetime, IsoDateTime, AfterValidator(_as_utc)]


def _normalise_tags(tags: list[str]) -> list[str]:
    """Tags are compared case-insensitively: store them trimmed, lower case, once each."""
    return sorted({tag.strip().lower() for tag in tags})


NotBlank = DocumentedPattern(NOT_BLANK_PATTERN)
Title = Annotated[
    Text, Field(min_length=1, max_length=TITLE_MAX), AfterValidator(_not_blank), NotBlank
]
Description = Annotated[Text, Field(max_length=DESCRIPTION_MAX)]
TagName = Annotated[
    Text, Field(min_length=1, max_length=TAG_MAX), AfterValidator(_not_blank), NotBlank
]
Tags = Annotated[list[TagName], Field(max_length=20), AfterValidator(_normalise_tags)]
UserId = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]


# web: the UI; api: an integration's token; email: an inbound message.
TicketChannel = Literal["web", "email", "api"]


class TicketCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Title
    description: Description = ""
    priority: TicketPriority = TicketPriority.normal
    tags: Tags = []
    # Staff only: file on someone's behalf, assign, set a due date.
    requester_id: UserId | None = None
    assignee_id: UserId | None = None
    due_at: Timestamp | None = None
    # Files uploaded beforehand as drafts (POST /api/attachments) by the same person.
    attachment_ids: AttachmentIds = []


# Fields an update may set to null; every other field, when sent, needs a value.
NULLABLE_UPDATE_FIELDS = frozenset({"assignee_id", "due_at"})


class TicketUpdate(BaseModel):
    """Only the fields sent are changed; `version` is the one the edit started from."""

    model_config = ConfigDict(extra="forbid")

    version: Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
    # SkipJsonSchema: absent is fine, null is refused (the document says so too).
    title: Title | SkipJsonSchema[None] = None
    description: Description | SkipJsonSchema[None] = None
    status: TicketStatus | SkipJsonSchema[None] = None
    priority: TicketPriority | SkipJsonSchema[None] = None
    assignee_id: UserId | None = None
    tags: Tags | SkipJsonSchema[None] = None
    due_at: Timestamp | None = None

    @model_validator(mode="after")
    def _no_null_for_required(self) -> "TicketUpdate":
        for name in self.model_fields_set - NULLABLE_UPDATE_FIELDS:
            if getattr(self, name) is None:
                raise ValueError(f"{name} may not be null")
        return self

    def changes(self) -> dict[str, Any]:
        """Return the fields the client sent, without `version`."""
        return {name: getattr(self, name) for name in self.model_fields_set - {"version"}}


class PersonRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    email: str


class TicketRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    number: int
    title: str
    description: str
    status: TicketStatus
    priority: TicketPriority
    requester: PersonRead
    assignee: PersonRead | None
    tags: list[str]
    due_at: datetime | None
    first_response_at: datetime | None
    resolved_at: datetime | None
    overdue: bool
    created_at: datetime
    updated_at: datetime
    version: int
    channel: TicketChannel


class TicketPage(BaseModel):
    items: list[TicketRead]
    next_cursor: str | None


class CommentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: Annotated[
        Text, Field(min_length=1, max_length=COMMENT_MAX), AfterValidator(_not_blank), NotBlank
    ]
    internal: StrictBool = False
    # The caller's uploads not attached to anything yet (drafts, or files they uploaded to
    # this ticket); an internal note's files become internal.
    attachment_ids: AttachmentIds = []


class CommentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    ticket_id: int
    author: PersonRead
    body: str
    internal: bool
    created_at: datetime
    attachments: list[AttachmentRead] = []


class TicketChangeRead(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: int
    field: str
    from_: Any = Field(alias="from")
    to: Any
    actor: PersonRead | None
    at: datetime
