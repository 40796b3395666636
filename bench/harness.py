"""Shared benchmark plumbing: a scratch PostgreSQL database, a real uvicorn server subprocess on
a free 127.0.0.1 port, bearer tokens, N concurrent keep-alive clients timing every request, and the
percentiles and report sections the benchmarks print.

    with scratch_database("tickets_10000") as url:       # created, migrated, dropped after
        user_id, token = make_user(url, role="agent")
        with server(url) as base_url:
            result = asyncio.run(measure(base_url, [token] * 8, get_tickets))
        print(result.p50, result.p99)

    with seeded_database(1_000_000) as (url, seeding):  # deskboard_bench_1m, kept for re-runs
        print(seeding.describe())

Knobs: DESKBOARD_BENCH_PG_URL (the server; default postgresql+asyncpg://postgres@127.0.0.1/postgres),
DESKBOARD_BENCH_KEEP=1 keeps scratch databases for a later run to reuse, DESKBOARD_BENCH_RESEED=1
drops and reseeds the kept seeded databases (`deskboard_bench_10k`, `deskboard_bench_1m`).
"""

import asyncio
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx
from sqlalchemy import create_engine, text

SECRET = "bench-secret-key-that-is-long-enough-for-hs256"
# Tokens minted in this process must verify in the server: set before any settings load.
os.environ["DESKBOARD_SECRET_KEY"] = SECRET

REPORT = Path(__file__).resolve().parent / "REPORT.md"
DEFAULT_PG_URL = "postgresql+asyncpg://postgres@127.0.0.1/postgres"


def pg_server_url() -> str:
    return os.environ.get("DESKBOARD_BENCH_PG_URL", DEFAULT_PG_URL)


def keep_databases() -> bool:
    return os.environ.get("DESKBOARD_BENCH_KEEP") == "1"


def sync_url(url: str) -> str:
    """The same database for a synchronous engine (psycopg)."""
    return url.replace("+asyncpg", "+psycopg").replace("postgresql://", "postgresql+psycopg://")


def _admin_execute(statement: str) -> None:
    admin = create_engine(sync_url(pg_server_url()), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(statement))
    admin.dispose()


def database_exists(name: str) -> bool:
    admin = create_engine(sync_url(pg_server_url()), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        found = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).first()
    admin.dispose()
    return found is not None


@contextmanager
def scratch_database(label: str) -> Iterator[str]:
    """A migrated database `deskboard_bench_<label>`, dropped afterwards (kept and reused when
    DESKBOARD_BENCH_KEEP=1)."""
    from deskboard.migrations import upgrade

    name = f"deskboard_bench_{label}"
    parts = urlsplit(pg_server_url())
    url = urlunsplit(parts._replace(scheme="postgresql+asyncpg", path=f"/{name}"))
    if not (keep_databases() and database_exists(name)):
        _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _admin_execute(f'CREATE DATABASE "{name}"')
    upgrade(url)
    try:
        yield url
    finally:
        if not keep_databases():
            _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# Seeded databases are kept between runs and reused while they still hold what a fresh seed would:
# the marker (a COMMENT ON DATABASE) names the ticket count, the generator's seed and when it ran.
SEED = 42
SEED_FORMAT = 1  # bump when the generator changes in a way the benchmarks would notice
# Data is generated relative to the seeding instant; analytics windows (the last 30 days) thin
# out as it ages, so an older database is reseeded.
SEED_MAX_AGE = timedelta(days=7)


def reseed_forced() -> bool:
    return os.environ.get("DESKBOARD_BENCH_RESEED") == "1"


def size_label(tickets: int) -> str:
    """10000 -> '10k', 1000000 -> '1m' (the database is `deskboard_bench_<label>`)."""
    for unit, suffix in ((1_000_000, "m"), (1_000, "k")):
        if tickets >= unit and tickets % unit == 0:
            return f"{tickets // unit}{suffix}"
    return str(tickets)


