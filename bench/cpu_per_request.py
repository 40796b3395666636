"""Server CPU per request of the ticket list and search, app against the floor, in-process.

No sockets, no wrk: each request goes straight into the ASGI app (bench/floor.py's and the
real one, both over the kept `deskboard_bench_1m` database) and the process's CPU time is
summed. Sockets and HTTP parsing are the same for both under uvicorn, so this isolates what
the app's structure costs above the floor, and it is far steadier than throughput on a shared
machine. A quick check while working on speed; `bench speed` is the measurement of record.

Two what-if rows price FastAPI's dependency solving: the list's work (same token check and
role check, same session, service and JSON; only the parameters this bench sends are parsed)
as a route without dependencies, once as a FastAPI route and once as a bare Starlette route,
both inside the app with all its middlewares. They are measurements, not served anywhere.

    .venv/bin/python -m bench.cpu_per_request            (not part of `make bench`)
    .venv/bin/python -m bench.cpu_per_request --served   (then each served by uvicorn, under
                                                          wrk as `bench speed` runs it)

Knobs: DESKBOARD_BENCH_CPU_REQUESTS (1,000 per round), DESKBOARD_BENCH_CPU_ROUNDS (5).
"""

import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import time
from typing import Any

from bench.harness import SECRET, make_user, seeded_database, server
from bench.speed import PATHS, TICKETS, warm_up

REQUESTS = int(os.environ.get("DESKBOARD_BENCH_CPU_REQUESTS", "1000"))
ROUNDS = int(os.environ.get("DESKBOARD_BENCH_CPU_ROUNDS", "5"))
CONCURRENCY = 16  # as wrk's 16 connections: requests overlap on the pool


async def _get(app: Any, path_and_query: str, headers: list[tuple[bytes, bytes]]) -> int:
    path, _, query = path_and_query.partition("?")
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    scope = {
        "type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"}, "http_version": "1.1",
        "method": "GET", "scheme": "http", "path": path, "raw_path": path.encode(),
        "query_string": query.encode(), "headers": headers, "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000), "root_path": "", "state": {},
    }  # fmt: skip
    await app(scope, receive, send)
    return status


