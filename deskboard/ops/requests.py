"""Request ids and the access log, as one pure ASGI middleware (no BaseHTTPMiddleware: the
ticket list is benchmarked and that wrapper costs a task and a stream per request)."""

import logging
import os
import re
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from deskboard.core import context
from deskboard.core.errors import error_response

REQUEST_ID_HEADER = b"x-request-id"
# A client's id is echoed and logged: bounded length and a charset with no separators to forge.
_WELL_FORMED = re.compile(rb"[A-Za-z0-9._:\-]{1,128}")
access_log = logging.getLogger("deskboard.access")


def incoming_request_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers") or ():
        if name == REQUEST_ID_HEADER:
            return value.decode("ascii") if _WELL_FORMED.fullmatch(value) else None
    return None


class RequestContext:
    """Give every request and WebSocket session an id (the client's X-Request-ID when
    well-formed), return it in X-Request-ID, and write one access line when it ends."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind != "http" and kind != "websocket":
            await self.app(scope, receive, send)
            return
        request_id = incoming_request_id(scope) or os.urandom(16).hex()
        info, token = context.begin(request_id)
        id_header = (REQUEST_ID_HEADER, request_id.encode("ascii"))
        started = time.perf_counter()
        status = 0
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            kind = message["type"]
            if kind == "http.response.start" or kind == "websocket.accept":
                response_started = True
                status = message.get("status", 101)
                message["headers"] = [*message.get("headers", ()), id_header]
            elif kind == "websocket.close":
                # Before accept this is an HTTP 403; after it, the close code says why.
                status = message.get("code", 1000) if response_started else 403
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            # Answer the 500 here, so it carries the id too; the error is re-raised for the log.
            if kind == "http" and not response_started:
                status = 500
                response = error_response(500, "Internal server error")
                response.raw_headers.append(id_header)
                await response(scope, receive, send)
                response_started = True
            raise
        finally:
            if access_log.isEnabledFor(logging.INFO):
                self._log(scope, info, status, started)
            context.end(token)

    @staticmethod
    def _log(scope: Scope, info: context.RequestInfo, status: int, started: float) -> None:
        duration_ms = round((time.perf_counter() - started) * 1000, 2)
        method = scope.get("method", "WS")
        client = scope.get("client")
        # The path only: query strings may carry secrets (tokens, search text).
        path = scope["path"]
        # makeRecord + handle: what .info() does, without its walk up the stack for the caller
        # (about a tenth of the cost of a line).
        record = access_log.makeRecord(
            access_log.name,
            logging.INFO,
            __file__,
            0,
            "%s %s %s %.1fms",
            (method, path, status, duration_ms),
            None,
            extra={
                "method": method,
                "path": path,
                "status": status,
                "duration_ms": duration_ms,
                "client": client[0] if client else None,
                "user_id": info.user_id,
                "request_id": info.request_id,
            },
        )
        access_log.handle(record)
