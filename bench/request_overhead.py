"""CPU per request added by the request-id/access-log middleware (deskboard/ops/requests.py).

In-process, no sockets: 2,000 GETs of the ticket list (limit 25) straight into the ASGI app,
timed with process CPU time, in three set-ups: without the middleware (as before), with it and
the access log off, with it writing JSON access lines (to /dev/null). Run:
`.venv/bin/python -m bench.request_overhead` (not in `python -m bench`: a quick check).
"""

import asyncio
import logging
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

REQUESTS = 2_000
ROUNDS = 5


async def _get(app: Any, path: bytes, headers: list[tuple[bytes, bytes]]) -> int:
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path.decode(), "raw_path": path, "query_string": b"limit=25",
        "headers": headers, "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000),
        "root_path": "",
    }  # fmt: skip
    await app(scope, receive, send)
    return status


async def _round(app: Any, path: bytes, headers: list[tuple[bytes, bytes]]) -> float:
    """Main-thread CPU µs per request (aiosqlite's worker thread is the same in every set-up)."""
    started = time.thread_time()
    for _ in range(REQUESTS):
        await _get(app, path, headers)
    return (time.thread_time() - started) / REQUESTS * 1e6


async def run() -> None:
    data = Path(tempfile.mkdtemp(prefix="deskboard-overhead-"))
    os.environ["DESKBOARD_DATA_DIR"] = str(data)
    os.environ["DESKBOARD_SECRET_KEY"] = "overhead-bench-secret-key-long-enough-for-hs256"
    os.environ["DESKBOARD_DUE_SOON_SWEEP_SECONDS"] = "0"
    os.environ["DESKBOARD_SLA_SWEEP_SECONDS"] = "0"
    from deskboard.app import create_app
    from deskboard.auth.models import User
    from deskboard.auth.security import create_access_token
    from deskboard.config import get_settings
    from deskboard.migrations import upgrade
    from deskboard.ops.logs import setup_logging
    from deskboard.ops.requests import RequestContext
    from deskboard.seeding.cli import run_seed

    settings = get_settings()
    await asyncio.to_thread(upgrade, settings.resolved_database_url)
    await asyncio.to_thread(
        run_seed, settings, tickets=500, demo=False, if_empty=False, batch_size=500, random_seed=1
    )
    from deskboard.db import get_database

    async with get_database().sessionmaker() as session:
        from sqlalchemy import select

        agent = (await session.scalars(select(User).where(User.role == "agent"))).first()
    assert agent is not None
    token = create_access_token(agent.id, agent.role, version=agent.token_version)
    headers = [(b"authorization", f"Bearer {token}".encode())]

    setups = (
        ("without the middleware (before)", False, False),
        ("middleware, access log off", True, False),
        ("middleware, JSON access log to /dev/null", True, True),
    )
    apps = []
    for _, with_middleware, _ in setups:
        app = create_app(settings)
        if not with_middleware:
            app.user_middleware = [m for m in app.user_middleware if m.cls is not RequestContext]
        apps.append(app)
    sink = open(os.devnull, "w")  # noqa: ASYNC230, SIM115 - set-up, not timed
    setup_logging("json", "INFO")
    logging.getLogger().handlers[0].setStream(sink)  # type: ignore[attr-defined]
    access = logging.getLogger("deskboard.access")
    for path in (b"/healthz", b"/api/tickets"):
        samples: dict[str, list[float]] = {label: [] for label, _, _ in setups}
        for app in apps:  # warm caches, prepared statements, the pool
            async with app.router.lifespan_context(app):
                for _ in range(200):
                    assert await _get(app, path, headers) == 200
        for _ in range(ROUNDS):  # interleaved, so drift in machine load hits all alike
            for app, (label, _, log) in zip(apps, setups, strict=True):
                access.setLevel(logging.INFO if log else logging.WARNING)
                async with app.router.lifespan_context(app):
                    samples[label].append(await _round(app, path, headers))
        base = statistics.median(samples[setups[0][0]])
        print(f"GET {path.decode()} x {REQUESTS}, median of {ROUNDS} rounds:")
        for label, values in samples.items():
            micros = statistics.median(values)
            print(f"  {label:42s} {micros:8.1f} µs CPU/request  (+{micros - base:5.1f})")
    sink.close()


def main() -> None:
    asyncio.run(run())


if __name__ == "__main__":
    main()
