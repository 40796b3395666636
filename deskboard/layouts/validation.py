"""Validate a layout document against the grid rules and the widget catalogue.

Every problem is reported in FastAPI's 422 shape plus the id of the widget concerned:
`{"loc": ["body", "widgets", 3, "settings", "color"], "msg": ..., "type": ..., "widget_id": "w4"}`.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from deskboard.core.errors import Unprocessable
from deskboard.core.text import bad_text_path
from deskboard.layouts.formats import (
    CURRENT_SCHEMA_VERSION,
    DEFAULT_GRID,
    Content,
    upgrade_format,
    upgrade_widget_settings,
)
from deskboard.widgets.registry import WidgetRegistry, WidgetType

GRID_COLUMNS = 12
ROW_HEIGHT_RANGE = (20, 200)
MAX_ROWS = 200  # y + h may not pass this row
MAX_WIDGETS = 100
MAX_ERRORS = 50
MAX_INT = 2**31 - 1  # versions and ids live in 32-bit INTEGER columns (PostgreSQL)
WIDGET_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")  # fullmatch: "$" would let "w1\n" through

DOCUMENT_KEYS = {"user_id", "version", "schema_version", "updated_at", "grid", "widgets"}
GRID_KEYS = {"columns", "row_height"}
WIDGET_KEYS = {"id", "type", "type_version", "x", "y", "w", "h", "settings"}

Loc = Sequence[str | int]


@dataclass(frozen=True)
class ValidDocument:
    content: Content  # {"grid": ..., "widgets": [...]} in the current format
    version: int | None  # the version the edit started from, when the body carried one


def _is_int(value: Any) -> bool:
    return type(value) is int  # bool is an int subclass; JSON true is not a coordinate


class _Errors:
    def __init__(self, prefix: Loc):
        self.prefix = list(prefix)
        self.items: list[dict[str, Any]] = []

    def add(self, loc: Loc, msg: str, kind: str, widget_id: Any = None) -> None:
        if len(self.items) >= MAX_ERRORS:
            return
        error: dict[str, Any] = {"loc": [*self.prefix, *loc], "msg": msg, "type": kind}
        if widget_id is not None:
            error["widget_id"] = widget_id
        self.items.append(error)

    def raise_if_any(self) -> None:
        if self.items:
            raise Unprocessable(self.items)


def _check_schema_version(body: dict[str, Any], errors: _Errors) -> int:
    schema_version = body.get("schema_version", CURRENT_SCHEMA_VERSION)
    if not _is_int(schema_version) or not 1 <= schema_version <= CURRENT_SCHEMA_VERSION:
        errors.add(
            ["schema_version"],
            f"Unknown document format; expected an integer from 1 to {CURRENT_SCHEMA_VERSION}",
            "schema_version",
        )
        return CURRENT_SCHEMA_VERSION
    return int(schema_version)


def _check_grid(grid: Any, errors: _Errors) -> dict[str, int]:
    if not isinstance(grid, dict):
        errors.add(["grid"], "Grid must be an object", "type")
        return dict(DEFAULT_GRID)
    for key in sorted(set(grid) - GRID_KEYS):
        errors.add(["grid", key], "Unknown field", "extra_forbidden")
    columns = grid.get("columns", GRID_COLUMNS)
    if columns != GRID_COLUMNS or not _is_int(columns):
        errors.add(["grid", "columns"], f"The grid has exactly {GRID_COLUMNS} columns", "grid")
    row_height = grid.get("row_height", DEFAULT_GRID["row_height"])
    low, high = ROW_HEIGHT_RANGE
    if not _is_int(row_height) or not low <= row_height <= high:
        errors.add(
            ["grid", "row_height"], f"Row height must be an integer from {low} to {high}", "grid"
        )
    return {"columns": GRID_COLUMNS, "row_height": row_height}


def _check_geometry(
    widget: dict[str, Any], widget_type: WidgetType | None, loc: Loc, errors: _Errors
) -> bool:
    widget_id = widget.get("id")
    ok = True
    for key in ("x", "y", "w", "h"):
        if key not in widget:
            errors.add([*loc, key], "Field required", "missing", widget_id)
            ok = False
        elif not _is_int(widget[key]):
            errors.add([*loc, key], "Must be an integer", "int_type", widget_id)
            ok = False
    if not ok:
        return False
    x, y, w, h = widget["x"], widget["y"], widget["w"], widget["h"]
    min_w, min_h, max_w, max_h = 1, 1, GRID_COLUMNS, MAX_ROWS
    if widget_type is not None:
        min_w, min_h = widget_type.min_size.w, widget_type.min_size.h
        max_w, max_h = widget_type.max_size.w, widget_type.max_size.h
    # Messages are only formatted for a failing check (this runs for every widget of every save).
    if x < 0:
        errors.add([*loc, "x"], "x must be 0 or more", "grid_bounds", widget_id)
        ok = False
    if y < 0:
        errors.add([*loc, "y"], "y must be 0 or more", "grid_bounds", widget_id)
        ok = False
    if not min_w <= w <= max_w:
        msg = f"Width must be from {min_w} to {max_w} columns"
        errors.add([*loc, "w"], msg, "grid_bounds", widget_id)
        ok = False
    if not min_h <= h <= max_h:
        msg = f"Height must be from {min_h} to {max_h} rows"
        errors.add([*loc, "h"], msg, "grid_bounds", widget_id)
        ok = False
    if x + w > GRID_COLUMNS:
        msg = f"x + w must stay within the {GRID_COLUMNS} columns"
        errors.add([*loc, "x"], msg, "grid_bounds", widget_id)
        ok = False
    if y + h > MAX_ROWS:
        msg = f"y + h must stay within {MAX_ROWS} rows"
        errors.add([*loc, "y"], msg, "grid_bounds", widget_id)
        ok = False
    return ok


def _check_widget(
    index: int,
    widget: Any,
    registry: WidgetRegistry,
    errors: _Errors,
    stored: Mapping[str, Mapping[str, Any]],
) -> tuple[dict[str, Any] | None, bool]:
    """Return the normalised widget (None when unusable) and whether its geometry is valid.
    `stored`: the widgets, by id, of the stored document this write replaces."""
    loc: list[str | int] = ["widgets", index]
    if not isinstance(widget, dict):
        errors.add(loc, "A widget must be an object", "type")
        return None, False
    widget_id = widget.get("id")
    if not isinstance(widget_id, str) or not WIDGET_ID.fullmatch(widget_id):
        # Name the widget by whatever id it carries (cut short), so the client can find it.
        widget_id = widget_id[:80] if isinstance(widget_id, str) else None
        errors.add(
            [*loc, "id"], "Id must be 1-64 characters of A-Z a-z 0-9 _ -", "widget_id", widget_id
        )
    if not WIDGET_KEYS.issuperset(widget):
        for key in sorted(set(widget) - WIDGET_KEYS):
            errors.add([*loc, key], "Unknown field", "extra_forbidden", widget_id)

    type_name = widget.get("type")
    widget_type = registry.get(type_name) if isinstance(type_name, str) else None
    # A type whose plugin is installed but cannot run here (incompatible) is kept as it is:
    # the widget shows as unavailable, and comes back when the plugin does. (A disabled
    # plugin's types stay registered, so its widgets are checked as usual.) Whether such a
    # widget may be in this document at all is `refuse_new_unplaceable`'s question.
    type_version = widget.get("type_version")
    if widget_type is None and not registry.is_kept(type_name):
        # A type nothing installed provides (its plugin was uninstalled): a widget already
        # placed stays as it is, so the rest of the layout can still be saved; a new one is an
        # unknown type.
        old = stored.get(widget_id) if isinstance(widget_id, str) else None
        if old is None or old.get("type") != type_name:
            msg = f"Unknown widget type {type_name!r}"
            errors.add([*loc, "type"], msg, "widget_type", widget_id)
        elif widget.get("settings", {}) != old.get("settings", {}) or type_version not in (
            None,
            old.get("type_version"),
        ):
            msg = (
                f"Widget {widget_id!r} of type {type_name!r} is unavailable (no installed plugin "
                "provides it): it can be moved or removed, not reconfigured"
            )
            errors.add([*loc, "settings"], msg, "widget_unavailable", widget_id)
        else:
            type_version = old.get("type_version")
    if (
        widget_type is not None
        and type_version is not None
        and type_version != (widget_type.type_version)
    ):
        # Older versions were upgraded before this check; anything left is not a known version.
        errors.add(
            [*loc, "type_version"],
            f"{widget_type.type} settings are at type_version {widget_type.type_version}",
            "type_version",
            widget_id,
        )

    settings = widget.get("settings", {})
    bad_at = bad_text_path(settings)  # PostgreSQL's jsonb refuses NUL and unpaired surrogates
    if bad_at is not None:
        msg = "Text must be valid Unicode without NUL characters"
        errors.add([*loc, "settings", *bad_at], msg, "value_error", widget_id)
    elif widget_type is not None:
        for error in widget_type.settings_errors(settings):
            error_loc = [*loc, "settings", *error.absolute_path]
            errors.add(error_loc, error.message, "settings", widget_id)

    geometry_ok = _check_geometry(widget, widget_type, loc, errors)
    normalised = {
        "id": widget_id,
        "type": type_name,
        "type_version": widget_type.type_version if widget_type else type_version,
        "x": widget.get("x"),
        "y": widget.get("y"),
        "w": widget.get("w"),
        "h": widget.get("h"),
        "settings": settings,
    }
    return normalised, geometry_ok


def _check_widgets(
    widgets: Any,
    registry: WidgetRegistry,
    errors: _Errors,
    stored: Mapping[str, Mapping[str, Any]],
) -> list[dict]:  # type: ignore[type-arg]
    if not isinstance(widgets, list):
        errors.add(["widgets"], "Widgets must be a list", "type")
        return []
    if len(widgets) > MAX_WIDGETS:
        errors.add(["widgets"], f"At most {MAX_WIDGETS} widgets", "too_long")
        return []
    normalised: list[dict[str, Any]] = []
    # Placed widgets as (left, top, right, bottom, index, id): every pair is compared, inline.
    placed: list[tuple[int, int, int, int, int, Any]] = []
    seen_ids: dict[str, int] = {}
    for index, raw in enumerate(widgets):
        widget, geometry_ok = _check_widget(index, raw, registry, errors, stored)
        if widget is None:
            continue
        normalised.append(widget)
        widget_id = widget["id"]
        if isinstance(widget_id, str):
            if widget_id in seen_ids:
                errors.add(
                    ["widgets", index, "id"],
                    f"Duplicate id; widget {seen_ids[widget_id]} has it too",
                    "duplicate_id",
                    widget_id,
                )
            else:
                seen_ids[widget_id] = index
        if geometry_ok:
            left, top = widget["x"], widget["y"]
            right, bottom = left + widget["w"], top + widget["h"]
            for o_left, o_top, o_right, o_bottom, other_index, other_id in placed:
                if left < o_right and o_left < right and top < o_bottom and o_top < bottom:
                    errors.add(
                        ["widgets", index],
                        f"Overlaps widget {other_id!r} (widgets[{other_index}])",
                        "overlap",
                        widget_id,
                    )
                    break
            placed.append((left, top, right, bottom, index, widget_id))
    return normalised


def validate_content(
    body: Any,
    *,
    registry: WidgetRegistry,
    loc_prefix: Loc = ("body",),
    require_version: bool = False,
    placed: Content | None = None,
) -> ValidDocument:
    """Check a written document (any JSON value) and return its normalised current-format content.

    `placed`: the stored document the write replaces, needed only when the body holds a type
    nothing installed provides (`has_unknown_types`): such widgets already placed may stay.
    Raises Unprocessable listing every problem found.
    """
    errors = _Errors(loc_prefix)
    if not isinstance(body, dict):
        errors.add([], "The layout document must be a JSON object", "type")
        errors.raise_if_any()
    for key in sorted(set(body) - DOCUMENT_KEYS):
        errors.add([key], "Unknown field", "extra_forbidden")
    version = body.get("version")
    if require_version and version is None:
        errors.add(["version"], "The version this edit started from is required", "missing")
    elif version is not None and (not _is_int(version) or not 1 <= version <= MAX_INT):
        errors.add(["version"], f"Version must be an integer from 1 to {MAX_INT}", "int_type")
    schema_version = _check_schema_version(body, errors)
    if "widgets" not in body:
        errors.add(["widgets"], "Field required", "missing")
    errors.raise_if_any()

    content = upgrade_format(
        {"grid": body.get("grid", DEFAULT_GRID), "widgets": body["widgets"]}, schema_version
    )
    content = upgrade_widget_settings(content, registry)
    grid = _check_grid(content["grid"], errors)
    stored_by_id = {
        widget["id"]: widget
        for widget in (placed or {}).get("widgets") or []
        if isinstance(widget, dict) and isinstance(widget.get("id"), str)
    }
    widgets = _check_widgets(content["widgets"], registry, errors, stored_by_id)
    errors.raise_if_any()
    return ValidDocument(content={"grid": grid, "widgets": widgets}, version=version)


def has_unknown_types(body: Any, registry: WidgetRegistry) -> bool:
    """Whether a written body (any JSON value) holds a widget of a type nothing installed
    provides: only then does `validate_content` need the stored document."""
    widgets = body.get("widgets") if isinstance(body, dict) else None
    return isinstance(widgets, list) and any(
        isinstance(widget, dict)
        and isinstance(widget.get("type"), str)
        and widget["type"] not in registry
        and not registry.is_kept(widget["type"])
        for widget in widgets
    )


def refuse_new_unplaceable(
    content: Content,
    *,
    unplaceable: Mapping[str, str],
    placed: Content | None,
    loc_prefix: Loc = ("body",),
) -> None:
    """Refuse a widget whose type may not be placed now (`unplaceable`: type -> why, e.g. its
    plugin is disabled) unless it is already placed: `placed` (the stored document the edit
    started from) holds a widget of the same id and type with the same settings. Such a widget
    stays as it is and may move; it cannot be added, retyped or reconfigured.

    `content` is a document `validate_content` accepted (its widgets in the body's order).
    """
    errors = _Errors(loc_prefix)
    before = {
        widget["id"]: widget
        for widget in (placed or {}).get("widgets") or []
        if isinstance(widget, dict) and isinstance(widget.get("id"), str)
    }
    for index, widget in enumerate(content["widgets"]):
        type_name = widget["type"]
        why = unplaceable.get(type_name) if isinstance(type_name, str) else None
        if why is None:
            continue
        widget_id = widget["id"]
        old = before.get(widget_id)
        if old is None or old.get("type") != type_name:
            msg = f"Widget {widget_id!r} of type {type_name!r} cannot be added: {why}"
            errors.add(["widgets", index, "type"], msg, "widget_unavailable", widget_id)
        elif old.get("settings", {}) != widget["settings"]:
            msg = (
                f"Widget {widget_id!r} of type {type_name!r} is unavailable ({why}): "
                "it can be moved or removed, not reconfigured"
            )
            errors.add(["widgets", index, "settings"], msg, "widget_unavailable", widget_id)
    errors.raise_if_any()
