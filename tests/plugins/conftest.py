"""Plugin tests: the fixture distributions of fixtures/site put on sys.path (real entry points,
as pip installs them), and an app built with them beside the session's."""

import importlib
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import delete

from deskboard.app import create_app
from deskboard.auth.models import User
from deskboard.config import Settings
from deskboard.db import Database
from deskboard.plugins import state
from deskboard.plugins.discovery import Plugins, get_plugins
from deskboard.plugins.migrations import remove_tables, upgrade_plugins
from deskboard.plugins.models import PluginState
from deskboard.widgets.registry import get_registry
from tests.conftest import MakeUser, auth_headers, register_reset

FIXTURE_SITE = Path(__file__).resolve().parent / "fixtures" / "site"
register_reset(state.forget)  # plugin_states is emptied after each test


def _reload() -> None:
    importlib.invalidate_caches()
    get_plugins.cache_clear()
    get_registry.cache_clear()
    state.forget()


@contextmanager
def installed(site: Path, module_prefix: str) -> Iterator[Plugins]:
    """The distributions unpacked in `site` (real *.dist-info entry points) are installed while
    inside; the process's plugins are found again on the way in and out."""
    sys.path.insert(0, str(site))
    _reload()
    try:
        yield get_plugins()
    finally:
        sys.path.remove(str(site))
        for module in [m for m in sys.modules if m.startswith(module_prefix)]:
            del sys.modules[module]
        _reload()


def fixtures_installed() -> AbstractContextManager[Plugins]:
    """The fixture distributions of fixtures/site are installed while inside."""
    return installed(FIXTURE_SITE, "deskboard_fixture_")


@pytest.fixture(scope="module")
def plugins(database_url: str) -> Iterator[Plugins]:
    with fixtures_installed() as found:
        upgrade_plugins(database_url, found)
        yield found
        for record in found.usable():
            if record.migrations_dir is not None and record.name.startswith("fixture"):
                remove_tables(database_url, record.name, found)


@pytest.fixture(scope="module")
def plugin_app(app: object, settings: Settings, database: Database, plugins: Plugins) -> FastAPI:
    """An app with the fixture plugins (the session app, already started, provides the
    database and the hub)."""
    return create_app(settings, database)


ClientAs = Callable[..., Awaitable[httpx.AsyncClient]]


@pytest.fixture
async def plugin_client(plugin_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=plugin_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


@pytest.fixture
async def plugin_client_as(plugin_app: FastAPI, make_user: MakeUser) -> AsyncIterator[ClientAs]:
    """Factory: a client of the plugin app signed in as a new user of the role."""
    opened: list[httpx.AsyncClient] = []

    async def factory(role: str, user: User | None = None) -> httpx.AsyncClient:
        user = user or await make_user(role)
        http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=plugin_app),
            base_url="http://test",
            headers=auth_headers(user),
        )
        http.user = user  # type: ignore[attr-defined]
        opened.append(http)
        return http

    yield factory
    for http in opened:
        await http.aclose()


async def enable(database: Database, name: str, enabled: bool = True) -> None:
    """Set a plugin's state directly (as an admin's PATCH would)."""
    async with database.unit_of_work() as session:
        # Writes only (merge would read first): on SQLite a transaction that reads and then
        # writes fails at once ("database is locked", no busy wait) if another connection wrote
        # in between; one that starts by writing waits its turn.
        await session.execute(delete(PluginState).where(PluginState.name == name))
        session.add(PluginState(name=name, enabled=enabled, iframe_forced=False))
    state.forget()