async def _round(app: Any, path: str, headers: list[tuple[bytes, bytes]]) -> float:
    """Process CPU µs per request, CONCURRENCY requests in flight."""

    async def worker(count: int) -> None:
        for _ in range(count):
            status = await _get(app, path, headers)
            if status != 200:
                raise RuntimeError(f"{path} answered {status}")

    started = time.process_time()
    await asyncio.gather(*(worker(REQUESTS // CONCURRENCY) for _ in range(CONCURRENCY)))
    return (time.process_time() - started) / (REQUESTS // CONCURRENCY * CONCURRENCY) * 1e6


def _list_without_dependencies() -> Any:
    """The list endpoint's work with no FastAPI dependency: what-if rows only."""
    from pydantic import BaseModel
    from starlette.requests import Request
    from starlette.responses import Response

    from deskboard.auth.deps import authorize, user_from_token
    from deskboard.db import get_database
    from deskboard.tickets import listing, service
    from deskboard.tickets.filters import TicketFilter
    from deskboard.tickets.paging import TicketSort

    class BenchQuery(BaseModel):
        status: list[str] | None = None
        q: str | None = None
        sort: TicketSort = TicketSort.updated_at_desc
        limit: int = 50
        cursor: str | None = None

    async def endpoint(request: Request) -> Response:
        params = request.query_params
        query = BenchQuery.model_validate(
            {key: params.getlist(key) if key == "status" else params[key] for key in params}
        )
        async with get_database().reading() as session:
            user = await user_from_token(session, request.headers["authorization"][7:])
            authorize(user, "tickets:read")
            ticket_filter = TicketFilter.model_validate({"status": query.status, "q": query.q})
            page = await service.list_tickets(
                session, viewer=user, ticket_filter=ticket_filter, sort=query.sort,
                cursor=query.cursor, limit=query.limit,
            )  # fmt: skip
        return Response(listing.page_json(page), media_type="application/json")

    return endpoint


def _with_route_first(app: Any, *, starlette: bool) -> Any:
    from starlette.routing import Route

    endpoint = _list_without_dependencies()
    if starlette:
        app.router.routes.insert(0, Route("/api/tickets", endpoint, methods=["GET"]))
    else:
        app.add_api_route("/api/tickets", endpoint, methods=["GET"])
        app.router.routes.insert(0, app.router.routes.pop())
    return app


def what_if_fastapi_app() -> Any:
    """The app, its list served by a FastAPI route without dependencies (uvicorn factory)."""
    from deskboard.app import create_app

    return _with_route_first(create_app(), starlette=False)


def what_if_starlette_app() -> Any:
    """The app, its list served by a bare Starlette route (uvicorn factory)."""
    from deskboard.app import create_app

    return _with_route_first(create_app(), starlette=True)


FACTORIES = {
    "floor": "bench.floor:create_app",
    "app": "deskboard.app:create_app",
    "what-if: no dependencies, FastAPI route": "bench.cpu_per_request:what_if_fastapi_app",
    "what-if: no dependencies, Starlette route": "bench.cpu_per_request:what_if_starlette_app",
}


async def _measure(url: str, token: str) -> dict[str, dict[str, float]]:
    from bench.floor import create_app as create_floor
    from deskboard.app import create_app
    from deskboard.config import get_settings

    headers = [(b"host", b"127.0.0.1:8000"), (b"authorization", f"Bearer {token}".encode())]
    get_settings.cache_clear()  # the environment set in main() is the app's settings
    apps = {
        "floor": create_floor(),
        "app": create_app(),
        "what-if: no dependencies, FastAPI route": what_if_fastapi_app(),
        "what-if: no dependencies, Starlette route": what_if_starlette_app(),
    }
    results: dict[str, dict[str, float]] = {}
    async with contextlib.AsyncExitStack() as running:
        for app in apps.values():
            await running.enter_async_context(app.router.lifespan_context(app))
        for name, path in PATHS.items():
            samples: dict[str, list[float]] = {which: [] for which in apps}
            for app in apps.values():  # untimed warm-up: pools, prepared statements, caches
                await _round(app, path, headers)
            for _ in range(ROUNDS):  # interleaved: drift in machine load hits both alike
                for which, app in apps.items():
                    samples[which].append(await _round(app, path, headers))
            results[name] = {which: statistics.median(values) for which, values in samples.items()}
    return results


def _served(url: str, token: str) -> None:
    """Each set-up under uvicorn and wrk (bench speed's runs), the list only, one at a time."""
    from bench.speed import wrk

    print(f"Served (1 worker, wrk -c16, {os.environ.get('DESKBOARD_BENCH_SPEED_SECONDS', 10)} s):")
    floor_rps = 0.0
    for which, factory in FACTORIES.items():
        with server(url, app=factory) as base:
            warm_up(base + PATHS["list"], token)
            run = wrk(base + PATHS["list"], token, servers=[base])
        floor_rps = floor_rps or run.rps
        print(
            f"  list    {which:42s} {run.rps:6.0f} req/s  p99 {run.p99_ms:5.1f} ms  server "
            f"{run.cpu_ms['server']:.2f} ms/request  floor's rate {run.rps / floor_rps:4.0%}",
            flush=True,
        )


def _print_in_process(results: dict[str, dict[str, float]]) -> None:
    print(f"In-process CPU per request, median of {ROUNDS} rounds of {REQUESTS}:")
    for name, row in results.items():
        floor = row["floor"]
        for which, micros in row.items():
            print(
                f"  {name:7s} {which:42s} {micros:6.0f} µs  +{micros - floor:4.0f} µs  "
                f"floor/this {floor / micros:4.0%}",
                flush=True,
            )


def main() -> None:
    os.environ.setdefault("DESKBOARD_DATA_DIR", tempfile.mkdtemp(prefix="deskboard-cpu-"))
    with seeded_database(TICKETS) as (url, _seeding):
        os.environ["DESKBOARD_DATABASE_URL"] = url
        os.environ["DESKBOARD_SECRET_KEY"] = SECRET
        os.environ["DESKBOARD_ENV"] = "development"  # as bench speed serves it
        os.environ.pop("DESKBOARD_REDIS_URL", None)
        _user_id, token = make_user(url, role="agent")
        _print_in_process(asyncio.run(_measure(url, token)))
        if "--served" in sys.argv:
            _served(url, token)


if __name__ == "__main__":
    main()
