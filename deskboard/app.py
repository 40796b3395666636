"""Application factory: routers, error handlers, HTTP hardening (deskboard/web) and the built UI."""

import asyncio
import contextlib
import gc
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from deskboard.attachments.blobs import scheduled_sweep as attachment_sweep
from deskboard.attachments.upload import attachment_body_limits
from deskboard.automations.engine import run_time_rules
from deskboard.config import Settings, get_settings
from deskboard.core import events
from deskboard.core.errors import error_response, install_error_handlers
from deskboard.core.openapi import document_common
from deskboard.db import Database, get_database, set_database
from deskboard.idempotency.service import purge_expired
from deskboard.mail import outbound as mail_outbound
from deskboard.mail import poller as mail_poller
from deskboard.mail import sender as mail_sender
from deskboard.mail.router import inbound_mail_body_limits
from deskboard.notifications.sweep import sweep_once
from deskboard.ops.leader import run_as_leader
from deskboard.ops.router import router as ops_router
from deskboard.plugins import state as plugin_state
from deskboard.plugins.mount import include_plugins
from deskboard.plugins.static import SHARED
from deskboard.realtime import outbox as event_outbox
from deskboard.realtime.hub import Hub, create_hub
from deskboard.realtime.redis_backend import RedisBackend
from deskboard.sla.sweep import sweep_once as sla_sweep_once
from deskboard.web.docs import OPENAPI_URL
from deskboard.web.stack import install_http_security
from deskboard.webhooks import outbox
from deskboard.webhooks import worker as webhook_worker

# (method, path pattern, limit, message): routes whose bodies may be larger than the default,
# e.g. file uploads, which stream to disk and check their own cap (deskboard/attachments).
BodyLimitOverride = tuple[str, re.Pattern[str], int, str]


class BodySizeLimit:
    """Refuse request bodies over the limit with 413, before any handler reads them."""

    def __init__(self, app: ASGIApp, max_bytes: int, overrides: Sequence[BodyLimitOverride] = ()):
        self.app = app
        self.max_bytes = max_bytes
        self.overrides = list(overrides)

    def _limit(self, scope: Scope) -> tuple[int, str]:
        for method, pattern, max_bytes, detail in self.overrides:
            if scope.get("method") == method and pattern.match(scope.get("path", "")):
                return max_bytes, detail
        return self.max_bytes, f"Request body over {self.max_bytes} bytes"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is None and b"transfer-encoding" not in headers:
            # No body is coming (most GETs): nothing to count.
            await self.app(scope, receive, send)
            return
        max_bytes, detail = self._limit(scope)
        if declared is not None and declared.isdigit() and int(declared) > max_bytes:
            await self._refuse(scope, receive, send, detail)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > max_bytes:
                raise _TooLarge()
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except _TooLarge:
            if started:  # an answer is on its way: nothing else can be said
                raise
            await self._refuse(scope, receive, send, detail)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, detail: str) -> None:
        response = error_response(413, detail)
        await response(scope, receive, send)


class _TooLarge(Exception):
    pass


def include_domain_routers(app: FastAPI) -> None:
    from deskboard.routers import ROUTERS

    for router in ROUTERS:
        app.include_router(router, prefix="/api")


def mount_frontend(app: FastAPI, settings: Settings) -> None:
    dist = settings.frontend_dist.resolve()

    @app.get("/{path:path}", include_in_schema=False)
    async def spa(request: Request, path: str) -> Response:
        if path.startswith("api/"):
            # This catch-all answers every GET; an API path that exists for other methods is 405.
            allowed = [
                method
                for method in ("POST", "PUT", "PATCH", "DELETE")
                if any(
                    route.matches({**request.scope, "method": method})[0] == Match.FULL
                    for route in app.routes
                    if getattr(route, "endpoint", None) is not spa
                )
            ]
            if allowed:
                return error_response(405, "Method not allowed", {"Allow": ", ".join(allowed)})
            return error_response(404, "Not found")
        if path == "plugins" or path.startswith("plugins/"):
            # Plugin files have their own route; anything else there is no page of the app.
            return error_response(404, "Not found")
        candidate = (dist / path).resolve()
        if path and candidate.is_file() and dist in candidate.parents:
            # Built modules are public code; a plugin's sandboxed (opaque-origin) frame loads
            # vue and the SDK from here with `Origin: null` (deskboard/plugins/static.py).
            shared = SHARED if path.startswith("assets/") else None
            return FileResponse(candidate, headers=shared)
        index = dist / "index.html"
        if index.is_file():
            return FileResponse(index, headers={"Cache-Control": "no-cache"})
        return JSONResponse(
            {"detail": "The UI is not built: run `make run` (or `make ui`)."}, status_code=404
        )


