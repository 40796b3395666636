"""Shapes of the rota API."""

from datetime import datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from deskboard_oncall.models import NOTE_MAX

UserId = Annotated[int, Field(ge=1, le=2**31 - 1)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=NOTE_MAX)]


class ShiftCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: UserId
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    note: Note = ""


class ShiftUpdate(BaseModel):
    """Fields left out (or null) stay as they are."""

    model_config = ConfigDict(extra="forbid")

    user_id: UserId | None = None
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    note: Note | None = None


class ShiftRead(BaseModel):
    id: int
    user_id: int
    person_name: str
    starts_at: datetime
    ends_at: datetime
    note: str


class OnCallNow(BaseModel):
    now: ShiftRead | None
    next: ShiftRead | None
