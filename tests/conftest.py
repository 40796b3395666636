"""Test harness: a migrated database (SQLite by default, PostgreSQL when
DESKBOARD_TEST_DATABASE_URL names one), emptied after every test, and clients per role."""

import itertools
import os
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

_tmp = Path(tempfile.mkdtemp(prefix="deskboard-test-"))
os.environ.setdefault("DESKBOARD_ENV", "test")
os.environ["DESKBOARD_DATA_DIR"] = str(_tmp)
os.environ["DESKBOARD_SECRET_KEY"] = "test-secret-key-that-is-long-enough-for-hs256"
os.environ.pop("DESKBOARD_REDIS_URL", None)
# No background due-soon sweep: tests run it themselves, at the instant they choose.
os.environ["DESKBOARD_DUE_SOON_SWEEP_SECONDS"] = "0"
os.environ["DESKBOARD_SLA_SWEEP_SECONDS"] = "0"
# Nor the time-rule sweep (automations): tests call run_time_rules themselves.
os.environ["DESKBOARD_AUTOMATION_SWEEP_SECONDS"] = "0"
# No background webhook worker either: webhook tests run deliveries themselves.
os.environ["DESKBOARD_WEBHOOK_POLL_SECONDS"] = "0"
# No outbox leader either: tests run a round themselves.
os.environ["DESKBOARD_EVENT_OUTBOX_SECONDS"] = "0"
# Nor mail polling or sending: mail tests crank them by hand.
os.environ["DESKBOARD_MAIL_POLL_SECONDS"] = "0"
os.environ["DESKBOARD_MAIL_SEND_SECONDS"] = "0"
# No background attachment sweep: attachment tests run it themselves.
os.environ["DESKBOARD_ATTACHMENT_SWEEP_SECONDS"] = "0"
# The ASGI clients' base_url is http://test; real servers in tests are reached on loopback.
os.environ["DESKBOARD_ALLOWED_HOSTS"] = "test,localhost,127.0.0.1,::1"

import httpx  # noqa: E402
import pytest  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from deskboard.app import create_app  # noqa: E402
from deskboard.auth.models import User  # noqa: E402
from deskboard.auth.security import create_access_token, hash_password  # noqa: E402
from deskboard.config import Settings, get_settings  # noqa: E402
from deskboard.core import events  # noqa: E402
from deskboard.core.events import Event  # noqa: E402
from deskboard.db import Database  # noqa: E402
from deskboard.migrations import upgrade  # noqa: E402
from deskboard.models import metadata  # noqa: E402

TEST_PASSWORD = "correct-horse-battery"


def _sync_url(url: str) -> str:
    return url.replace("+asyncpg", "+psycopg").replace("+aiosqlite", "")


