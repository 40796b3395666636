"""Pydantic shapes of saved views."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, model_validator
from pydantic.json_schema import SkipJsonSchema

from deskboard.core.text import NOT_BLANK_PATTERN, DocumentedPattern, clean_text
from deskboard.tickets.filters import TicketFilter
from deskboard.tickets.paging import TicketSort
from deskboard.views.models import NAME_MAX


class ViewColumn(StrEnum):
    """Columns a ticket list can show (fields of TicketRead)."""

    number = "number"
    title = "title"  # type: ignore[assignment]  # the column, not str.title
    status = "status"
    priority = "priority"
    requester = "requester"
    assignee = "assignee"
    team = "team"
    tags = "tags"
    channel = "channel"
    due_at = "due_at"
    overdue = "overdue"
    first_response_at = "first_response_at"
    resolved_at = "resolved_at"
    created_at = "created_at"
    updated_at = "updated_at"


DEFAULT_COLUMNS = [
    ViewColumn.number,
    ViewColumn.title,
    ViewColumn.status,
    ViewColumn.priority,
    ViewColumn.assignee,
    ViewColumn.updated_at,
]


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value.strip()


def _unique(columns: list[ViewColumn]) -> list[ViewColumn]:
    if len(set(columns)) != len(columns):
        raise ValueError("columns must not repeat")
    return columns


Name = Annotated[
    str,
    Field(min_length=1, max_length=NAME_MAX),
    AfterValidator(clean_text),
    AfterValidator(_not_blank),
    DocumentedPattern(NOT_BLANK_PATTERN),
]
Columns = Annotated[
    list[ViewColumn],
    Field(min_length=1, max_length=len(ViewColumn), json_schema_extra={"uniqueItems": True}),
    AfterValidator(_unique),
]


class ViewCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    filter: TicketFilter = Field(default_factory=TicketFilter)
    columns: Columns = Field(default_factory=lambda: list(DEFAULT_COLUMNS))
    sort: TicketSort = TicketSort.updated_at_desc
    shared: StrictBool = False


class ViewUpdate(BaseModel):
    """Only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid")

    # SkipJsonSchema: absent is fine, null is refused (the document says so too).
    name: Name | SkipJsonSchema[None] = None
    filter: TicketFilter | SkipJsonSchema[None] = None
    columns: Columns | SkipJsonSchema[None] = None
    sort: TicketSort | SkipJsonSchema[None] = None
    shared: StrictBool | SkipJsonSchema[None] = None

    @model_validator(mode="after")
    def _no_nulls(self) -> "ViewUpdate":
        for name in self.model_fields_set:
            if getattr(self, name) is None:
                raise ValueError(f"{name} may not be null")
        return self


class ViewOwner(BaseModel):
    id: int
    name: str


class ViewRead(BaseModel):
    id: int
    name: str
    filter: TicketFilter
    columns: list[ViewColumn]
    sort: TicketSort
    shared: bool
    owner: ViewOwner
    # Whether the caller may change or delete it (the owner, or an admin).
    editable: bool
    created_at: datetime
    updated_at: datetime
