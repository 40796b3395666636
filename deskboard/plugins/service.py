"""The rules of the plugin list: status, enabling, and the catalogue a person sees."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.audit.service import record as record_audit
from deskboard.auth.models import User
from deskboard.core.errors import Conflict, NotFound
from deskboard.core.time import utcnow
from deskboard.plugins import state
from deskboard.plugins.discovery import PluginRecord, Plugins, get_plugins
from deskboard.plugins.manifest import core_reads, event_prefixes
from deskboard.plugins.migrations import tables_pending
from deskboard.plugins.models import PluginState
from deskboard.plugins.schemas import PluginRead, PluginStatus, PluginUpdate


def status_of(record: PluginRecord, current: state.State) -> PluginStatus:
    if record.status != "ok":
        return PluginStatus(record.status)
    return PluginStatus.ok if current.enabled else PluginStatus.disabled


def describe(record: PluginRecord, current: state.State) -> PluginRead:
    plugin = record.plugin
    return PluginRead(
        name=record.name,
        title=record.title,
        distribution=record.distribution,
        version=record.version,
        plugin_api=record.plugin_api,
        widget_types=record.widget_types,
        permissions=list(plugin.permissions) if plugin else [],
        actions={k: list(v) for k, v in plugin.actions.items()} if plugin else {},
        iframe=bool(plugin and plugin.iframe),
        iframe_forced=current.iframe_forced,
        status=status_of(record, current),
        error=record.error,
    )


async def list_plugins(session: AsyncSession, plugins: Plugins | None = None) -> list[PluginRead]:
    plugins = plugins or get_plugins()
    current = await state.states(session)
    return [
        describe(record, current.get(record.name, state.DISABLED))
        for record in sorted(plugins.records.values(), key=lambda r: r.name)
    ]


async def update_plugin(
    session: AsyncSession, *, actor: User | None, name: str, data: PluginUpdate
) -> PluginRead:
    """Enable, disable or force the iframe for one installed plugin."""
    record = get_plugins().records.get(name)
    if record is None:
        raise NotFound("No such plugin")
    if data.enabled and record.status != "ok":
        raise Conflict(f"Plugin {name} cannot be enabled: {record.status}: {record.error}")
    if data.enabled and await tables_pending(session, record):
        raise Conflict(
            f"Plugin {name} cannot be enabled before its tables are created: "
            "run `deskboard migrate`, then enable it"
        )
    row = await session.get(PluginState, name)
    if row is None:
        row = PluginState(name=name, enabled=False, iframe_forced=False)
        session.add(row)
    before = _audited(row, record)
    if data.enabled is not None:
        row.enabled = data.enabled
    if data.iframe_forced is not None:
        row.iframe_forced = data.iframe_forced
    row.updated_at = utcnow()
    await session.flush()
    state.announce_change(session, name)
    after = _audited(row, record)
    if after != before:
        # Who (None: the command line), which plugin, from and to: in the change's transaction.
        record_audit(
            session,
            actor_id=actor.id if actor else None,
            action="plugin.update",
            entity_type="plugin",
            entity_id=name,
            before=before,
            after=after,
        )
    return describe(record, state.State(row.enabled, row.iframe_forced))


def _audited(row: PluginState, record: PluginRecord) -> dict[str, Any]:
    """What an audit entry shows of a plugin's state (with the version installed)."""
    return {
        "enabled": bool(row.enabled),
        "iframe_forced": bool(row.iframe_forced),
        "version": record.version,
    }


# (plugins, states, the answer): every layout save asks, the plugins and states rarely change.
_unplaceable: tuple[Plugins, dict[str, state.State], dict[str, str]] | None = None


async def unplaceable_types(session: AsyncSession) -> dict[str, str]:
    """Widget types that are registered or kept but may not be newly placed now, each with why:
    those of a disabled plugin and those of an installed plugin that cannot run here. Widgets
    of these types already in a layout stay there (shown as unavailable)."""
    global _unplaceable
    plugins = get_plugins()
    current = await state.states(session)  # the same dict until the states change
    if _unplaceable is not None and _unplaceable[0] is plugins and _unplaceable[1] is current:
        return _unplaceable[2]
    found: dict[str, str] = {}
    for record in plugins.records.values():
        if record.status == "ok":
            if current.get(record.name, state.DISABLED).enabled:
                continue
            why = f"its plugin {record.name!r} is disabled"
        else:
            why = f"its plugin {record.name!r} cannot run here ({record.status})"
        for type_name in record.widget_types:
            # A clashing type name belongs to whoever registered it first, not to this plugin.
            owned = type_name in plugins.registry or plugins.registry.is_kept(type_name)
            if owned and plugins.registry.source(type_name) == record.name:
                found[type_name] = why
    _unplaceable = (plugins, current, found)
    return found


async def enabled_record(session: AsyncSession, name: str) -> PluginRecord | None:
    """The plugin if it loaded and an admin enabled it."""
    record = get_plugins().records.get(name)
    if record is None or record.status != "ok":
        return None
    current = (await state.states(session)).get(name, state.DISABLED)
    return record if current.enabled else None


def _frontend(record: PluginRecord, current: state.State) -> dict[str, Any] | None:
    plugin = record.plugin
    if plugin is None or plugin.frontend is None:
        return None
    base = f"/plugins/{record.name}/{record.version}/"
    iframe = plugin.iframe or current.iframe_forced
    entry: dict[str, Any] = {
        "module": base + plugin.frontend.module,
        "css": [base + path for path in plugin.frontend.css],
        "mode": "iframe" if iframe else "inpage",
        "plugin": record.name,
        "version": record.version,
        "api_prefix": f"/api/plugins/{record.name}/",
        "core_reads": core_reads(plugin.permissions),
        "events": event_prefixes(record.name, plugin.permissions),
    }
    if iframe:
        entry["frame"] = base + "frame.html"
    return entry


async def catalogue(session: AsyncSession, viewer: User) -> list[dict[str, Any]]:
    """The widget types a person may place: built-ins and those of enabled plugins."""
    del viewer  # every role sees the same gallery; the widgets' reads apply their rights
    plugins = get_plugins()
    current = await state.states(session)
    hidden = frozenset(
        name for name in plugins.records if not current.get(name, state.DISABLED).enabled
    )
    entries = plugins.registry.catalogue(hidden)
    for entry in entries:
        record = plugins.records.get(entry["source"])
        if record is not None:
            frontend = _frontend(record, current.get(record.name, state.DISABLED))
            if frontend is not None:
                entry["frontend"] = frontend
    return entries
