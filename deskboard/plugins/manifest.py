"""What a plugin declares, and the pure checks of a declaration (no I/O, no imports of it)."""

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from deskboard.auth.roles import PERMISSIONS, Role
from deskboard.widgets.registry import WidgetType

if TYPE_CHECKING:
    from fastapi import APIRouter

    from deskboard.core.events import Event

# The plugin API this server implements (Python side and @deskboard/sdk). A plugin declares
# the range it supports; a change that breaks plugins bumps this, never the app version.
PLUGIN_API = 1
PLUGIN_NAME_PATTERN = re.compile(r"[a-z][a-z0-9-]{1,39}")
BUILTIN = "builtin"
# Names a plugin may not take: they are paths beside /api/plugins/{name} or the built-ins.
RESERVED_NAMES = frozenset({BUILTIN, "deskboard", "sdk", "vue", "core", "api", "static"})

# Core reads a plugin's front end may make (GET only), by the core permission it requests.
# The SDK refuses every other core URL; the server applies the person's own rights anyway.
CORE_READS: dict[str, tuple[str, ...]] = {
    "tickets:read": ("/api/tickets",),
    "analytics:read": ("/api/analytics/",),
    "views:read": ("/api/views",),
}
ALWAYS_READS = ("/api/auth/me",)
# Core realtime events a plugin's widgets may subscribe to, by requested permission (the
# socket already sends a person only the events they may see).
CORE_EVENTS: dict[str, tuple[str, ...]] = {"tickets:read": ("ticket.",)}
REQUESTABLE = frozenset(CORE_READS) | frozenset(CORE_EVENTS)
# The core's own actions, before any plugin adds its own (a plugin may not redefine one).
CORE_ACTIONS = frozenset(PERMISSIONS)

Listener = Callable[["Event"], None]


@dataclass(frozen=True)
class Frontend:
    """The prebuilt front end inside the package: an ES module and its style sheets."""

    module: str
    css: Sequence[str] = ()
    static_dir: str = "static"  # relative to the package that defines the Plugin


@dataclass(frozen=True)
class Plugin:
    """A plugin's declaration; the object its `deskboard.widgets` entry point names."""

    name: str
    title: str
    plugin_api: str
    widget_types: Sequence[WidgetType] = ()
    permissions: Sequence[str] = ()  # core actions requested (SDK core reads, events)
    actions: Mapping[str, Sequence[str]] = field(default_factory=dict)  # own action -> roles
    router: "APIRouter | None" = None
    frontend: Frontend | None = None
    iframe: bool = False  # asks to run in a sandboxed iframe
    migrations: str | None = None  # "package:folder" of Alembic revision files
    listeners: Sequence[Listener] = ()
    description: str = ""


def api_compatible(plugin_api: str, version: int = PLUGIN_API) -> str | None:
    """Return why a declared plugin API range excludes ours (None when it includes it)."""
    try:
        spec = SpecifierSet(plugin_api)
    except InvalidSpecifier:
        return f"plugin_api {plugin_api!r} is not a version range such as '>=1,<2'"
    if not str(spec):
        return "plugin_api is empty; declare a range such as '>=1,<2'"
    if not spec.contains(str(version)):
        return f"plugin_api {plugin_api!r} excludes this server's plugin API {version}"
    return None


def static_path_error(path: str) -> str | None:
    """Return why a path inside the static folder is unsafe (None when it is a plain relative
    path)."""
    pure = PurePosixPath(path)
    if (
        not path
        or pure.is_absolute()
        or "\\" in path
        or any(p in ("..", "") for p in path.split("/"))
    ):
        return f"{path!r} must be a relative path inside the static folder"
    return None


def manifest_errors(plugin: Any, entry_point_name: str) -> list[str]:
    """List what is wrong with a declaration (empty when it is usable). The API range is
    checked separately: an incompatible plugin is a different status from a broken one."""
    if not isinstance(plugin, Plugin):
        return ["the entry point must name a deskboard.plugins.api.Plugin"]
    problems: list[str] = []
    if not PLUGIN_NAME_PATTERN.fullmatch(plugin.name) or plugin.name in RESERVED_NAMES:
        problems.append(
            f"name {plugin.name!r} must match [a-z][a-z0-9-]{{1,39}} and not be reserved"
        )
    if plugin.name != entry_point_name:
        problems.append(
            f"name {plugin.name!r} differs from the entry point name {entry_point_name!r}"
        )
    if not isinstance(plugin.title, str) or not plugin.title.strip():
        problems.append("title is required")
    for widget_type in plugin.widget_types:
        if not isinstance(widget_type, WidgetType):
            problems.append(f"widget_types holds {widget_type!r}, not a WidgetType")
    for permission in plugin.permissions:
        if permission not in REQUESTABLE:
            problems.append(
                f"permission {permission!r} cannot be requested "
                f"(one of {', '.join(sorted(REQUESTABLE))})"
            )
    roles = {role.value for role in Role}
    for action, allowed in plugin.actions.items():
        if not action.startswith(f"{plugin.name}:") or action in CORE_ACTIONS:
            problems.append(f"action {action!r} must start with {plugin.name + ':'!r}")
        unknown = sorted(set(allowed) - roles)
        if unknown:
            problems.append(f"action {action!r} names unknown roles {unknown}")
    if plugin.frontend is not None:
        for path in (plugin.frontend.module, *plugin.frontend.css, plugin.frontend.static_dir):
            error = static_path_error(path)
            if error:
                problems.append(f"frontend: {error}")
    if plugin.widget_types and plugin.frontend is None:
        problems.append("widget types need a frontend (the module that renders them)")
    if plugin.migrations is not None and ":" not in plugin.migrations:
        problems.append("migrations must be 'package:folder'")
    return problems


def core_reads(permissions: Sequence[str]) -> list[str]:
    """The GET path prefixes the SDK may call for a plugin with these permissions."""
    reads = [*ALWAYS_READS]
    for permission in permissions:
        reads.extend(CORE_READS.get(permission, ()))
    return reads


def event_prefixes(name: str, permissions: Sequence[str]) -> list[str]:
    """The realtime event type prefixes a plugin's widgets may subscribe to."""
    prefixes = [f"plugin.{name}."]
    for permission in permissions:
        prefixes.extend(CORE_EVENTS.get(permission, ()))
    return prefixes
