"""Where the demo may live: never in production, only on a loopback interface.

The demo admin is a real administrator whose password sits in a file in the data folder, so a
demo database must not be reachable from the network or deployed: `seed --demo` refuses to make
one there, and `serve` refuses to serve one there (a warning would scroll past in a service log
while the admin account stays open).
"""

import asyncio
import ipaddress
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from deskboard.config import Settings
from deskboard.seeding.state import DEMO_DOMAIN, DemoState, demo_state


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1); names are not resolved."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def seed_refusal(settings: Settings) -> str | None:
    """Why `seed --demo` must not run with these settings, in one line; None when it may."""
    if settings.env == "production":
        return (
            "Refusing to seed the demo: DESKBOARD_ENV is production, "
            "where demo accounts have no place."
        )
    if not is_loopback(settings.host):
        return (
            f"Refusing to seed the demo: DESKBOARD_HOST={settings.host} is not a loopback address "
            "(the demo is served on 127.0.0.1, ::1 or localhost only)."
        )
    return None


def serve_refusal(settings: Settings, host: str) -> str | None:
    """Why a server bound to `host` must not start on this database; None when it may."""
    if settings.env != "production" and is_loopback(host):
        return None  # the common case costs no query
    url = settings.resolved_database_url
    if settings.is_sqlite:
        path = make_url(url).database
        if not path or not Path(path).exists():
            return None  # no database yet (and connecting would create the file)
    try:
        state = asyncio.run(demo_state(url))
    except (SQLAlchemyError, OSError):
        return None  # not migrated or unreachable: the server reports that itself
    if state is not DemoState.seeded:
        return None
    production = settings.env == "production"
    where = "in production" if production else f"on {host}, not a loopback address"
    return (
        f"Refusing to serve a demo database (accounts @{DEMO_DOMAIN}) {where}: serve it on "
        "127.0.0.1, or start from a database without the demo."
    )
