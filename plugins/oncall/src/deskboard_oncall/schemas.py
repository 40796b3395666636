"""Shapes of the rota API."""

from datetime import datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from deskboard.plugins.api import IsoDateTime
from deskboard_oncall.models import NOTE_MAX

UserId = Annotated[int, Field(ge=1, le=2**31 - 1)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=NOTE_MAX)]
# RFC 3339 with a zone, as the document says (pydantic alone also takes epoch numbers).
Moment = Annotated[AwareDatetime, IsoDateTime]


class ShiftCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: UserId
    starts_at: Moment
    ends_at: Moment
    note: Note = ""


class ShiftUpdate(BaseModel):
    """Fields left out (or null) stay as they are."""

    model_config = ConfigDict(extra="forbid")

    user_id: UserId | None = None
    starts_at: Moment | None = None
    ends_at: Moment | None = None
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


class Person(BaseModel):
    id: int
    name: str
