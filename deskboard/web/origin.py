"""Same-origin check for the endpoints a cookie authenticates (refresh, logout)."""

from urllib.parse import urlsplit

from fastapi import Depends, Request

from deskboard.core.errors import Forbidden

_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin_of(url: str) -> tuple[str, str, int | None] | None:
    try:
        parts = urlsplit(url)
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        return None
    if not parts.scheme or not parts.hostname:
        return None
    return parts.scheme.lower(), parts.hostname.lower(), port


def require_same_origin(request: Request) -> None:
    """403 unless Origin, when sent, is this app's own (scheme and host after trusted proxies).

    A request without Origin passes: browsers send Origin on every cross-origin POST, and the
    refresh cookie is SameSite=strict, so a cross-site page cannot make the browser attach it
    either way; clients that are not browsers send no Origin and hold no one else's cookie.
    """
    sent = request.headers.get("origin")
    if sent is None:
        return
    own = _origin_of(f"{request.url.scheme}://{request.headers.get('host', '')}")
    if own is None or _origin_of(sent) != own:
        raise Forbidden("Cross-origin request refused")


SameOrigin = Depends(require_same_origin)
