"""Find the installed plugins at start-up: load each entry point on its own, check it, and
register what is usable. A refusal is one log line and a status; the app always starts."""

import importlib
import importlib.resources
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Literal

from jsonschema.exceptions import SchemaError

from deskboard.auth.roles import PERMISSIONS, Role
from deskboard.plugins.manifest import BUILTIN, Plugin, api_compatible, manifest_errors
from deskboard.widgets.registry import ENTRY_POINT_GROUP, WidgetRegistry

log = logging.getLogger(__name__)
LoadStatus = Literal["ok", "incompatible", "failed"]
MAX_ERROR = 500


@dataclass
class PluginRecord:
    """One installed plugin as found at start-up (enabled or not is the database's)."""

    name: str
    distribution: str | None
    version: str
    status: LoadStatus
    error: str | None = None
    plugin: Plugin | None = None
    static_root: Path | None = None
    migrations_dir: Path | None = None

    @property
    def title(self) -> str:
        return self.plugin.title if self.plugin else self.name

    @property
    def plugin_api(self) -> str | None:
        return self.plugin.plugin_api if isinstance(self.plugin, Plugin) else None

    @property
    def widget_types(self) -> list[str]:
        return [t.type for t in self.plugin.widget_types] if self.plugin else []


@dataclass
class Plugins:
    registry: WidgetRegistry
    records: dict[str, PluginRecord] = field(default_factory=dict)

    def usable(self) -> list[PluginRecord]:
        """Plugins that loaded and may be enabled (their routes and tables exist)."""
        return [r for r in self.records.values() if r.status == "ok"]


def _short(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".replace("\n", " ")
    return text[:MAX_ERROR]


def _defining_package(entry_point: EntryPoint) -> str:
    """The package of the entry point's module (itself when it is a package): static_dir is
    relative to it."""
    module = importlib.import_module(entry_point.module)
    if hasattr(module, "__path__"):
        return module.__name__
    return module.__package__ or module.__name__


def _resolve(package_ref: str) -> Path:
    """Turn 'package:folder' (or 'package' + relative folder) into a directory path."""
    package, _, folder = package_ref.partition(":")
    root = importlib.resources.files(package)
    return Path(str(root.joinpath(folder) if folder else root))


def _refuse(record: PluginRecord, status: LoadStatus, error: str) -> PluginRecord:
    record.status = status
    record.error = error[:MAX_ERROR]
    log.error("plugin %s refused (%s): %s", record.name, status, record.error)
    return record


def _load_plugin(entry_point: EntryPoint, registry: WidgetRegistry) -> PluginRecord:
    dist = entry_point.dist
    record = PluginRecord(
        name=entry_point.name,
        distribution=dist.name if dist else None,
        version=dist.version if dist else "0",
        status="ok",
    )
    try:
        loaded = entry_point.load()
    except SchemaError as exc:
        return _refuse(record, "failed", f"invalid settings schema: {exc.message}")
    except Exception as exc:
        return _refuse(record, "failed", f"import failed: {_short(exc)}")
    if not isinstance(loaded, Plugin):
        return _refuse(
            record,
            "incompatible",
            "declares no plugin_api: the entry point must name a deskboard.plugins.api.Plugin",
        )
    record.plugin = loaded
    problems = manifest_errors(loaded, entry_point.name)
    if problems:
        return _refuse(record, "failed", "; ".join(problems))
    for widget_type in loaded.widget_types:
        registry.keep(widget_type.type, loaded.name)
    incompatible = api_compatible(loaded.plugin_api)
    if incompatible:
        return _refuse(record, "incompatible", incompatible)
    try:
        seen: set[str] = set()
        for widget_type in loaded.widget_types:
            registry.check_new(widget_type)
            if widget_type.type in seen:
                raise ValueError(f"widget type {widget_type.type!r} is declared twice")
            seen.add(widget_type.type)
    except ValueError as exc:
        return _refuse(record, "failed", str(exc))
    if loaded.frontend is not None:
        try:
            root = _resolve(f"{_defining_package(entry_point)}:{loaded.frontend.static_dir}")
        except Exception as exc:
            return _refuse(record, "failed", f"static folder not found: {_short(exc)}")
        missing = [
            path
            for path in (loaded.frontend.module, *loaded.frontend.css)
            if not (root / path).is_file()
        ]
        if missing:
            return _refuse(record, "failed", f"front-end files missing in {root}: {missing}")
        record.static_root = root.resolve()
    if loaded.migrations is not None:
        try:
            record.migrations_dir = _resolve(loaded.migrations)
        except Exception as exc:
            return _refuse(record, "failed", f"migrations not found: {_short(exc)}")
        if not record.migrations_dir.is_dir():
            return _refuse(record, "failed", f"migrations folder {loaded.migrations} is missing")
    for widget_type in loaded.widget_types:
        registry.register(widget_type, loaded.name)
    for action, roles in loaded.actions.items():
        PERMISSIONS[action] = frozenset(Role(role) for role in roles)
    return record


def _builtin(entry_point: EntryPoint, registry: WidgetRegistry) -> None:
    try:
        entry_point.load()(registry)
    except Exception:
        log.exception("the built-in widgets failed to register")


def discover(found: Iterable[EntryPoint]) -> Plugins:
    """Load every entry point of the group, built-ins first, each plugin on its own."""
    plugins = Plugins(registry=WidgetRegistry())
    ordered = sorted(found, key=lambda ep: (ep.name != BUILTIN, ep.name))
    for entry_point in ordered:
        if entry_point.name == BUILTIN and entry_point.value.startswith("deskboard."):
            _builtin(entry_point, plugins.registry)
            continue
        if entry_point.name in plugins.records:
            dist = entry_point.dist.name if entry_point.dist else "?"
            log.error(
                "plugin %s refused (failed): a second package (%s) uses the name",
                entry_point.name,
                dist,
            )
            continue
        plugins.records[entry_point.name] = _load_plugin(entry_point, plugins.registry)
    for record in plugins.records.values():
        if record.status == "ok":
            log.info("plugin %s %s loaded", record.name, record.version)
    return plugins


@lru_cache
def get_plugins() -> Plugins:
    """The process-wide plugins and widget registry, found once."""
    return discover(entry_points(group=ENTRY_POINT_GROUP))
