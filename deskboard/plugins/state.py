"""Which plugins are enabled: read from plugin_states, kept per process, dropped after every
committed change in any process (an internal event through the realtime hub)."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.core import events
from deskboard.core.events import Audience, Event
from deskboard.plugins.models import PluginState

# Internal event (empty audience: never sent to a browser).
PLUGINS_CHANGED = "plugins.changed"


@dataclass(frozen=True)
class State:
    enabled: bool = False
    iframe_forced: bool = False


DISABLED = State()
_cache: dict[str, State] | None = None


def forget() -> None:
    """Drop this process's copy; the next reader loads the table again."""
    global _cache
    _cache = None


async def states(session: AsyncSession) -> dict[str, State]:
    global _cache
    if _cache is None:
        rows = (await session.execute(select(PluginState))).scalars()
        _cache = {row.name: State(row.enabled, row.iframe_forced) for row in rows}
    return _cache


def cached(name: str) -> State:
    """The last state this process read (listeners run outside any session)."""
    return (_cache or {}).get(name, DISABLED)


def announce_change(session: AsyncSession, name: str) -> None:
    events.emit(session, Event(PLUGINS_CHANGED, {"name": name}, Audience()))


def _on_committed(event: Event) -> None:
    if event.type == PLUGINS_CHANGED:
        forget()


def _on_delivered(event_type: str) -> None:
    if event_type == PLUGINS_CHANGED:
        forget()


def install() -> None:
    events.add_listener(_on_committed)
    events.add_delivery_listener(_on_delivered)