def _create_postgres_database(base_url: str) -> str:
    """Create a fresh database beside the one named, so runs never share state."""
    parts = urlsplit(base_url)
    name = f"deskboard_test_{os.getpid()}"
    admin = create_engine(
        urlunsplit(parts._replace(scheme="postgresql+asyncpg")).replace("+asyncpg", "+psycopg"),
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return urlunsplit(parts._replace(path=f"/{name}"))


def _drop_postgres_database(url: str) -> None:
    parts = urlsplit(url)
    admin = create_engine(
        _sync_url(urlunsplit(parts._replace(path="/postgres"))), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{parts.path[1:]}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    requested = os.environ.get("DESKBOARD_TEST_DATABASE_URL")
    if requested and requested.startswith("postgresql"):
        url = _create_postgres_database(requested)
        upgrade(url)
        yield url
        _drop_postgres_database(url)
    else:
        url = f"sqlite+aiosqlite:///{_tmp / 'test.db'}"
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    os.environ["DESKBOARD_DATABASE_URL"] = database_url
    get_settings.cache_clear()
    return get_settings()


@pytest.fixture(scope="session")
async def database(settings: Settings) -> AsyncIterator[Database]:
    db = Database(settings)
    # Every test starts from empty tables, the first one too: migrations also write rows (the
    # default calendar and SLA policies of 0012), which tests that want them create themselves.
    await _empty_tables(db)
    yield db
    await db.dispose()


@pytest.fixture(scope="session")
def is_postgres(database_url: str) -> bool:
    return database_url.startswith("postgresql")


@pytest.fixture(autouse=True)
async def _clean_database(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """Empty every table after each test that touched the database."""
    yield
    if "database" not in request.fixturenames:
        return
    await _empty_tables(request.getfixturevalue("database"))
    for reset in _RESETTERS:
        reset()


async def _empty_tables(db: Database) -> None:
    tables = [t.name for t in reversed(metadata.sorted_tables)]
    async with db.engine.begin() as connection:
        if db.engine.dialect.name == "postgresql":
            quoted = ", ".join(f'"{name}"' for name in tables)
            await connection.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                await connection.execute(text(f'DELETE FROM "{name}"'))


# Modules with process-wide state (rate limiter storage, caches) register a reset here.
_RESETTERS: list[Callable[[], None]] = []


def register_reset(reset: Callable[[], None]) -> None:
    _RESETTERS.append(reset)


@pytest.fixture(scope="session")
async def app(settings: Settings, database: Database) -> AsyncIterator[object]:
    application = create_app(settings, database)
    async with application.router.lifespan_context(application):
        # User ids restart in each test; revocations the hub remembers must not outlive theirs.
        register_reset(application.state.hub.forget_revocations)  # type: ignore[attr-defined]
        yield application


@pytest.fixture
async def client(app: object) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


_emails = itertools.count(1)
MakeUser = Callable[..., Awaitable[User]]


@pytest.fixture
def make_user(database: Database) -> MakeUser:
    """Create a user directly in the database (factory)."""

    async def factory(
        role: str = "user",
        *,
        email: str | None = None,
        password: str = TEST_PASSWORD,
        name: str | None = None,
        is_active: bool = True,
    ) -> User:
        number = next(_emails)
        user = User(
            email=email or f"{role}{number}@example.test",
            name=name or f"{role} {number}",
            role=role,
            password_hash=hash_password(password),
            is_active=is_active,
        )
        async with database.unit_of_work() as session:
            session.add(user)
        return user

    return factory


def auth_headers(user: User) -> dict[str, str]:
    """A bearer header for `user` as loaded (its role and token version: a stale copy of a user
    whose version was bumped since gets a token the API refuses, as it should)."""
    token = create_access_token(user.id, user.role, version=user.token_version)
    return {"Authorization": f"Bearer {token}"}


class RoleClient(httpx.AsyncClient):
    """A client signed in as one user; `.user` is that user."""

    user: User

    async def refresh_token(self, database: Database) -> None:
        """Take a token of the user's current role and version, as the UI does after a 401
        "Token revoked" (its refresh cookie still stands after a role change)."""
        async with database.sessionmaker() as session:
            self.user = await session.get_one(User, self.user.id)
        self.headers.update(auth_headers(self.user))


async def _client_as(app: object, user: User) -> RoleClient:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    http = RoleClient(transport=transport, base_url="http://test", headers=auth_headers(user))
    http.user = user
    return http


@pytest.fixture
async def client_as(
    app: object, make_user: MakeUser
) -> AsyncIterator[Callable[..., Awaitable[RoleClient]]]:
    """Factory: a client signed in as a new user of the given role (or a given user)."""
    opened: list[RoleClient] = []

    async def factory(role: str = "user", user: User | None = None, **kwargs: object) -> RoleClient:
        http = await _client_as(app, user or await make_user(role, **kwargs))
        opened.append(http)
        return http

    yield factory
    for http in opened:
        await http.aclose()


@pytest.fixture
async def as_admin(client_as: Callable[..., Awaitable[RoleClient]]) -> RoleClient:
    return await client_as("admin")


@pytest.fixture
async def as_agent(client_as: Callable[..., Awaitable[RoleClient]]) -> RoleClient:
    return await client_as("agent")


@pytest.fixture
async def as_user(client_as: Callable[..., Awaitable[RoleClient]]) -> RoleClient:
    return await client_as("user")


@pytest.fixture
async def as_guest(client_as: Callable[..., Awaitable[RoleClient]]) -> RoleClient:
    return await client_as("guest")


@pytest.fixture
def published() -> Iterator[list[Event]]:
    """Events released to the hub during the test (after commit; still forwarded to the hub)."""
    seen: list[Event] = []
    previous = events._publisher

    async def capture(event: Event) -> None:
        seen.append(event)
        if previous is not None:
            await previous(event)

    events.set_publisher(capture)
    yield seen
    events.set_publisher(previous)
