"""Which plugins are enabled: read from plugin_states, kept per process, dropped after every
committed change in any process (an internal event through the realtime hub)."""

import asyncio
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.core import events
from deskboard.core.events import Audience, Event
from deskboard.db import Database
from deskboard.plugins.models import PluginState

# Internal event (empty audience: never sent to a browser).
PLUGINS_CHANGED = "plugins.changed"


@dataclass(frozen=True)
class State:
    enabled: bool = False
    iframe_forced: bool = False


DISABLED = State()
_cache: dict[str, State] | None = None
_tasks: set["asyncio.Task[None]"] = set()
# The running app's database and event loop (set by `serve`): only there is a reload scheduled.
# A command line run inside the same process (tests) has its own loop and only drops the copy.
_home: tuple[Database, asyncio.AbstractEventLoop] | None = None


def forget() -> None:
    """Drop this process's copy; the next reader loads the table again."""
    global _cache
    _cache = None


async def refresh(database: Database) -> None:
    """Load the states now (at start-up and after a change): listeners, which run outside any
    request, read only this copy."""
    forget()
    async with database.sessionmaker() as session:
        await states(session)


async def serve(database: Database) -> None:
    """Load the states at the app's start-up; later changes reload them on this loop."""
    global _home
    _home = (database, asyncio.get_running_loop())
    await refresh(database)


def _refresh_soon() -> None:
    forget()
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    if _home is None or _home[1] is not loop:
        return  # the next reader loads the table again
    task = loop.create_task(refresh(_home[0]))
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


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
        _refresh_soon()


def _on_delivered(event_type: str) -> None:
    if event_type == PLUGINS_CHANGED:
        _refresh_soon()


def install() -> None:
    events.add_listener(_on_committed)
    events.add_delivery_listener(_on_delivered)
