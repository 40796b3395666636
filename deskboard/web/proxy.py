"""Believe X-Forwarded-For/-Proto/-Host only from DESKBOARD_TRUSTED_PROXIES: the one place that
decides the client address, scheme and host (`deskboard serve` turns uvicorn's own logic off)."""

import re
from collections.abc import Iterable
from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network

from starlette.types import ASGIApp, Receive, Scope, Send

IPAddress = IPv4Address | IPv6Address
FORWARDED = (b"x-forwarded-for", b"x-forwarded-proto", b"x-forwarded-host")
# A host name, IPv4 or bracketed IPv6, with an optional port: nothing that could split a header.
_HOST = re.compile(r"^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$")


def parse_address(value: str) -> IPAddress | None:
    """An IP from a forwarded hop ("1.2.3.4", "1.2.3.4:80", "[::1]:80"), or None."""
    value = value.strip()
    if value.startswith("["):
        value = value[1 : value.find("]")] if "]" in value else ""
    elif value.count(":") == 1:
        value = value.split(":")[0]
    try:
        return ip_address(value)
    except ValueError:
        return None


def is_valid_host(value: str) -> bool:
    return bool(_HOST.match(value))


class TrustedProxies:
    """The networks of DESKBOARD_TRUSTED_PROXIES; an empty list trusts nobody."""

    def __init__(self, entries: Iterable[str]):
        self.networks = [ip_network(entry.strip(), strict=False) for entry in entries]

    def trusts(self, address: IPAddress | None) -> bool:
        return address is not None and any(address in network for network in self.networks)

    def client_from(self, peer: str, forwarded_for: list[str]) -> str:
        """The rightmost hop that is not a trusted proxy (all trusted: the leftmost)."""
        nearest = peer
        for hop in reversed(forwarded_for):
            address = parse_address(hop)
            if address is None:  # garbage where a proxy should have written an address
                return nearest
            nearest = str(address)
            if not self.trusts(address):
                return nearest
        return nearest


def _values(headers: list[tuple[bytes, bytes]], name: bytes) -> list[str]:
    """Every comma-separated value of a header, over all its occurrences, in order."""
    joined = ",".join(v.decode("latin-1") for k, v in headers if k == name)
    return [part.strip() for part in joined.split(",") if part.strip()]


class ForwardedHeaders:
    """ASGI middleware: rewrite scope client/scheme/Host from a trusted peer's forwarded headers;
    from any other peer drop those headers, so no code below can be fooled by them."""

    def __init__(self, app: ASGIApp, trusted: Iterable[str]):
        self.app = app
        self.proxies = TrustedProxies(trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            scope = self.resolve(scope)
        await self.app(scope, receive, send)

    def resolve(self, scope: Scope) -> Scope:
        headers: list[tuple[bytes, bytes]] = list(scope.get("headers") or [])
        client = scope.get("client")
        # Trusting nobody (the default) needs no address parsed: 2% of a list request's CPU.
        peer = parse_address(client[0]) if client and self.proxies.networks else None
        if not self.proxies.trusts(peer):
            if any(k in FORWARDED for k, _ in headers):
                headers = [(k, v) for k, v in headers if k not in FORWARDED]
                return {**scope, "headers": headers}
            return scope
        scope = dict(scope)
        assert client is not None  # a trusted peer has an address
        forwarded_for = _values(headers, b"x-forwarded-for")
        if forwarded_for:
            scope["client"] = (self.proxies.client_from(str(peer), forwarded_for), 0)
        protos = _values(headers, b"x-forwarded-proto")
        if protos and protos[-1].lower() in ("http", "https"):
            secure = protos[-1].lower() == "https"
            if scope["type"] == "websocket":
                scope["scheme"] = "wss" if secure else "ws"
            else:
                scope["scheme"] = "https" if secure else "http"
        hosts = _values(headers, b"x-forwarded-host")
        if hosts and is_valid_host(hosts[-1]):
            headers = [(k, v) for k, v in headers if k != b"host"]
            headers.append((b"host", hosts[-1].encode("latin-1")))
        scope["headers"] = headers
        return scope
