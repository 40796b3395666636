"""Enum settings carry human labels (`x-deskboard-labels`) for the settings editor."""

from collections.abc import Iterator
from typing import Any

import pytest

from deskboard.widgets.registry import load_registry
from deskboard.widgets.settings import LABELS_KEYWORD, labelled_enum


def _enums(schema: dict[str, Any], path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every enum among a settings schema's own properties and their array items."""
    for name, prop in schema.get("properties", {}).items():
        for where, node in ((f"{path}.{name}", prop), (f"{path}.{name}[]", prop.get("items"))):
            if isinstance(node, dict) and "enum" in node:
                yield where, node


def test_every_builtin_enum_setting_labels_each_of_its_values():
    checked = 0
    for widget_type in load_registry():
        for where, node in _enums(widget_type.settings_schema, widget_type.type):
            labels = node.get(LABELS_KEYWORD)
            assert isinstance(labels, dict), where
            assert list(labels) == node["enum"], where
            assert all(isinstance(label, str) and label for label in labels.values()), where
            checked += 1
    assert checked >= 6


async def test_the_catalogue_gives_the_ticket_lists_sort_and_column_labels(as_guest):
    catalogue = (await as_guest.get("/api/widgets")).json()
    schema = next(e for e in catalogue if e["type"] == "ticket-list")["settings_schema"]
    sorts = schema["properties"]["sort"][LABELS_KEYWORD]
    assert sorts["-priority"] == "Priority, highest first"
    assert sorts["priority"] == "Priority, lowest first"
    assert sorts["due_at"] == "Due date, soonest first"
    assert sorts["-updated_at"] == "Last updated, newest first"
    columns = schema["properties"]["columns"]["items"][LABELS_KEYWORD]
    assert columns["due_at"] == "Due date"
    assert columns["number"] == "Number"


def test_validators_ignore_the_labels():
    ticket_list = load_registry().get("ticket-list")
    assert ticket_list is not None
    assert ticket_list.settings_errors({"sort": "-priority", "columns": ["number", "due_at"]}) == []
    assert ticket_list.settings_errors({"sort": "Priority, highest first"})
    assert ticket_list.settings_errors({"columns": ["Due date"]})


def test_labelled_enum_names_exactly_the_values():
    assert labelled_enum(["a", "b"], {"b": "B", "a": "A"}) == {
        "enum": ["a", "b"],
        LABELS_KEYWORD: {"a": "A", "b": "B"},
    }
    with pytest.raises(ValueError):
        labelled_enum(["a", "b"], {"a": "A"})
    with pytest.raises(ValueError):
        labelled_enum(["a"], {"a": "A", "c": "C"})
