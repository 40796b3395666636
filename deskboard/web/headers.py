"""Security headers on every HTTP response: CSP (inline scripts admitted by hash), framing,
sniffing, referrer, permissions and, under https, HSTS."""

import base64
import hashlib
import re
from pathlib import Path

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from deskboard.core.errors import error_response
from deskboard.web.proxy import is_valid_host

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script>", re.S | re.I)

# Features the help desk never uses: a compromised or injected script cannot ask for them.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)

_RAW_CACHE_SIZE = 64
STATIC_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def inline_script_hashes(index_html: Path) -> list[str]:
    """CSP sources ('sha256-...') of the inline scripts of the built page, read at start-up so
    the policy always admits exactly the scripts that page has."""
    try:
        page = index_html.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return [
        "'sha256-{}'".format(
            base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        )
        for body in _INLINE_SCRIPT.findall(page)
    ]


def content_security_policy(script_hashes: list[str], *, host: str | None, secure: bool) -> str:
    # 'self' covers same-origin WebSockets in CSP3 browsers; the explicit ws(s) origin is for
    # older ones. img-src has no remote hosts: markdown cannot load tracking pixels.
    socket = f" {'wss' if secure else 'ws'}://{host}" if host and is_valid_host(host) else ""
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(["'self'", *script_hashes]),
        "style-src": "'self'",
        "img-src": "'self' data: blob:",
        "font-src": "'self'",
        "connect-src": f"'self'{socket}",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
        # Plugins in iframe mode: a same-origin host page that is itself sandboxed (its own
        # CSP says `sandbox allow-scripts`, deskboard/plugins/static.py).
        "frame-src": "'self'",
        "worker-src": "'self' blob:",
        "manifest-src": "'self'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class SecurityHeaders:
    """ASGI middleware; a response that sets its own Content-Security-Policy keeps it."""

    def __init__(self, app: ASGIApp, *, index_html: Path, hsts_seconds: int):
        self.app = app
        self.script_hashes = inline_script_hashes(index_html)
        self.hsts = f"max-age={hsts_seconds}" if hsts_seconds else None
        self._raw_cache: dict[tuple[bytes, bool], list[tuple[bytes, bytes]]] = {}

    def headers_for(self, scope: Scope) -> dict[str, str]:
        secure = scope.get("scheme") == "https"
        host = Headers(scope=scope).get("host")
        headers = {
            **STATIC_HEADERS,
            "Content-Security-Policy": content_security_policy(
                self.script_hashes, host=host, secure=secure
            ),
        }
        if secure and self.hsts:
            headers["Strict-Transport-Security"] = self.hsts
        return headers

    def _raw_headers_for(self, scope: Scope) -> list[tuple[bytes, bytes]]:
        # The same few hosts and schemes answer every request: build their headers once each.
        host = next((value for name, value in scope["headers"] if name == b"host"), b"")
        key = (host, scope.get("scheme") == "https")
        raw = self._raw_cache.get(key)
        if raw is None:
            raw = [
                (name.lower().encode("latin-1"), value.encode("latin-1"))
                for name, value in self.headers_for(scope).items()
            ]
            if len(self._raw_cache) >= _RAW_CACHE_SIZE:  # forged Host headers cannot grow it
                self._raw_cache.clear()
            self._raw_cache[key] = raw
        return raw

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers.extend(
                    header for header in self._raw_headers_for(scope) if header[0] not in present
                )
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            # Starlette's error page is sent outside every middleware: send the 500 here, with
            # the headers, and re-raise so the server still logs the exception.
            if not started:
                await error_response(500, "Internal Server Error")(
                    scope, receive, send_with_headers
                )
            raise
