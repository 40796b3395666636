"""Pydantic shapes of SLA policies."""

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from deskboard.sla.schemas import Name
from deskboard.tickets.filters import MAX_ID, TicketFilter, TicketStatus

# A year of round-the-clock minutes: longer targets are typing errors.
MAX_TARGET_MINUTES = 366 * 24 * 60
MAX_POSITION = 10_000
# The clock stops anyway once a ticket is resolved or closed; "new" and "open" are the work.
PAUSABLE = frozenset({TicketStatus.pending})


def _policy_conditions(conditions: TicketFilter) -> TicketFilter:
    """Conditions are about the ticket alone: no caller ("me", "mine"), no due date (the SLA
    sets it)."""
    for field in ("assignee_id", "requester_id"):
        if "me" in (getattr(conditions, field) or []):
            raise ValueError(f'{field}: "me" has no meaning in a policy (nobody is calling)')
    if "mine" in (conditions.team_id or []):
        raise ValueError('team_id: "mine" has no meaning in a policy (nobody is calling)')
    if conditions.overdue is not None:
        raise ValueError("overdue: a policy cannot depend on the due date it sets")
    if conditions.sla:
        raise ValueError("sla: a policy cannot depend on the SLA state it sets")
    return conditions


def _pause_statuses(statuses: list[TicketStatus]) -> list[TicketStatus]:
    if len(set(statuses)) != len(statuses):
        raise ValueError("statuses must not repeat")
    refused = sorted(set(statuses) - PAUSABLE)
    if refused:
        raise ValueError(
            f"only {', '.join(sorted(PAUSABLE))} may pause the clock, not {', '.join(refused)}"
        )
    return statuses


Conditions = Annotated[TicketFilter, AfterValidator(_policy_conditions)]
Target = Annotated[int, Field(ge=1, le=MAX_TARGET_MINUTES, strict=True)]
Position = Annotated[int, Field(ge=0, le=MAX_POSITION, strict=True)]
CalendarRef = Annotated[int, Field(ge=1, le=MAX_ID, strict=True)]
PauseStatuses = Annotated[
    list[TicketStatus], Field(max_length=len(TicketStatus)), AfterValidator(_pause_statuses)
]


class SlaPolicyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    # Omitted: after the last policy. Equal positions are ordered by id.
    position: Position | None = None
    conditions: Conditions = Field(default_factory=TicketFilter)
    calendar_id: CalendarRef
    first_response_minutes: Target
    resolution_minutes: Target
    pause_statuses: PauseStatuses = Field(default_factory=lambda: [TicketStatus.pending])

    @model_validator(mode="after")
    def _targets_in_order(self) -> "SlaPolicyCreate":
        if self.first_response_minutes > self.resolution_minutes:
            raise ValueError("first_response_minutes must not exceed resolution_minutes")
        return self


class SlaPolicyUpdate(BaseModel):
    """Only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    position: Position | None = None
    conditions: Conditions | None = None
    calendar_id: CalendarRef | None = None
    first_response_minutes: Target | None = None
    resolution_minutes: Target | None = None
    pause_statuses: PauseStatuses | None = None

    @model_validator(mode="after")
    def _no_nulls(self) -> "SlaPolicyUpdate":
        for name in self.model_fields_set:
            if getattr(self, name) is None:
                raise ValueError(f"{name} may not be null")
        return self


class SlaPolicyRead(BaseModel):
    id: int
    name: str
    position: int
    conditions: TicketFilter
    calendar_id: int
    first_response_minutes: int
    resolution_minutes: int
    pause_statuses: list[TicketStatus]
    created_at: datetime
    updated_at: datetime


class SlaBreached(BaseModel):
    first_response: bool
    resolution: bool


class TicketSlaRead(BaseModel):
    """A ticket's `"sla"` (DESIGN.md; docs/sla.md): due times in UTC (null while a pause stops a
    clock short of its target), business minutes paused so far (as of the last recomputation),
    whether a clock is paused now, at risk (20% of a running target or less left, not
    breached), and which targets are breached."""

    policy_id: int
    first_response_due_at: datetime | None  # None while a pause stops the clock short of it
    resolution_due_at: datetime | None
    paused_minutes: float
    paused: bool
    at_risk: bool
    breached: SlaBreached
