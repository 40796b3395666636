"""Put the loaded plugins into the app: their routes behind our authentication and the
enabled check, their listeners isolated, their static files and frame pages."""

import logging
from collections.abc import Callable
from typing import Any

from fastapi import Depends, FastAPI

from deskboard.auth.deps import CurrentUser
from deskboard.config import Settings
from deskboard.core import events
from deskboard.core.errors import NotFound
from deskboard.core.events import Event
from deskboard.core.openapi import errors
from deskboard.db import DbSession
from deskboard.plugins import service, state, static
from deskboard.plugins.discovery import get_plugins
from deskboard.plugins.manifest import Listener

log = logging.getLogger(__name__)
# One hub listener per (plugin, listener name) for the process, whatever number of apps are
# built (tests build several): a new app's listener replaces the earlier one's target.
_targets: dict[tuple[str, str], Listener] = {}


def enabled_gate(name: str) -> Any:
    """A dependency: the caller is a signed-in person and the plugin is enabled (else 404)."""

    async def plugin_enabled(session: DbSession, _: CurrentUser) -> None:
        if await service.enabled_record(session, name) is None:
            raise NotFound(f"Plugin {name} is not enabled")

    return Depends(plugin_enabled)


def isolated(name: str, key: tuple[str, str]) -> Callable[[Event], None]:
    """Run a plugin's listener only while it is enabled; its failure is logged, never raised
    (the request has committed; other listeners and the browsers still get the event)."""

    def run(event: Event) -> None:
        if not state.cached(name).enabled:
            return
        try:
            _targets[key](event)
        except Exception:
            log.exception("plugin %s listener failed on %s", name, event.type)

    return run


def include_plugins(app: FastAPI, settings: Settings) -> None:
    state.install()
    for record in get_plugins().usable():
        plugin = record.plugin
        assert plugin is not None  # a usable record always has its declaration
        if plugin.router is not None:
            app.include_router(
                plugin.router,
                prefix=f"/api/plugins/{record.name}",
                dependencies=[enabled_gate(record.name)],
                responses=errors(404),
                tags=[f"plugin:{record.name}"],
            )
        for listener in plugin.listeners:
            key = (record.name, f"{listener.__module__}.{listener.__qualname__}")
            if key not in _targets:
                events.add_listener(isolated(record.name, key))
            _targets[key] = listener
    static.install(app, settings)
