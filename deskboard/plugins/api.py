"""The Python side of plugin API v1: everything a plugin imports from Deskboard, in one place.

A plugin imports from here only; names here change only with a new plugin API version.
"""

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from deskboard.analytics.deps import FilterParam as TicketFilterParam
from deskboard.auth.deps import CurrentUser, require
from deskboard.auth.models import User
from deskboard.auth.roles import Role
from deskboard.core.errors import BadRequest, Conflict, Forbidden, NotFound, Unprocessable
from deskboard.core.events import Audience, Event, emit
from deskboard.core.openapi import errors
from deskboard.core.time import IsoDateTime, utcnow
from deskboard.db import NAMING_CONVENTION, DbSession, UTCDateTime
from deskboard.plugins.manifest import PLUGIN_API, Frontend, Plugin
from deskboard.tickets.filters import TicketFilter
from deskboard.tickets.models import Ticket
from deskboard.tickets.querying import apply_ticket_filter
from deskboard.widgets.registry import Size, WidgetType
from deskboard.widgets.settings import settings_schema

EVERYONE = frozenset(Role)  # audience roles for an event every signed-in person may get


def plugin_event(plugin: str, what: str, data: dict[str, object], roles: frozenset[str]) -> Event:
    """An event `plugin.<plugin>.<what>` for these roles (emit it; it leaves after commit)."""
    return Event(f"plugin.{plugin}.{what}", dict(data), Audience(roles=frozenset(roles)))


def declarative_base() -> type[DeclarativeBase]:
    """A base for a plugin's own tables: its own metadata, our constraint naming convention."""

    class PluginBase(DeclarativeBase):
        metadata = MetaData(naming_convention=NAMING_CONVENTION)

    return PluginBase


__all__ = [
    "EVERYONE",
    "PLUGIN_API",
    "Audience",
    "BadRequest",
    "Conflict",
    "CurrentUser",
    "DbSession",
    "Event",
    "Forbidden",
    "Frontend",
    "IsoDateTime",
    "NotFound",
    "Plugin",
    "Role",
    "Size",
    "Ticket",
    "TicketFilter",
    "TicketFilterParam",
    "Unprocessable",
    "User",
    "UTCDateTime",
    "WidgetType",
    "apply_ticket_filter",
    "declarative_base",
    "emit",
    "errors",
    "plugin_event",
    "require",
    "settings_schema",
    "utcnow",
]
