"""Pydantic shapes of saved replies."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from deskboard.core.text import NOT_BLANK_PATTERN, DocumentedPattern, clean_text
from deskboard.replies import templating
from deskboard.replies.models import TITLE_MAX
from deskboard.tickets.filters import MAX_ID


class Scope(StrEnum):
    personal = "personal"
    team = "team"
    global_ = "global"


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


def _template(source: str) -> str:
    try:
        templating.check(source)
    except templating.TemplateProblem as problem:
        raise PydanticCustomError("template", "{problem}", {"problem": str(problem)}) from None
    return source


Title = Annotated[
    str,
    Field(min_length=1, max_length=TITLE_MAX),
    AfterValidator(clean_text),
    AfterValidator(str.strip),
    AfterValidator(_not_blank),
    DocumentedPattern(NOT_BLANK_PATTERN),
]
Body = Annotated[
    str,
    Field(min_length=1, max_length=templating.MAX_SOURCE, examples=["Hi {{ requester.name }},"]),
    AfterValidator(clean_text),
    AfterValidator(_not_blank),
    AfterValidator(_template),
    DocumentedPattern(NOT_BLANK_PATTERN),
]
Id = Annotated[int, Field(ge=1, le=MAX_ID, strict=True)]


class SavedReplyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Title
    body: Body
    scope: Scope = Scope.personal
    # Required for a team reply, refused for the others (the service says so, naming team_id).
    team_id: Id | None = None


class SavedReplyUpdate(BaseModel):
    """Only the fields sent change. Moving a reply to another scope checks both ends: the caller
    must be allowed to write it where it is and where it goes."""

    model_config = ConfigDict(extra="forbid")

    # SkipJsonSchema: absent is fine, null is refused (the document says so too).
    title: Title | SkipJsonSchema[None] = None
    body: Body | SkipJsonSchema[None] = None
    scope: Scope | SkipJsonSchema[None] = None
    team_id: Id | None = None  # null or left out: the reply's team, if it stays a team reply

    @model_validator(mode="after")
    def _no_nulls(self) -> "SavedReplyUpdate":
        for name in self.model_fields_set - {"team_id"}:
            if getattr(self, name) is None:
                raise ValueError(f"{name} may not be null")
        return self


class SavedReplyRead(BaseModel):
    id: int
    title: str
    body: str
    scope: Scope
    team_id: int | None
    owner_id: int | None
    usage_count: int
    last_used_at: datetime | None
    created_at: datetime
    updated_at: datetime
    # Whether the caller may change or delete it (the UI hides the buttons otherwise).
    can_edit: bool


class RenderRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ticket_id: Id


class RenderedReply(BaseModel):
    body: str
