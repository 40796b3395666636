"""The one ticket filter format (DESIGN.md), shared by the list API, widget settings, saved views,
drill-down links and analytics. Applying it to a query: tickets/querying.py apply_ticket_filter."""

import json
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from deskboard.core.errors import BadRequest
from deskboard.core.text import CleanText
from deskboard.core.time import IsoDate

# A TicketFilter nests three levels (object, created, ...); json.loads recurses per level and
# fails with RecursionError (a 500) near a thousand, so deeper documents are refused first.
MAX_FILTER_DEPTH = 8


class TicketStatus(StrEnum):
    new = "new"
    open = "open"
    pending = "pending"
    resolved = "resolved"
    closed = "closed"


class TicketChannel(StrEnum):
    web = "web"
    email = "email"
    api = "api"


class TicketPriority(StrEnum):
    low = "low"
    normal = "normal"
    high = "high"
    urgent = "urgent"


class SlaFilterState(StrEnum):
    """A ticket's SLA state (docs/sla.md): at risk (20% of a running target or less left, not
    breached), breached (a target missed), within (has an SLA and no target missed)."""

    at_risk = "at_risk"
    breached = "breached"
    within = "within"


# Ids are 32-bit integers in both databases; a larger one could only fail inside the database.
MAX_ID = 2_147_483_647


# A person reference in a filter: a user id, "me" (the caller) or "none" (nobody assigned).
PersonRef = Annotated[int, Field(ge=1, le=MAX_ID)] | Literal["me", "none"]
# A team reference: a team id, "mine" (the caller's teams) or "none" (no team).
TeamRef = Annotated[int, Field(ge=1, le=MAX_ID)] | Literal["mine", "none"]
Tag = Annotated[CleanText, Field(min_length=1, max_length=40)]


class DateRange(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: Annotated[date, IsoDate] | None = Field(default=None, alias="from")
    to: Annotated[date, IsoDate] | None = None


class TicketFilter(BaseModel):
    """Every field narrows the set; lists mean 'any of'. An empty filter matches everything."""

    model_config = ConfigDict(extra="forbid")

    status: list[TicketStatus] | None = Field(default=None, max_length=5)
    priority: list[TicketPriority] | None = Field(default=None, max_length=4)
    assignee_id: list[PersonRef] | None = Field(default=None, max_length=50)
    requester_id: list[PersonRef] | None = Field(default=None, max_length=50)
    # The settings editor offers the teams of GET /api/teams (and "mine", "none") as choices.
    team_id: list[TeamRef] | None = Field(
        default=None, max_length=50, json_schema_extra={"x-deskboard-source": "teams"}
    )
    tag: list[Tag] | None = Field(default=None, max_length=20)
    q: CleanText | None = Field(default=None, max_length=200)
    created: DateRange | None = None
    overdue: StrictBool | None = None
    sla: list[SlaFilterState] | None = Field(default=None, max_length=3)
    # Where tickets came from (web, email, api).
    channel: list[TicketChannel] | None = Field(default=None, max_length=3)

    def merged(self, other: "TicketFilter") -> "TicketFilter":
        """Return this filter narrowed by another's set fields (a filter panel over a widget)."""
        # Field values, not model_dump(): a nested DateRange must stay a model.
        update = {name: getattr(other, name) for name in other.model_fields_set}
        return self.model_copy(update={k: v for k, v in update.items() if v is not None})


def ticket_filter_json_schema() -> dict[str, Any]:
    """JSON Schema of the filter, for widget settings schemas."""
    return TicketFilter.model_json_schema(by_alias=True)


def nesting_depth(raw: str) -> int:
    """The deepest nesting of JSON arrays and objects in a text, strings skipped."""
    depth = deepest = 0
    in_string = escaped = False
    for char in raw:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def load_filter_json(raw: str) -> dict[str, Any]:
    """A `filter=` query value as a JSON object; 400 (BadRequest) for anything else."""
    if nesting_depth(raw) > MAX_FILTER_DEPTH:
        raise BadRequest(f"filter is nested more than {MAX_FILTER_DEPTH} levels deep")
    try:
        document = json.loads(raw)
    except ValueError as exc:
        raise BadRequest(f"filter is not valid JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise BadRequest("filter must be a JSON object")
    return document
