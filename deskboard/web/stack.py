"""Put the HTTP hardening around the app, in the one order that works."""

from fastapi import FastAPI

from deskboard.config import Settings
from deskboard.web.docs import docs_router
from deskboard.web.headers import SecurityHeaders
from deskboard.web.hosts import AllowedHosts
from deskboard.web.ops import ops_router
from deskboard.web.proxy import ForwardedHeaders


def install_http_security(app: FastAPI, settings: Settings) -> None:
    """Middlewares (the last added runs first) and the ops and docs routes.

    ForwardedHeaders runs first, so that the security headers (HSTS, the socket origin) and the
    host check see the client's scheme and host; the host check runs inside the security
    headers, so its 400 carries them too.
    """
    app.add_middleware(AllowedHosts, allowed=settings.resolved_allowed_hosts)
    app.add_middleware(
        SecurityHeaders,
        index_html=settings.frontend_dist / "index.html",
        hsts_seconds=settings.hsts_seconds,
    )
    app.add_middleware(ForwardedHeaders, trusted=settings.trusted_proxies)
    app.include_router(ops_router(settings))
    if settings.docs_exposed:
        app.include_router(docs_router())
