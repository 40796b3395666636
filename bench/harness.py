"""Shared benchmark plumbing: a scratch PostgreSQL database, a real uvicorn server subprocess on
a free 127.0.0.1 port, bearer tokens, N concurrent httpx clients timing every request, and the
percentiles and report sections the benchmarks print.

    with scratch_database("tickets_10000") as url:       # created, migrated, dropped after
        user_id, token = make_user(url, role="agent")
        with server(url) as base_url:
            result = asyncio.run(measure(base_url, [token] * 8, lambda http, i: http.get(...)))
        print(result.p50, result.p99)

Knobs: DESKBOARD_BENCH_PG_URL (the server; default postgresql+asyncpg://postgres@127.0.0.1/postgres),
DESKBOARD_BENCH_KEEP=1 keeps scratch databases for a later run to reuse.
"""

import asyncio
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
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

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
        user_id = user.id
    engine.dispose()
    return user_id, create_access_token(user_id, role, minutes=120)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def server(database_url: str, *, workers: int = 1) -> Iterator[str]:
    """A uvicorn server over the database; yields its base URL once /healthz answers."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="deskboard-bench-") as data_dir:
        env = {
            **os.environ,
            "DESKBOARD_DATABASE_URL": database_url,
            "DESKBOARD_SECRET_KEY": SECRET,
            "DESKBOARD_DATA_DIR": data_dir,
            "DESKBOARD_ENV": "development",
        }
        env.pop("DESKBOARD_REDIS_URL", None)
        command = [
            sys.executable, "-m", "uvicorn", "deskboard.app:create_app", "--factory",
            "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
            "--log-level", "warning", "--no-access-log",
        ]  # fmt: skip
        process = subprocess.Popen(command, env=env)
        base_url = f"http://127.0.0.1:{port}"
        try:
            asyncio.run(_wait_until_up(base_url, process))
            yield base_url
        finally:
            process.terminate()
            process.wait(timeout=15)


async def _wait_until_up(base_url: str, process: subprocess.Popen[bytes]) -> None:
    async with httpx.AsyncClient(base_url=base_url) as http:
        for _ in range(600):
            if process.poll() is not None:
                raise RuntimeError("the server exited during start-up")
            try:
                if (await http.get("/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.05)
    raise RuntimeError("the server did not come up within 30 s")


Request = Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]]


@dataclass
class Measurement:
    latencies_ms: list[float]  # sorted
    failures: int
    wall_seconds: float

    def percentile(self, fraction: float) -> float:
        values = self.latencies_ms
        if not values:
            return float("nan")
        index = min(len(values) - 1, max(0, round(fraction * len(values)) - 1))
        return values[index]

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
        async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=60) as http:
            for step in range(warmup + requests_per_client):
                started = time.perf_counter()
                response = await request(http, step)
                elapsed = time.perf_counter() - started
                if not response.is_success:
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
