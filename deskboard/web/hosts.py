"""Answer only the host names of DESKBOARD_ALLOWED_HOSTS (a forged Host cannot poison links,
cookies or the CSP's socket origin); the refusal is JSON, as every other error."""

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from deskboard.core.errors import error_response


def host_name(header: str) -> str:
    """The name of a Host header, port dropped ("[::1]:8000" gives "::1")."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else ""
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class AllowedHosts:
    """ASGI middleware. Entries: exact names, "*.example.com" for subdomains, "*" for any."""

    def __init__(self, app: ASGIApp, allowed: list[str]):
        self.app = app
        names = [name.strip().lower() for name in allowed]
        self.any = "*" in names
        self.exact = {name.strip("[]") for name in names if not name.startswith("*")}
        self.suffixes = tuple(name[1:] for name in names if name.startswith("*."))

    def allows(self, header: str) -> bool:
        name = host_name(header)
        return self.any or name in self.exact or (bool(name) and name.endswith(self.suffixes))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or self.allows(
            Headers(scope=scope).get("host", "")
        ):
            await self.app(scope, receive, send)
        elif scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})  # the handshake gets 403
        else:
            await error_response(400, "Invalid host header")(scope, receive, send)
