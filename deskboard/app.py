"""Application factory: routers, error handlers, HTTP hardening (deskboard/web) and the built UI."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from deskboard.config import Settings, get_settings
from deskboard.core import events
from deskboard.core.errors import error_response, install_error_handlers
from deskboard.core.openapi import document_common
from deskboard.db import Database, get_database, set_database
from deskboard.notifications.sweep import sweep_once
from deskboard.ops.leader import run_as_leader
from deskboard.ops.router import router as ops_router
from deskboard.plugins import state as plugin_state
from deskboard.plugins.mount import include_plugins
from deskboard.plugins.static import SHARED
from deskboard.realtime.hub import create_hub
from deskboard.web.docs import OPENAPI_URL
from deskboard.web.stack import install_http_security
from deskboard.webhooks import outbox
from deskboard.webhooks import worker as webhook_worker


class BodySizeLimit:
    """Refuse request bodies over the limit with 413, before any handler reads them."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise _TooLarge()
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _TooLarge:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(413, f"Request body over {self.max_bytes} bytes")
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


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    outbox.install()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if database is not None:
            set_database(database)
        hub = create_hub(settings)
        await hub.start()
        app.state.hub = hub
        events.set_publisher(hub.publish)
        db = database or get_database()
        await plugin_state.refresh(db)  # plugin listeners read which plugins are enabled
        sweep = None
        if settings.due_soon_sweep_seconds > 0:
            # Once per cluster: the process holding the "due-soon" lock sweeps.
            sweep = asyncio.create_task(
                run_as_leader(
                    db,
                    "due-soon",
                    settings.due_soon_sweep_seconds,
                    lambda: sweep_once(db),
                    lock_dir=settings.data_dir / "locks",
                )
            )
        deliveries = None
        if settings.webhook_poll_seconds > 0:
            deliveries = asyncio.create_task(webhook_worker.run_forever(db, settings))
        yield
        for task in (sweep, deliveries):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        events.set_publisher(None)
        await hub.stop()
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
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.state.settings = settings
    install_http_security(app, settings)

    app.include_router(ops_router)
    include_domain_routers(app)
    include_plugins(app, settings)
    document_common(app)
    mount_frontend(app, settings)
    return app
