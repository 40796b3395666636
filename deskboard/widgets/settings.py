"""Building blocks of widget settings schemas (JSON Schema, Draft 2020-12)."""

import copy
from typing import Any

from deskboard.tickets.filters import ticket_filter_json_schema

TITLE = {"type": "string", "maxLength": 80, "description": "Shown in the widget's header"}
COLOR = {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$", "description": "Accent, #rrggbb"}
FOLLOW_FILTER_PANEL = {
    "type": "boolean",
    "description": "Narrow this widget by the dashboard's filter panel",
}
RANGE_DAYS = {"type": "integer", "minimum": 1, "maximum": 365}

TICKET_COLUMNS = [
    "number",
    "title",
    "status",
    "priority",
    "requester",
    "assignee",
    "tags",
    "due_at",
    "created_at",
    "updated_at",
]
TICKET_SORTS = [
    f"{sign}{key}"
    for key in ("updated_at", "created_at", "priority", "due_at", "number")
    for sign in ("-", "")
]


def settings_schema(
    properties: dict[str, Any] | None = None,
    *,
    reads_tickets: bool = False,
    required: list[str] | None = None,
) -> dict[str, Any]:
    """A closed object schema with title and color, plus the shared ticket filter when the
    widget reads tickets (the filter's definitions are hoisted to the root so $refs resolve)."""
    props: dict[str, Any] = {"title": TITLE, "color": COLOR}
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "additionalProperties": False,
    }
    if reads_tickets:
        filter_schema = copy.deepcopy(ticket_filter_json_schema())
        definitions = filter_schema.pop("$defs", {})
        definitions["TicketFilter"] = filter_schema
        schema["$defs"] = definitions
        props["filters"] = {"$ref": "#/$defs/TicketFilter"}
        props["follow_filter_panel"] = FOLLOW_FILTER_PANEL
    props.update(properties or {})
    schema["properties"] = props
    if required:
        schema["required"] = required
    return schema
