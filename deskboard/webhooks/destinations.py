"""Where a webhook may send: http(s) URLs without credentials, and (SSRF guard) no private,
loopback or link-local address unless DESKBOARD_WEBHOOK_ALLOW_PRIVATE is on."""

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class DestinationRefused(Exception):
    """The URL may not be called; the message says why (shown in the delivery log or a 422)."""


def check_url(url: str) -> str:
    """Return the URL if its form is acceptable; raise ValueError saying why not."""
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a bad port
    except ValueError as exc:
        raise ValueError(f"not a valid URL: {exc}") from None
    if parts.scheme not in ("http", "https"):
        raise ValueError("only http and https URLs may be called")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise ValueError("credentials in the URL are refused: use the signing secret instead")
    if not parts.hostname:
        raise ValueError("the URL names no host")
    if port == 0:
        raise ValueError("port 0 is not a destination")
    if parts.fragment:
        raise ValueError("a URL fragment is never sent: remove it")
    return url


def is_private(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


def literal_address(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


async def check_destination(url: str, *, allow_private: bool) -> None:
    """Resolve the URL's host and refuse private destinations (unless allowed). A name that
    resolves to several addresses is refused if any of them is private."""
    if allow_private:
        return
    parts = urlsplit(url)
    host = parts.hostname or ""
    literal = literal_address(host)
    if literal is not None:
        addresses = [literal]
    else:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise DestinationRefused(f"cannot resolve {host}: {exc}") from None
        addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    for address in addresses:
        if is_private(address):
            raise DestinationRefused(
                f"{host} is a private address ({address}); "
                "set DESKBOARD_WEBHOOK_ALLOW_PRIVATE=true to allow it"
            )
