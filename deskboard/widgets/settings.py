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
    "team",
    "tags",
    "channel",
    "due_at",
    "sla",
    "created_at",
    "updated_at",
]
TICKET_SORTS = [
    f"{sign}{key}"
    for key in ("updated_at", "created_at", "priority", "due_at", "number")
    for sign in ("-", "")
]

# `x-deskboard-labels` beside an `enum`: the text the settings editor shows for each value
# ({value: label}). An annotation like `x-deskboard-source`: validators ignore it, the frontend
# declares it to Ajv. (A plugin may instead give `oneOf` of `{"const": value, "title": label}`.)
LABELS_KEYWORD = "x-deskboard-labels"

TICKET_COLUMN_LABELS = {
    "number": "Number",
    "title": "Title",
    "status": "Status",
    "priority": "Priority",
    "requester": "Requester",
    "assignee": "Assignee",
    "team": "Team",
    "tags": "Tags",
    "channel": "Channel (web, email, API)",
    "sla": "SLA",
    "due_at": "Due date",
    "created_at": "Created",
    "updated_at": "Last updated",
}
# Per sort key: its name and the words for descending ("-key") and ascending order.
_SORT_WORDS = {
    "updated_at": ("Last updated", "newest first", "oldest first"),
    "created_at": ("Created", "newest first", "oldest first"),
    "priority": ("Priority", "highest first", "lowest first"),
    "due_at": ("Due date", "latest first", "soonest first"),
    "number": ("Number", "highest first", "lowest first"),
}
TICKET_SORT_LABELS = {
    f"{sign}{key}": f"{name}, {descending if sign else ascending}"
    for key, (name, descending, ascending) in _SORT_WORDS.items()
    for sign in ("-", "")
}


def labelled_enum(values: list[str], labels: dict[str, str]) -> dict[str, Any]:
    """`{"enum": values}` with a label for each value, in the enum's order."""
    if set(labels) != set(values):
        raise ValueError(f"labels must name exactly the enum's values: {sorted(labels)}")
    return {"enum": list(values), LABELS_KEYWORD: {value: labels[value] for value in values}}


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
