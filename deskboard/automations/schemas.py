"""Pydantic shapes of automation rules and their run log."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    model_serializer,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from deskboard.automations.models import NAME_MAX
from deskboard.core.text import NOT_BLANK_PATTERN, CleanText, DocumentedPattern
from deskboard.tickets.filters import MAX_ID, TicketFilter, TicketPriority, TicketStatus
from deskboard.tickets.schemas import Tags

Id = Annotated[int, Field(ge=1, le=MAX_ID, strict=True)]
MAX_ACTIONS = 20
# A year: time rules wait at most that long after a ticket's last change.
MAX_AFTER_MINUTES = 525_600


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value.strip()


Name = Annotated[
    CleanText,
    Field(min_length=1, max_length=NAME_MAX),
    AfterValidator(_not_blank),
    DocumentedPattern(NOT_BLANK_PATTERN),
]


class Trigger(StrEnum):
    ticket_created = "ticket.created"
    ticket_updated = "ticket.updated"
    time = "time"


class SetFields(BaseModel):
    """The ticket fields a `set` action writes (at least one)."""

    model_config = ConfigDict(extra="forbid")

    status: TicketStatus | SkipJsonSchema[None] = None
    priority: TicketPriority | SkipJsonSchema[None] = None
    assignee_id: Id | None = None  # null: unassign
    team_id: Id | None = None  # null: no team
    tags: Tags | SkipJsonSchema[None] = None

    # Untyped on purpose: a return annotation would replace the schema of what is sent back.
    @model_serializer(mode="wrap")
    def _only_sent(self, handler):  # type: ignore[no-untyped-def]
        """Serialise the fields named, so an explicit null (unassign) differs from absent."""
        return {k: v for k, v in handler(self).items() if k in self.model_fields_set}

    @model_validator(mode="after")
    def _some_field(self) -> "SetFields":
        if not self.model_fields_set:
            raise ValueError("name at least one field to set")
        for name in self.model_fields_set - {"assignee_id", "team_id"}:
            if getattr(self, name) is None:
                raise ValueError(f"{name} may not be null")
        return self


class SetAction(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["set"]
    fields: Annotated[SetFields, Field(json_schema_extra={"minProperties": 1})]


class AssignAction(BaseModel):
    """Assign to a member of the team: in turn (round_robin) or to whoever has the fewest open
    tickets (least_open; ties in turn). Members marked away or disabled are skipped."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["assign"]
    strategy: Literal["round_robin", "least_open"]
    team_id: Id


class ReplyAction(BaseModel):
    """Add a saved reply, filled in for the ticket, as a public reply or an internal note."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["reply"]
    saved_reply_id: Id
    internal: StrictBool = False


def _distinct(ids: list[int]) -> list[int]:
    if len(set(ids)) != len(ids):
        raise ValueError("user ids must not repeat")
    return ids


class NotifyAction(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["notify"]
    user_ids: Annotated[
        list[Id],
        Field(min_length=1, max_length=50, json_schema_extra={"uniqueItems": True}),
        AfterValidator(_distinct),
    ]


class WebhookAction(BaseModel):
    """Queue an `automation` delivery to the webhook (its outbox, signed and retried)."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["webhook"]
    webhook_id: Id


Action = Annotated[
    SetAction | AssignAction | ReplyAction | NotifyAction | WebhookAction,
    Field(discriminator="type"),
]
Actions = Annotated[list[Action], Field(min_length=1, max_length=MAX_ACTIONS)]
AfterMinutes = Annotated[int, Field(ge=1, le=MAX_AFTER_MINUTES, strict=True)]


def _no_me(conditions: TicketFilter) -> TicketFilter:
    """A rule runs for nobody in particular: "me" would mean no one."""
    for name in ("assignee_id", "requester_id"):
        if "me" in (getattr(conditions, name) or []):
            raise ValueError(f"{name}: 'me' has no meaning in a rule; name the user")
    return conditions


Conditions = Annotated[TicketFilter, AfterValidator(_no_me)]


class AutomationCreate(BaseModel):
    """`after_minutes` is required for `time` rules (quiet time since the ticket's last change)
    and refused for the others."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    enabled: StrictBool = True
    when: Trigger
    after_minutes: AfterMinutes | None = None
    conditions: Conditions = Field(default_factory=TicketFilter)
    actions: Actions


class AutomationUpdate(BaseModel):
    """Only the fields sent change; `actions` replaces the whole list."""

    model_config = ConfigDict(extra="forbid")

    name: Name | SkipJsonSchema[None] = None
    enabled: StrictBool | SkipJsonSchema[None] = None
    when: Trigger | SkipJsonSchema[None] = None
    after_minutes: AfterMinutes | None = None
    conditions: Conditions | SkipJsonSchema[None] = None
    actions: Actions | SkipJsonSchema[None] = None

    @model_validator(mode="after")
    def _no_nulls(self) -> "AutomationUpdate":
        for name in self.model_fields_set - {"after_minutes"}:
            if getattr(self, name) is None:
                raise ValueError(f"{name} may not be null")
        return self


class AutomationRead(BaseModel):
    id: int
    name: str
    enabled: bool
    when: Trigger
    after_minutes: int | None
    conditions: TicketFilter
    actions: list[Action]
    created_by_id: int | None
    created_at: datetime
    updated_at: datetime


class RunOutcome(StrEnum):
    applied = "applied"  # at least one action did something
    unchanged = "unchanged"  # the rule matched; nothing needed doing
    failed = "failed"  # an action failed: none of the rule's changes were kept
    stopped = "stopped"  # the depth limit: a chain of rules went too deep


class ActionResult(BaseModel):
    """What one action did: `changes` is field -> {"from", "to"} for ticket fields; `detail`
    says the rest (who was notified, which comment or delivery was made, why nothing)."""

    type: str
    changes: dict[str, dict[str, Any]] = {}
    detail: str = ""


class AutomationRunRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    automation_id: int
    ticket_id: int | None
    trigger: Trigger
    depth: int
    outcome: RunOutcome
    results: list[ActionResult]
    error: str | None
    at: datetime
