"""Pydantic shapes of API tokens."""

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from deskboard.apitokens.models import NAME_MAX
from deskboard.apitokens.scopes import Scope


def _unique(scopes: list[Scope]) -> list[Scope]:
    if len(set(scopes)) != len(scopes):
        raise ValueError("scopes must not repeat")
    return scopes


class ApiTokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX),
        Field(pattern=r"^[^\x00-\x1f\x7f]+$"),
    ]
    scopes: Annotated[
        list[Scope], Field(min_length=1, max_length=len(Scope)), AfterValidator(_unique)
    ]


class ApiTokenRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    scopes: list[str]
    prefix: str  # the token's first characters, to tell tokens apart
    user_id: int  # the account that authors what the token does
    created_at: datetime
    last_used_at: datetime | None


class ApiTokenCreated(ApiTokenRead):
    """The create answer: the only one that carries the token."""

    token: str
