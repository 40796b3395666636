"""Per-request context (request id, caller) readable anywhere: log lines, events."""

from contextvars import ContextVar, Token
from dataclasses import dataclass


@dataclass
class RequestInfo:
    """Mutable, so a dependency deep in the call can fill in the caller for the access log."""

    request_id: str
    user_id: int | None = None


_current: ContextVar[RequestInfo | None] = ContextVar("deskboard_request", default=None)


def begin(request_id: str) -> tuple[RequestInfo, Token[RequestInfo | None]]:
    """Make `request_id` current; hand the token to `end` when the request is over."""
    info = RequestInfo(request_id)
    return info, _current.set(info)


def end(token: Token[RequestInfo | None]) -> None:
    _current.reset(token)


def current() -> RequestInfo | None:
    return _current.get()


def request_id() -> str | None:
    info = _current.get()
    return info.request_id if info is not None else None


def note_user(user_id: int) -> None:
    """Record who is calling (the access log line names them)."""
    info = _current.get()
    if info is not None:
        info.user_id = user_id
