"""Request and response shapes of sign-in and user management."""

from datetime import datetime
from typing import Annotated, Literal, Self

from email_validator import EmailNotValidError, validate_email
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    ValidationInfo,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from deskboard.auth.passwords import MAX_LENGTH, check_new_password
from deskboard.auth.roles import Role
from deskboard.config import get_settings
from deskboard.core.text import NOT_BLANK_PATTERN, DocumentedPattern, clean_text, not_blank


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


def _policy(value: str, info: ValidationInfo) -> str:
    """Apply the password policy, with the email and name given in the same body (if any)."""
    return check_new_password(value, email=info.data.get("email"), name=info.data.get("name"))


# A password being chosen: the policy of deskboard/auth/passwords.py, 422 naming the reason.
# Declared after email and name in each model, so the check sees them.
Password = Annotated[
    str,
    Field(
        max_length=MAX_LENGTH,
        # The policy measures after normalisation and reads the setting per request; the schema
        # states the minimum configured when the app started.
        json_schema_extra={"minLength": get_settings().password_min_length},
        description=(
            "At least the configured minimum (15 by default) and at most "
            f"{MAX_LENGTH} characters after NFKC normalisation; any characters. Refused when on "
            "a common-password list or containing the email, the name or 'deskboard'."
        ),
    ),
    AfterValidator(_policy),
]
# Trimmed after the checks, so that the document's length and pattern are exactly the rules.
Name = Annotated[
    str,
    Field(min_length=1, max_length=120),
    AfterValidator(clean_text),
    AfterValidator(not_blank),
    AfterValidator(str.strip),
    DocumentedPattern(NOT_BLANK_PATTERN),
]


class _Request(BaseModel):
    """Request bodies refuse unknown fields, so a typo is a 422 rather than silently ignored."""

    model_config = ConfigDict(extra="forbid")


class LoginRequest(_Request):
    email: Email
    # Any length up to the cap: a short wrong password is just wrong (401), not malformed, and
    # accounts made under an older, shorter policy still sign in.
    password: Annotated[str, Field(min_length=1, max_length=MAX_LENGTH)]


class RegisterRequest(_Request):
    email: Email
    name: Name
    password: Password


class UserCreate(_Request):
    email: Email
    name: Name
    password: Password
    role: Role = Role.user
    is_active: StrictBool = True


class UserUpdate(_Request):
    """Only the fields present change; an explicit null is refused."""

    # SkipJsonSchema: absent is fine, null is refused (the document says so too).
    name: Name | SkipJsonSchema[None] = None
    role: Role | SkipJsonSchema[None] = None
    is_active: StrictBool | SkipJsonSchema[None] = None
    password: Password | SkipJsonSchema[None] = None
    # Away (holiday, sick): automations assigning within a team skip the person.
    away: StrictBool | SkipJsonSchema[None] = None

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
    away: bool


class MeUpdate(_Request):
    """What a person changes about themself here: whether they are away."""

    away: StrictBool


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


class RegisterAccepted(BaseModel):
    """The same answer whether or not the email already had an account."""

    detail: str


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int  # seconds until the access token expires
    user: UserRead
