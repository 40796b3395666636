"""Pydantic shapes of API tokens."""

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from deskboard.apitokens.models import NAME_MAX
from deskboard.apitokens.scopes import TokenScope


def _unique(scopes: list[TokenScope]) -> list[TokenScope]:
    if len(set(scopes)) != len(scopes):
        raise ValueError("scopes must not repeat")
    return scopes


_NAME_PATTERN = r"^[^\x00-\x1f\x7f]*[^\x00-\x1f\x7f\s][^\x00-\x1f\x7f]*$"


class ApiTokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # No control characters and not blank, as the pattern says (checked before the trim, so
    # the document states exactly what is accepted).
    name: Annotated[
        str,
        Field(min_length=1, max_length=NAME_MAX, pattern=_NAME_PATTERN),
        AfterValidator(str.strip),
    ]
    scopes: Annotated[
        list[TokenScope],
        Field(min_length=1, max_length=len(TokenScope), json_schema_extra={"uniqueItems": True}),
        AfterValidator(_unique),
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
