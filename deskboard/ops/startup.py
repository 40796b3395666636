"""Start-up checks: a wrong database URL or an unreachable Redis is one readable line, not a
traceback from deep inside a worker."""

import asyncio
import socket
import sqlite3

from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from deskboard.config import Settings
from deskboard.db import make_engine, prepare_sqlite_file

SUPPORTED = {"postgresql+asyncpg", "sqlite+aiosqlite"}
TIMEOUT = 5.0
# SQLSTATEs worth naming in words rather than quoting the server.
_SQLSTATE_WORDS = {
    "3D000": "database {database!r} does not exist on {where}",
    "28P01": "password authentication failed for user {user!r} on {where}",
    "28000": "user {user!r} may not connect to {where}",
    "57P03": "the database server at {where} is starting up; try again shortly",
    "53300": "the database server at {where} has too many connections",
}


class StartupError(Exception):
    """A problem an operator fixes in the environment; its text is the whole message."""


def parse_database_url(raw: str) -> URL:
    try:
        url = make_url(raw)
    except ArgumentError as exc:
        raise StartupError(f"DESKBOARD_DATABASE_URL is not a database URL: {exc}") from exc
    if url.drivername not in SUPPORTED:
        raise StartupError(
            f"DESKBOARD_DATABASE_URL: unsupported scheme {url.drivername!r}; use "
            "postgresql+asyncpg://USER:PASSWORD@HOST:PORT/NAME or sqlite+aiosqlite:///PATH"
        )
    return url


def _describe(url: URL, exc: BaseException) -> str:
    where = f"{url.host or 'localhost'}:{url.port or 5432}"
    if isinstance(exc, socket.gaierror):
        return f"cannot reach the database: host {url.host!r} not found"
    if isinstance(exc, ConnectionRefusedError):
        return f"cannot reach the database at {where}: connection refused"
    if isinstance(exc, TimeoutError):
        return f"cannot reach the database at {where}: no answer within {TIMEOUT:.0f} s"
    if isinstance(exc, OSError):
        return f"cannot reach the database at {where}: {exc.strerror or _first_line(exc)}"
    if isinstance(exc, DBAPIError):
        words = _SQLSTATE_WORDS.get(getattr(exc.orig, "sqlstate", None) or "")
        if words:
            return words.format(database=url.database, user=url.username, where=where)
        return f"the database at {where} refused: {_first_line(exc.orig or exc)}"
    return f"cannot use the database at {where}: {_first_line(exc)}"


def _os_reason(exc: BaseException) -> str:
    """The operating system's words (`Connection refused`) for an error that wraps one."""
    for cause in (exc, exc.__cause__, exc.__context__):
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, socket.gaierror):
            return "host not found"
        if isinstance(cause, TimeoutError):
            return f"no answer within {TIMEOUT:.0f} s"
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror
    return _first_line(exc)


def _first_line(exc: BaseException) -> str:
    text_ = str(exc).strip().splitlines()
    return text_[0] if text_ else type(exc).__name__


async def check_database(raw_url: str) -> None:
    url = parse_database_url(raw_url)
    if url.drivername.startswith("sqlite"):
        # sqlite3 directly: aiosqlite's worker thread can outlive a failed check's event loop
        # and print a traceback of its own.
        _check_sqlite(url)
        return
    engine = make_engine(raw_url, connect_args={"timeout": TIMEOUT})
    try:
        async with asyncio.timeout(TIMEOUT + 1), engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as exc:
        raise StartupError(_describe(url, exc)) from exc
    finally:
        await engine.dispose()


def _check_sqlite(url: URL) -> None:
    try:
        connection = sqlite3.connect(url.database or ":memory:", timeout=TIMEOUT)
        try:
            connection.execute("SELECT 1")
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise StartupError(f"cannot open the SQLite database {url.database!r}: {exc}") from exc


async def check_redis(raw_url: str) -> None:
    try:
        client = Redis.from_url(raw_url, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT)
    except ValueError as exc:
        raise StartupError(f"DESKBOARD_REDIS_URL is not a Redis URL: {exc}") from exc
    options = client.connection_pool.connection_kwargs
    where = options.get("path") or f"{options.get('host', 'localhost')}:{options.get('port', 6379)}"
    try:
        async with asyncio.timeout(TIMEOUT + 1):
            await client.ping()
    except (RedisError, OSError) as exc:
        raise StartupError(f"cannot reach Redis at {where}: {_os_reason(exc)}") from exc
    finally:
        await client.aclose()


async def check_services(settings: Settings, *, redis: bool) -> None:
    """Raise StartupError naming the first service this process cannot use."""
    if settings.is_sqlite:
        try:
            settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            folder = settings.data_dir
            raise StartupError(f"cannot create the data folder {folder}: {exc.strerror}") from None
        try:
            # The folder 0700 and the file 0600 before sqlite3 would make them world-readable.
            prepare_sqlite_file(settings)
        except OSError as exc:
            where = settings.resolved_database_url.removeprefix("sqlite+aiosqlite:///")
            raise StartupError(
                f"cannot open the SQLite database {where!r}: {exc.strerror}"
            ) from None
    await check_database(settings.resolved_database_url)
    if redis and settings.redis_url:
        await check_redis(settings.redis_url)
