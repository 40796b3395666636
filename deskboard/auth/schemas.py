"""Request and response shapes of sign-in and user management."""

from datetime import datetime
from typing import Annotated, Literal, Self

from email_validator import EmailNotValidError, validate_email
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from deskboard.auth.roles import Role
from deskboard.core.text import clean_text


def _valid_email(value: str) -> str:
    """Check an address's syntax (no DNS); lower-case it, as accounts compare case-insensitively.

    `test_environment` also admits the reserved `.test` domain, which demo and test accounts use.
    """
    try:
        checked = validate_email(value, check_deliverability=False, test_environment=True)
    except EmailNotValidError as exc:
        raise ValueError(f"not a valid email address: {exc}") from exc
    return checked.normalized.lower()


Email = Annotated[
    str,
    Field(min_length=3, max_length=254, json_schema_extra={"format": "email"}),
    AfterValidator(_valid_email),
]
Password = Annotated[str, Field(min_length=8, max_length=128)]
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=120),
    AfterValidator(clean_text),
]


class _Request(BaseModel):
    """Request bodies refuse unknown fields, so a typo is a 422 rather than silently ignored."""

    model_config = ConfigDict(extra="forbid")


class LoginRequest(_Request):
    email: Email
    # Any length up to the cap: a short wrong password is just wrong (401), not malformed.
    password: Annotated[str, Field(min_length=1, max_length=128)]


class RegisterRequest(_Request):
    email: Email
    name: Name
    password: Password


class UserCreate(_Request):
    email: Email
    name: Name
    password: Password
    role: Role = Role.user
    is_active: bool = True


class UserUpdate(_Request):
    """Only the fields present change; an explicit null is refused."""

    name: Name | None = None
    role: Role | None = None
    is_active: bool | None = None
    password: Password | None = None

    @model_validator(mode="after")
    def _no_nulls(self) -> Self:
        nulls = [f for f in self.model_fields_set if getattr(self, f) is None]
        if nulls:
            raise ValueError(f"may not be null: {', '.join(sorted(nulls))}")
        return self


class UserBrief(BaseModel):
    """What staff see of a colleague (enough to pick an assignee)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    email: str
    role: Role


class UserRead(UserBrief):
    is_active: bool
    created_at: datetime
    updated_at: datetime


class UserPage(BaseModel):
    items: list[UserRead]
    next_cursor: str | None


class UserBriefPage(BaseModel):
    items: list[UserBrief]
    next_cursor: str | None


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int  # seconds until the access token expires
    user: UserRead
