"""The widget registry: every widget type, built-in or plugin, registers through the
`deskboard.widgets` entry point group with a function `register(registry)`."""

import json
import re
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import entry_points
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

ENTRY_POINT_GROUP = "deskboard.widgets"
TYPE_NAME_PATTERN = r"^[a-z][a-z0-9-]{0,47}$"
# Settings already found valid are remembered (most saves move widgets, not reconfigure them):
# per type, this many entries, each of at most this many characters of canonical JSON.
VALID_SETTINGS_CACHE_SIZE = 1024
VALID_SETTINGS_CACHE_MAX_KEY = 4096

# One encoder for the cache keys (json.dumps builds a new one per call for these options).
_canonical_json = json.JSONEncoder(sort_keys=True, separators=(",", ":")).encode

SettingsStep = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Size:
    w: int
    h: int

    def as_dict(self) -> dict[str, int]:
        return {"w": self.w, "h": self.h}


@dataclass(frozen=True)
class WidgetType:
    """One kind of widget: what the gallery shows and what its settings may hold."""

    type: str
    title: str
    description: str
    icon: str
    category: str
    default_size: Size
    min_size: Size
    max_size: Size
    settings_schema: dict[str, Any]
    type_version: int = 1
    # settings_steps[n] turns settings of type_version n into type_version n + 1.
    settings_steps: Mapping[int, SettingsStep] = field(default_factory=dict)
    _validator: Draft202012Validator = field(init=False, repr=False, compare=False)
    _known_valid: "OrderedDict[str, None]" = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        Draft202012Validator.check_schema(self.settings_schema)
        validator = Draft202012Validator(
            self.settings_schema, format_checker=Draft202012Validator.FORMAT_CHECKER
        )
        object.__setattr__(self, "_validator", validator)
        object.__setattr__(self, "_known_valid", OrderedDict())
        missing = [n for n in range(1, self.type_version) if n not in self.settings_steps]
        if missing:
            raise ValueError(f"widget type {self.type!r} lacks settings steps from {missing}")
        sizes = (self.min_size, self.default_size, self.max_size)
        if not all(a.w <= b.w and a.h <= b.h for a, b in zip(sizes, sizes[1:], strict=False)):
            raise ValueError(f"widget type {self.type!r}: need min_size <= default <= max_size")

    def settings_errors(self, settings: Any) -> list[ValidationError]:
        """List what is wrong with settings, in a stable order (empty when valid)."""
        key = _canonical_json(settings)
        if key in self._known_valid:
            self._known_valid.move_to_end(key)
            return []
        errors = sorted(self._validator.iter_errors(settings), key=lambda e: list(e.path))
        if not errors and len(key) <= VALID_SETTINGS_CACHE_MAX_KEY:
            self._known_valid[key] = None
            if len(self._known_valid) > VALID_SETTINGS_CACHE_SIZE:
                self._known_valid.popitem(last=False)
        return errors

    def upgrade_settings(self, settings: dict[str, Any], from_version: int) -> dict[str, Any]:
        """Bring settings written for `from_version` up to the current type_version."""
        for version in range(from_version, self.type_version):
            settings = self.settings_steps[version](settings)
        return settings

    def catalogue_entry(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "title": self.title,
            "description": self.description,
            "icon": self.icon,
            "category": self.category,
            "default_size": self.default_size.as_dict(),
            "min_size": self.min_size.as_dict(),
            "max_size": self.max_size.as_dict(),
            "settings_schema": self.settings_schema,
            "type_version": self.type_version,
        }


class WidgetRegistry:
    """The known widget types by name, in registration order."""

    def __init__(self) -> None:
        self._types: dict[str, WidgetType] = {}
        self._sources: dict[str, str] = {}
        # Types of installed plugins that cannot run here (incompatible plugin API): layouts
        # keep such widgets as they are (shown as unavailable), unchecked, never dropped.
        self._kept: dict[str, str] = {}

    def register(self, widget_type: WidgetType, source: str = "builtin") -> None:
        self.check_new(widget_type)
        self._types[widget_type.type] = widget_type
        self._sources[widget_type.type] = source

    def check_new(self, widget_type: WidgetType) -> None:
        """Raise ValueError when this type could not be registered (bad name or a clash)."""
        if not re.match(TYPE_NAME_PATTERN, widget_type.type):
            raise ValueError(f"invalid widget type name {widget_type.type!r}")
        if widget_type.type in self._types:
            owner = self._sources[widget_type.type]
            raise ValueError(f"widget type {widget_type.type!r} is already registered by {owner}")

    def keep(self, type_name: str, source: str) -> None:
        """Let layouts keep widgets of a type whose plugin cannot run (see `is_kept`)."""
        if type_name not in self._types:
            self._kept.setdefault(type_name, source)

    def is_kept(self, type_name: object) -> bool:
        return isinstance(type_name, str) and type_name in self._kept

    def source(self, type_name: str) -> str:
        return self._sources.get(type_name) or self._kept.get(type_name, "builtin")

    def get(self, type_name: object) -> WidgetType | None:
        # Any JSON value may arrive here (a list or an object is unhashable): not a type name.
        return self._types.get(type_name) if isinstance(type_name, str) else None

    def __contains__(self, type_name: object) -> bool:
        return isinstance(type_name, str) and type_name in self._types

    def __iter__(self) -> Iterator[WidgetType]:
        return iter(self._types.values())

    def __len__(self) -> int:
        return len(self._types)

    def catalogue(self, hidden_sources: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
        """The entries of every type whose source is not hidden (disabled plugins)."""
        return [
            {**widget_type.catalogue_entry(), "source": self._sources[widget_type.type]}
            for widget_type in self
            if self._sources[widget_type.type] not in hidden_sources
        ]


def load_registry(group: str = ENTRY_POINT_GROUP) -> WidgetRegistry:
    """Build a registry from every installed entry point of the group (deskboard/plugins).

    A plugin that fails to load is logged and left out, so one broken package cannot take the
    whole service down; layouts using its types then fail validation with a clear message.
    """
    from deskboard.plugins.discovery import discover

    return discover(entry_points(group=group)).registry


@lru_cache
def get_registry() -> WidgetRegistry:
    """The process-wide registry, loaded once (the same one the plugin list describes)."""
    from deskboard.plugins.discovery import get_plugins

    return get_plugins().registry
