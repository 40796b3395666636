"""Layout document formats and the steps between them, applied when a document is read.

Format 1 (the first release) kept each widget's geometry in `position: {x, y, w, h}`, its
settings under `config`, spelt the accent `colour` and named the grid width `cols`; widgets had
no `type_version` (their settings were each type's version 1).
Format 2 (current) has flat `x, y, w, h`, `settings`, `color`, `grid.columns`, and every stored
widget carries the `type_version` of its settings.

Steps are tolerant: a part already in the newer shape is left as it is, so a client that sends
an older `schema_version` with newer-shaped parts is still understood.
"""

from collections.abc import Callable
from typing import Any

from deskboard.widgets.registry import WidgetRegistry

CURRENT_SCHEMA_VERSION = 2
DEFAULT_GRID = {"columns": 12, "row_height": 80}

Content = dict[str, Any]


def _v1_widget_to_v2(widget: Any) -> Any:
    if not isinstance(widget, dict):
        return widget
    upgraded = dict(widget)
    position = upgraded.pop("position", None)
    if isinstance(position, dict):
        for key in ("x", "y", "w", "h"):
            if key in position:
                upgraded.setdefault(key, position[key])
    if "config" in upgraded:
        upgraded.setdefault("settings", upgraded.pop("config"))
    settings = upgraded.get("settings")
    if isinstance(settings, dict) and "colour" in settings:
        settings = dict(settings)
        settings.setdefault("color", settings.pop("colour"))
        upgraded["settings"] = settings
    upgraded.setdefault("type_version", 1)
    return upgraded


def v1_to_v2(content: Content) -> Content:
    upgraded = dict(content)
    grid = upgraded.get("grid")
    if isinstance(grid, dict) and "cols" in grid:
        grid = dict(grid)
        grid.setdefault("columns", grid.pop("cols"))
        upgraded["grid"] = grid
    widgets = upgraded.get("widgets")
    if isinstance(widgets, list):
        upgraded["widgets"] = [_v1_widget_to_v2(widget) for widget in widgets]
    return upgraded


# STEPS[n] turns a document of format n into format n + 1.
STEPS: dict[int, Callable[[Content], Content]] = {1: v1_to_v2}


def upgrade_format(content: Content, schema_version: int) -> Content:
    """Bring a document's content from `schema_version` to the current format, step by step."""
    for version in range(schema_version, CURRENT_SCHEMA_VERSION):
        content = STEPS[version](content)
    return content


def upgrade_widget_settings(content: Content, registry: WidgetRegistry) -> Content:
    """Bring each known widget's settings to its type's current type_version.

    Widgets of unknown types, or with a malformed type_version, are left untouched: reading must
    never fail, and validation on the next write names them.
    """
    widgets = content.get("widgets")
    if not isinstance(widgets, list):
        return content
    upgraded_widgets = []
    for widget in widgets:
        widget_type = registry.get(widget.get("type")) if isinstance(widget, dict) else None
        if widget_type is None:
            upgraded_widgets.append(widget)
            continue
        from_version = widget.get("type_version", widget_type.type_version)
        settings = widget.get("settings", {})
        if (
            type(from_version) is int
            and 1 <= from_version < widget_type.type_version
            and isinstance(settings, dict)
        ):
            widget = {
                **widget,
                "settings": widget_type.upgrade_settings(settings, from_version),
                "type_version": widget_type.type_version,
            }
        upgraded_widgets.append(widget)
    return {**content, "widgets": upgraded_widgets}


def to_current(content: Content, schema_version: int, registry: WidgetRegistry) -> Content:
    """A stored document's content in the current format, settings included."""
    return upgrade_widget_settings(upgrade_format(content, schema_version), registry)
