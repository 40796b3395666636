"""Pydantic shapes of teams."""

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic.json_schema import SkipJsonSchema

from deskboard.sla.schemas import Name
from deskboard.teams.models import MAX_MEMBERS
from deskboard.tickets.filters import MAX_ID

UserId = Annotated[int, Field(ge=1, le=MAX_ID, strict=True)]


def _distinct(ids: list[int]) -> list[int]:
    if len(set(ids)) != len(ids):
        raise ValueError("member ids must not repeat")
    return sorted(ids)


MemberIds = Annotated[
    list[UserId],
    Field(max_length=MAX_MEMBERS, json_schema_extra={"uniqueItems": True}),
    AfterValidator(_distinct),
]


class TeamCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    member_ids: MemberIds = Field(default_factory=list)
    # True: agents outside the team do not see its tickets anywhere (admins still do).
    restrict_visibility: Annotated[bool, Field(strict=True)] = False


class TeamUpdate(BaseModel):
    """Only the fields sent change; `member_ids` replaces the whole membership."""

    model_config = ConfigDict(extra="forbid")

    # SkipJsonSchema: absent is fine, null is refused (the document says so too).
    name: Name | SkipJsonSchema[None] = None
    member_ids: MemberIds | SkipJsonSchema[None] = None
    restrict_visibility: Annotated[bool, Field(strict=True)] | SkipJsonSchema[None] = None

    @model_validator(mode="after")
    def _no_nulls(self) -> "TeamUpdate":
        for name in self.model_fields_set:
            if getattr(self, name) is None:
                raise ValueError(f"{name} may not be null")
        return self


class TeamRead(BaseModel):
    id: int
    name: str
    member_ids: list[int]
    restrict_visibility: bool
    created_at: datetime
    updated_at: datetime
