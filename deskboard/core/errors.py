"""Domain errors carry their HTTP status; one handler turns them into JSON."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException


class DomainError(Exception):
    status_code = 400
    default_detail = "Bad request"

    def __init__(self, detail: Any = None, *, headers: dict[str, str] | None = None, **extra: Any):
        self.detail = detail if detail is not None else self.default_detail
        self.headers = headers
        self.extra = extra  # extra top-level keys of the JSON body, e.g. "current" on a 409
        super().__init__(str(self.detail))


class BadRequest(DomainError):
    status_code = 400


class Unauthorized(DomainError):
    status_code = 401
    default_detail = "Not authenticated"

    def __init__(self, detail: Any = None, **extra: Any):
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"}, **extra)


class Forbidden(DomainError):
    status_code = 403
    default_detail = "You are not allowed to do this"


class NotFound(DomainError):
    status_code = 404
    default_detail = "Not found"


class Conflict(DomainError):
    status_code = 409
    default_detail = "Conflict"


class Unprocessable(DomainError):
    """Semantic validation failures; detail is a list in FastAPI's 422 shape."""

    status_code = 422
    default_detail = "Invalid input"


class TooManyRequests(DomainError):
    status_code = 429
    default_detail = "Too many requests"


class PayloadTooLarge(DomainError):
    status_code = 413
    default_detail = "Request body too large"


def error_response(
    status_code: int, detail: Any, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    return JSONResponse({"detail": detail, **extra}, status_code=status_code, headers=headers)


# SQLSTATEs that mean "the server cannot serve you now", not "your statement is wrong":
# connection exceptions (08...), shutting down or starting up (57P01-57P03, e.g. asyncpg's
# CannotConnectNowError while PostgreSQL restarts) and too many connections (53300).
_UNAVAILABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03", "53300")


def database_unavailable(exc: DBAPIError) -> bool:
    """Whether a database error is worth retrying shortly (503) rather than a bug (500)."""
    if exc.connection_invalidated or isinstance(exc, OperationalError | InterfaceError):
        return True
    sqlstate = getattr(exc.orig, "sqlstate", None)
    return isinstance(sqlstate, str) and sqlstate.startswith(_UNAVAILABLE_SQLSTATES)


def _unavailable() -> JSONResponse:
    return error_response(503, "The database is unavailable; retry shortly", {"Retry-After": "1"})


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError) -> JSONResponse:
        return error_response(exc.status_code, exc.detail, exc.headers, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {k: v for k, v in err.items() if k in ("loc", "msg", "type")} for err in exc.errors()
        ]
        return error_response(422, errors)

    @app.exception_handler(DBAPIError)
    async def _database(_: Request, exc: DBAPIError) -> JSONResponse:
        if database_unavailable(exc):
            return _unavailable()
        raise exc

    @app.exception_handler(ConnectionError)
    async def _unreachable(_: Request, exc: ConnectionError) -> JSONResponse:
        # Raised unwrapped by the driver when no connection can be opened (refused, reset).
        return _unavailable()

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return error_response(exc.status_code, exc.detail, getattr(exc, "headers", None))