async def outbox_round(db: Database, hub: Hub, settings: Settings) -> None:
    """One round of the outbox leader: publish events left behind, purge expired keys."""
    if isinstance(hub.backend, RedisBackend) and not hub.degraded:
        await event_outbox.relay_orphans(db, hub.backend)
    async with db.unit_of_work() as session:
        await purge_expired(session, ttl_hours=settings.idempotency_key_hours)


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    outbox.install()
    # Events survive a crash between commit and publish only where another process publishes
    # them: with Redis. One process alone loses its sockets with it (they resync on reconnect).
    event_outbox.install(enabled=bool(settings.redis_url))
    mail_outbound.install()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if database is not None:
            set_database(database)
        hub = create_hub(settings)
        await hub.start()
        app.state.hub = hub
        previous_publisher = events.set_publisher(hub.publish)
        db = database or get_database()
        sweeper = event_outbox.Sweeper(db)
        sweeper.start()
        hub.on_published = sweeper.published
        await plugin_state.serve(db)  # plugin listeners read which plugins are enabled

        # Once per cluster: each job runs in the process holding its lock (ops/leader.py).
        leader_jobs: list[tuple[str, float, Callable[[], Awaitable[object]]]] = [
            ("due-soon", settings.due_soon_sweep_seconds, lambda: sweep_once(db)),
            ("sla", settings.sla_sweep_seconds, lambda: sla_sweep_once(db)),
            ("time-rules", settings.automation_sweep_seconds, lambda: run_time_rules(db)),
            # The mailboxes, each at its own poll_seconds.
            ("mail-poll", settings.mail_poll_seconds, lambda: mail_poller.poll_due(db, settings)),
            # Expired drafts and contents nothing uses any more.
            (
                "attachment-sweep",
                settings.attachment_sweep_seconds,
                lambda: attachment_sweep(db, settings),
            ),
            (
                "event-outbox",
                settings.event_outbox_seconds,
                lambda: outbox_round(db, hub, settings),
            ),
        ]
        tasks: list[asyncio.Task[None]] = [
            asyncio.create_task(
                run_as_leader(db, name, seconds, job, lock_dir=settings.data_dir / "locks")
            )
            for name, seconds, job in leader_jobs
            if seconds > 0  # 0 turns a job off (tests run them themselves)
        ]
        if settings.webhook_poll_seconds > 0:
            # Every process: deliveries are claimed with SKIP LOCKED, never twice.
            tasks.append(asyncio.create_task(webhook_worker.run_forever(db, settings)))
        if settings.mail_send_seconds > 0:
            tasks.append(asyncio.create_task(mail_sender.run_forever(db, settings)))
        if settings.env != "test":  # tests start hundreds of apps in one process
            # What start-up built lives as long as the process: out of the collector's sight,
            # a full collection no longer walks ~230,000 objects (100-260 ms pauses under load,
            # the list's p99 tail; ~12 ms after).
            gc.collect()
            gc.freeze()
        yield
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        events.set_publisher(previous_publisher)
        await hub.stop()
        await sweeper.stop()
        if database is None:
            await get_database().dispose()
            set_database(None)

    app = FastAPI(
        title="Deskboard",
        version="0.1.0",
        lifespan=lifespan,
        # Swagger UI is served by deskboard/web/docs.py (local files, under the CSP); no ReDoc.
        docs_url=None,
        redoc_url=None,
        openapi_url=OPENAPI_URL if settings.docs_exposed else None,
    )
    install_error_handlers(app)
    app.add_middleware(
        BodySizeLimit,
        max_bytes=settings.max_body_bytes,
        overrides=[*attachment_body_limits(settings), *inbound_mail_body_limits(settings)],
    )
    app.state.settings = settings
    install_http_security(app, settings)

    app.include_router(ops_router)
    include_domain_routers(app)
    include_plugins(app, settings)
    document_common(app)
    mount_frontend(app, settings)
    return app
