"""Shapes of the layout API's answers and of the small request bodies."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from deskboard.auth.roles import Role
from deskboard.layouts.validation import MAX_INT


class LayoutRead(BaseModel):
    """A layout document (DESIGN.md), always in the current format."""

    user_id: int
    version: int
    schema_version: int
    updated_at: datetime
    grid: dict[str, Any]
    widgets: list[dict[str, Any]]


class Author(BaseModel):
    id: int
    name: str


class HistoryEntry(BaseModel):
    version: int
    author: Author | None
    at: datetime
    restored_from: int | None
    widget_count: int


class HistoryPage(BaseModel):
    items: list[HistoryEntry]
    # Pass as `before` to get the next (older) page; null on the last page.
    next_before: int | None


class LayoutVersionRead(HistoryEntry):
    """One past version whole: its metadata and its document (in the current format)."""

    document: LayoutRead


class LayoutDiff(BaseModel):
    """Widget ids by what happened to them between two versions."""

    from_version: int = Field(serialization_alias="from")
    to_version: int = Field(serialization_alias="to")
    added: list[str]
    removed: list[str]
    moved: list[str]
    resized: list[str]
    reconfigured: list[str]
    grid_changed: bool


class RestoreRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, le=MAX_INT)


class TemplateRead(BaseModel):
    role: Role
    schema_version: int
    grid: dict[str, Any]
    widgets: list[dict[str, Any]]
    # True while no admin has saved a template for this role (the built-in one applies).
    is_default: bool
    updated_at: datetime | None
    updated_by: int | None
