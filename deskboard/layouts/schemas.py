"""Shapes of the layout API's answers and of the small request bodies."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from deskboard.auth.roles import Role
from deskboard.layouts.formats import CURRENT_SCHEMA_VERSION
from deskboard.layouts.validation import (
    GRID_COLUMNS,
    MAX_INT,
    MAX_ROWS,
    MAX_WIDGETS,
    ROW_HEIGHT_RANGE,
)


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


def layout_document_schema(*, version_required: bool) -> dict[str, Any]:
    """The written layout document's JSON Schema, as validation.py checks it. What JSON Schema
    cannot say is in the descriptions: widgets must not overlap, x + w <= 12, y + h <= 200,
    ids are unique, `type` names a registered widget whose sizes and settings schema apply."""
    widget = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "type", "x", "y", "w", "h"],
        "properties": {
            "id": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"},
            "type": {"type": "string", "description": "A type from GET /api/widgets"},
            "type_version": {"type": ["integer", "null"]},
            "x": {"type": "integer", "minimum": 0, "maximum": GRID_COLUMNS - 1},
            "y": {"type": "integer", "minimum": 0, "maximum": MAX_ROWS - 1},
            "w": {"type": "integer", "minimum": 1, "maximum": GRID_COLUMNS},
            "h": {"type": "integer", "minimum": 1, "maximum": MAX_ROWS},
            "settings": {
                "type": "object",
                "description": "Per the widget type's settings schema (GET /api/widgets)",
            },
        },
    }
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["widgets", "version"] if version_required else ["widgets"],
        "properties": {
            "version": {
                "type": "integer" if version_required else ["integer", "null"],
                "minimum": 1,
                "maximum": MAX_INT,
                "description": "The version this edit started from",
            },
            "schema_version": {"type": "integer", "minimum": 1, "maximum": CURRENT_SCHEMA_VERSION},
            "grid": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "columns": {"const": GRID_COLUMNS},
                    "row_height": {
                        "type": "integer",
                        "minimum": ROW_HEIGHT_RANGE[0],
                        "maximum": ROW_HEIGHT_RANGE[1],
                    },
                },
            },
            "widgets": {"type": "array", "maxItems": MAX_WIDGETS, "items": widget},
            # Read-only fields of a layout read back; sent again, they are ignored.
            "user_id": {},
            "updated_at": {},
        },
    }