@dataclass
class Seeding:
    database: str
    tickets: int
    reused: bool
    reason: str  # why it was (re)seeded or reused
    seconds: float = 0.0  # seeding (generation + COPY) when seeded here
    vacuum_seconds: float = 0.0
    migrate_seconds: float = 0.0
    seeded_at: str = ""

    def describe(self) -> str:
        if self.reused:
            took = f" in {self.seconds:.0f} s" if self.seconds else ""
            return (
                f"`{self.database}` reused ({self.reason}; seeded {self.seeded_at}{took}, "
                f"migrations brought up to date in {self.migrate_seconds:.1f} s)"
            )
        return (
            f"`{self.database}` seeded here ({self.reason}): {self.tickets:,} tickets in "
            f"{self.seconds:.0f} s + VACUUM ANALYZE {self.vacuum_seconds:.0f} s"
        )


def _database_url(name: str) -> str:
    parts = urlsplit(pg_server_url())
    return urlunsplit(parts._replace(scheme="postgresql+asyncpg", path=f"/{name}"))


def _marker(name: str) -> dict[str, object] | None:
    admin = create_engine(sync_url(pg_server_url()), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        comment = connection.execute(
            text(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                "WHERE datname = :name"
            ),
            {"name": name},
        ).scalar()
    admin.dispose()
    try:
        marker = json.loads(comment or "")
    except ValueError:
        return None
    return marker if isinstance(marker, dict) else None


def _migration_state(url: str) -> str | None:
    """None when the database's revisions are all known to this checkout (maybe behind)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from deskboard.migrations import alembic_config

    script = ScriptDirectory.from_config(alembic_config(url))
    known = {revision.revision for revision in script.walk_revisions()}
    engine = create_engine(sync_url(url))
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    engine.dispose()
    unknown = current - known
    if not current:
        return "not migrated"
    return f"unknown migration revision(s) {sorted(unknown)}" if unknown else None


def _count_tickets(url: str) -> int:
    engine = create_engine(sync_url(url))
    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM tickets")).scalar() or 0
    engine.dispose()
    return int(count)


def _reuse_problem(name: str, tickets: int) -> str | None:
    """Why the kept database cannot be reused (None: it can)."""
    if reseed_forced():
        return "DESKBOARD_BENCH_RESEED=1"
    if not database_exists(name):
        return "no such database yet"
    marker = _marker(name)
    expected = {"tickets": tickets, "seed": SEED, "format": SEED_FORMAT}
    if marker is None or any(marker.get(key) != value for key, value in expected.items()):
        return f"its marker {marker} is not {expected}"
    try:
        seeded_at = datetime.fromisoformat(str(marker.get("seeded_at")))
    except ValueError:
        return "its marker has no seeding time"
    if datetime.now(UTC) - seeded_at > SEED_MAX_AGE:
        return f"seeded {seeded_at:%Y-%m-%d}, more than {SEED_MAX_AGE.days} days ago"
    url = _database_url(name)
    problem = _migration_state(url)
    if problem:
        return problem
    if (count := _count_tickets(url)) != tickets:
        return f"it holds {count:,} tickets, not {tickets:,}"
    return None


@contextmanager
def seeded_database(tickets: int) -> Iterator[tuple[str, Seeding]]:
    """A database `deskboard_bench_<10k|1m|...>` holding exactly `tickets` seeded tickets.

    Kept after the run: the next run reuses it when its marker matches (count, seed, format, at
    most a week old), its migrations are known to this checkout (newer ones are applied in
    place: added indexes do not need fresh data) and the ticket count still matches. Otherwise,
    or with DESKBOARD_BENCH_RESEED=1, it is dropped, recreated, migrated, seeded with
    `deskboard seed`'s generator (COPY) and VACUUM ANALYZEd (so index-only scans work at once).
    Benchmarks using it must not change tickets (users they create are fine).
    """
    from deskboard.migrations import upgrade

    name = f"deskboard_bench_{size_label(tickets)}"
    url = _database_url(name)
    problem = _reuse_problem(name, tickets)
    if problem is None:
        marker = _marker(name) or {}
        started = time.perf_counter()
        upgrade(url)
        seeding = Seeding(
            name, tickets, True, "marker, migrations and ticket count match",
            seconds=float(marker.get("seed_seconds", 0.0)),  # type: ignore[arg-type]
            migrate_seconds=time.perf_counter() - started,
            seeded_at=str(marker.get("seeded_at", "?"))[:16].replace("T", " ") + " UTC",
        )  # fmt: skip
    else:
        print(f"  seeding {name}: {problem}", flush=True)
        seeding = _seed_fresh(name, url, tickets, reason=problem)
    yield url, seeding


def _seed_fresh(name: str, url: str, tickets: int, *, reason: str) -> Seeding:
    from deskboard.migrations import upgrade
    from deskboard.seeding.service import seed_tickets

    _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin_execute(f'CREATE DATABASE "{name}"')
    upgrade(url)
    done = [0]
    step = max(tickets // 10, 1)

    def progress(count: int) -> None:
        before, done[0] = done[0], done[0] + count
        if done[0] // step != before // step:
            print(f"  seeded {done[0]:,} / {tickets:,}", flush=True)

    result = asyncio.run(seed_tickets(url, count=tickets, seed=SEED, progress=progress))
    print(f"  {result.summary()}", flush=True)
    started = time.perf_counter()
    engine = create_engine(sync_url(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("VACUUM (ANALYZE)"))
    engine.dispose()
    vacuum_seconds = time.perf_counter() - started
    seeded_at = datetime.now(UTC)
    mark_seeded(name, tickets, seeded_at, result.seconds + vacuum_seconds)
    return Seeding(
        name, tickets, False, reason, result.seconds, vacuum_seconds,
        seeded_at=f"{seeded_at:%Y-%m-%d %H:%M} UTC",
    )  # fmt: skip


def copy_database(name: str, template: str, *, attempts: int = 10) -> bool:
    """Drop `name` and make it a copy of `template` (CREATE DATABASE ... TEMPLATE); False when
    the template is missing or stays in use by other sessions (a copy needs it idle)."""
    _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    for _attempt in range(attempts if database_exists(template) else 0):
        try:
            _admin_execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            print(f"  copied {template} to {name}", flush=True)
            return True
        except Exception as exc:  # another session is connected to the template
            print(f"  cannot copy {template} yet: {str(exc).splitlines()[0]}", flush=True)
            time.sleep(3)
    return False


def mark_seeded(name: str, tickets: int, seeded_at: datetime, seconds: float = 0.0) -> None:
    marker: dict[str, object] = {"tickets": tickets, "seed": SEED, "format": SEED_FORMAT}
    marker["seeded_at"] = seeded_at.isoformat()
    marker["seed_seconds"] = round(seconds, 1)  # seeding + VACUUM, reported by later runs
    literal = json.dumps(marker).replace("'", "''")
    _admin_execute(f"COMMENT ON DATABASE \"{name}\" IS '{literal}'")


def make_user(database_url: str, *, role: str, email: str | None = None) -> tuple[int, str]:
    """Create (or find) an account; return its id and a two-hour bearer token."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from deskboard.auth.models import User
    from deskboard.auth.security import create_access_token, hash_password

    email = email or f"{role}@bench.test"
    engine = create_engine(sync_url(database_url))
    with Session(engine) as session:
        user = session.scalars(select(User).where(User.email == email)).first()
        if user is None:
            user = User(email=email, name=f"Bench {role}", role=role)
            user.password_hash = hash_password("bench-password")
            session.add(user)
            session.commit()
        user_id, version = user.id, user.token_version
    engine.dispose()
    return user_id, create_access_token(user_id, role, version=version, minutes=120)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def server(
    database_url: str,
    *,
    workers: int = 1,
    env: dict[str, str] | None = None,
    app: str = "deskboard.app:create_app",
    up_seconds: float = 120,
) -> Iterator[str]:
    """A uvicorn server over the database; yields its base URL once /healthz answers (within
    `up_seconds`). `env` adds settings (DESKBOARD_* variables) for this server only; `app` is the
    factory served (bench/floor.py for the floor)."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="deskboard-bench-") as data_dir:
        env = {
            **os.environ,
            "DESKBOARD_DATABASE_URL": database_url,
            "DESKBOARD_SECRET_KEY": SECRET,
            "DESKBOARD_DATA_DIR": data_dir,
            "DESKBOARD_ENV": "development",
            **(env or {}),
        }
        env.pop("DESKBOARD_REDIS_URL", None)
        command = [
            sys.executable, "-m", "uvicorn", app, "--factory",
            "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
            "--log-level", "warning", "--no-access-log",
        ]  # fmt: skip
        process = subprocess.Popen(command, env=env)
        base_url = f"http://127.0.0.1:{port}"
        SERVER_PIDS[base_url] = process.pid
        try:
            # Patient by default: imports alone take tens of seconds on a loaded 2-core machine.
            asyncio.run(wait_until_up(base_url, process, seconds=up_seconds))
            yield base_url
        finally:
            process.terminate()
            process.wait(timeout=15)


# base URL -> pid of the server process (its workers are its children), for server_cpu_seconds.
SERVER_PIDS: dict[str, int] = {}


def server_cpu_seconds(base_url: str) -> float:
    """CPU time (user + system) used so far by the server at base_url and its worker processes:
    a figure that a busy machine disturbs far less than latencies (Linux /proc; 0 elsewhere)."""
    root = SERVER_PIDS.get(base_url)
    if root is None or not Path("/proc").is_dir():
        return 0.0
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        times[pid] = (int(fields[11]) + int(fields[12])) / tick
    family = {root}
    for _ in range(3):  # server -> workers -> their helpers
        family |= {pid for pid, parent in parents.items() if parent in family}
    return sum(times.get(pid, 0.0) for pid in family)


async def wait_until_up(
    base_url: str, process: subprocess.Popen[bytes], seconds: float = 60.0
) -> None:
    """Wait for /healthz to answer 200 (imports are slow on a busy machine)."""
    async with httpx.AsyncClient(base_url=base_url) as http:
        for _ in range(int(seconds / 0.05)):
            if process.poll() is not None:
                raise RuntimeError("a server exited during start-up")
            try:
                if (await http.get("/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.05)
    raise RuntimeError(f"a server did not come up within {seconds:.0f} s")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (0 when it is gone; Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(sorted_values: list[float], fraction: float) -> float:
    """The value at `fraction` of a sorted list (nearest rank; nan when empty)."""
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


class KeepAliveClient:
    """A bare HTTP/1.1 keep-alive connection sending JSON requests.

    The load generator shares the machine's two cores with the server and the database; httpx
    spends about 1.5 ms of CPU per request, which the server then lacks. This client spends a
    tenth of that, so the figures are the server's (its CPU per PUT is reported all the same).
    """

    def __init__(self, base_url: str, headers: dict[str, str]) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        self.head += f"Host: {self.host}:{self.port}\r\nContent-Type: application/json\r\n"
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def __aenter__(self) -> "KeepAliveClient":
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        return self

    async def __aexit__(self, *_: object) -> None:
        if self.writer is not None:
            self.writer.close()
            await self.writer.wait_closed()

    async def get(self, path: str, params: dict[str, str] | None = None) -> tuple[int, Any]:
        query = f"?{urlencode(params)}" if params else ""
        return await self.request("GET", f"{path}{query}", b"")

    async def request(self, method: str, path: str, body: bytes) -> tuple[int, Any]:
        assert self.reader is not None and self.writer is not None
        self.writer.write(
            f"{method} {path} HTTP/1.1\r\n{self.head}Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        length = None
        for line in header_lines:
            name, _, value = line.partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "transfer-encoding":
                raise RuntimeError("chunked responses are not expected here")
        if length is None:
            raise RuntimeError("a response without Content-Length")
        payload = await self.reader.readexactly(length)
        return int(status_line.split(" ", 2)[1]), json.loads(payload)


async def ticket_list_latencies(base_url: str, token: str, requests: int) -> list[float]:
    """GET /api/tickets (first page of 50) from one keep-alive client, one request after
    another (after 10 unmeasured): the sorted latencies in ms."""
    async with KeepAliveClient(base_url, {"Authorization": f"Bearer {token}"}) as client:
        for _ in range(10):
            await client.get("/api/tickets", {"limit": "50"})
        latencies = []
        for _ in range(requests):
            began = time.perf_counter()
            status, _body = await client.get("/api/tickets", {"limit": "50"})
            latencies.append((time.perf_counter() - began) * 1000)
            assert status == 200, status
    return sorted(latencies)


# One request of a client: send it, return the status (a non-2xx is counted as a failure).
Request = Callable[[KeepAliveClient, int], Awaitable[int]]


@dataclass
class Measurement:
    latencies_ms: list[float]  # sorted
    failures: int
    wall_seconds: float

    def percentile(self, fraction: float) -> float:
        return percentile(self.latencies_ms, fraction)

    @property
    def p50(self) -> float:
        return self.percentile(0.50)

    @property
    def p90(self) -> float:
        return self.percentile(0.90)

    @property
    def p99(self) -> float:
        return self.percentile(0.99)

    @property
    def throughput(self) -> float:
        return len(self.latencies_ms) / self.wall_seconds if self.wall_seconds else 0.0


async def measure(
    base_url: str,
    tokens: list[str],
    request: Request,
    *,
    requests_per_client: int = 200,
    warmup: int = 20,
) -> Measurement:
    """One client per token, all at once; each sends warmup + requests_per_client requests in
    sequence. A non-2xx answer counts as a failure and is not timed."""

    async def client(token: str) -> tuple[list[float], int]:
        latencies: list[float] = []
        failures = 0
        headers = {"Authorization": f"Bearer {token}"}
        async with KeepAliveClient(base_url, headers) as http:
            for step in range(warmup + requests_per_client):
                started = time.perf_counter()
                status = await request(http, step)
                elapsed = time.perf_counter() - started
                if not 200 <= status < 300:
                    failures += 1
                elif step >= warmup:
                    latencies.append(elapsed * 1000)
        return latencies, failures

    started = time.perf_counter()
    results = await asyncio.gather(*(client(token) for token in tokens))
    wall = time.perf_counter() - started
    return Measurement(
        latencies_ms=sorted(value for values, _ in results for value in values),
        failures=sum(failures for _, failures in results),
        wall_seconds=wall,
    )


def machine() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{platform.machine()}, {os.cpu_count()} cores shared by the clients, the server and "
        f"PostgreSQL (and other work: load average {load:.1f} at the start), "
        f"Python {platform.python_version()}"
    )


def write_report_section(title: str, section: str) -> None:
    """Replace (or append) the `## <title>` section of bench/REPORT.md, leaving others alone."""
    current = REPORT.read_text() if REPORT.exists() else "# Benchmark report\n"
    heading = f"\n## {title}\n"
    start = current.find(heading)
    if start == -1:
        updated = current.rstrip("\n") + "\n\n" + section.rstrip("\n") + "\n"
    else:
        end = current.find("\n## ", start + 1)
        tail = current[end:] if end != -1 else "\n"
        updated = current[:start].rstrip("\n") + "\n\n" + section.rstrip("\n") + "\n" + tail
    REPORT.write_text(updated)
