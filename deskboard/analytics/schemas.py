"""Pydantic shapes of the analytics API.

Every figure that stands for a set of tickets carries `filter`: the TicketFilter (as the list's
`filter=` JSON) that lists exactly those tickets, or null when no filter can express the set.
"""

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

FilterDocument = dict[str, Any]


class Segment(BaseModel):
    key: str
    count: int
    filter: FilterDocument | None


class Breakdown(BaseModel):
    """Counts by one field (status or priority), in the field's natural order."""

    total: int
    segments: list[Segment]


class DayFlow(BaseModel):
    day: date
    created: int
    resolved: int
    # Lists the tickets created that day (resolution has no list filter).
    created_filter: FilterDocument | None


class CreatedResolved(BaseModel):
    days: int
    points: list[DayFlow]


class DayBacklog(BaseModel):
    day: date
    open: int


class Backlog(BaseModel):
    """Open tickets at the end of each day (today: now), from created_at and resolved_at."""

    days: int
    points: list[DayBacklog]


class Kpi(BaseModel):
    value: float | None
    previous: float | None
    change: float | None
    change_pct: float | None
    filter: FilterDocument | None


class Period(BaseModel):
    start: datetime
    end: datetime


class Kpis(BaseModel):
    days: int
    period: Period
    previous_period: Period
    open: Kpi
    unassigned: Kpi
    overdue: Kpi
    median_first_response_seconds: Kpi
    median_resolution_seconds: Kpi


class AgentRef(BaseModel):
    id: int
    name: str


class WorkloadRow(BaseModel):
    agent: AgentRef | None  # null: the unassigned tickets
    count: int
    filter: FilterDocument | None


class Workload(BaseModel):
    total: int
    rows: list[WorkloadRow]


class AgeBand(BaseModel):
    """Open tickets of one age band (the bands follow the request's `bands=` boundaries)."""

    key: str = Field(
        pattern=r"^(lt_\d+d|\d+_\d+d|gt_\d+d)$",
        description="lt_{first}d, {lower}_{upper}d for each pair of boundaries, gt_{last}d",
        examples=["lt_1d", "1_3d", "gt_30d"],
    )
    label: str = Field(examples=["< 1 day", "1-3 days", "> 30 days"])
    count: int
    filter: FilterDocument | None


class Ageing(BaseModel):
    total: int
    bands: list[AgeBand]


class TicketRef(BaseModel):
    id: int
    number: int
    title: str


class ActivityItem(BaseModel):
    kind: Literal["created", "changed", "comment", "note"]
    at: datetime
    actor: AgentRef | None
    ticket: TicketRef
    field: str | None = None  # changed: which field
    from_value: Any = None  # changed: old value
    to_value: Any = None  # changed: new value
    excerpt: str | None = None  # comment / note: the start of the text


class Activity(BaseModel):
    items: list[ActivityItem]


class SlaFigure(BaseModel):
    count: int
    filter: FilterDocument | None


class SlaCompliance(BaseModel):
    """Tickets under an SLA policy, by SLA state as of now (docs/sla.md): within (no target
    missed; at_risk is part of it) and breached. `within_pct` is within / total, null when no
    ticket has an SLA. Each `filter` lists exactly the counted tickets."""

    total: int
    within_pct: float | None
    within: SlaFigure
    at_risk: SlaFigure
    breached: SlaFigure
