"""The one ticket filter format (DESIGN.md), shared by the list API, widget settings, saved views,
drill-down links and analytics. Applying it to a query: tickets/querying.py apply_ticket_filter."""

from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from deskboard.core.text import CleanText
from deskboard.core.time import IsoDate


class TicketStatus(StrEnum):
    new = "new"
    open = "open"
    pending = "pending"
    resolved = "resolved"
    closed = "closed"


class TicketPriority(StrEnum):
    low = "low"
    normal = "normal"
    high = "high"
    urgent = "urgent"


# Ids are 32-bit integers in both databases; a larger one could only fail inside the database.
MAX_ID = 2_147_483_647


# A person reference in a filter: a user id, "me" (the caller) or "none" (nobody assigned).
PersonRef = Annotated[int, Field(ge=1, le=MAX_ID)] | Literal["me", "none"]
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
    tag: list[Tag] | None = Field(default=None, max_length=20)
    q: CleanText | None = Field(default=None, max_length=200)
    created: DateRange | None = None
    overdue: StrictBool | None = None

    def merged(self, other: "TicketFilter") -> "TicketFilter":
        """Return this filter narrowed by another's set fields (a filter panel over a widget)."""
        # Field values, not model_dump(): a nested DateRange must stay a model.
        update = {name: getattr(other, name) for name in other.model_fields_set}
        return self.model_copy(update={k: v for k, v in update.items() if v is not None})


def ticket_filter_json_schema() -> dict[str, Any]:
    """JSON Schema of the filter, for widget settings schemas."""
    return TicketFilter.model_json_schema(by_alias=True)
