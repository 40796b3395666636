"""The floor: a bare Starlette + asyncpg app doing the ticket list's work and nothing else.

Same token check (PyJWT decode of our access token, then the user row read afresh: active and
token version), same SQL (compiled once from the service's own statement, so the database does
identical work), same JSON (the same serialiser over the same row shape). No ORM, no
dependency injection, no middleware, no per-request session or transaction. Whatever the real
app costs above this is framework and structure, which is what bench/speed.py measures.

Served by `uvicorn bench.floor:create_app --factory`; reads DESKBOARD_DATABASE_URL and
DESKBOARD_SECRET_KEY like the app.
"""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import jwt
from sqlalchemy.dialects import postgresql
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from deskboard.auth.models import User
from deskboard.core.cursor import encode_cursor
from deskboard.core.time import utcnow
from deskboard.tickets import listing
from deskboard.tickets.filters import TicketFilter
from deskboard.tickets.paging import TicketSort, apply_sort_and_cursor
from deskboard.tickets.querying import apply_ticket_filter

LIMIT = 50
_USER_SQL = "SELECT id, is_active, token_version, role FROM users WHERE id = $1"


def compiled_page_sql(ticket_filter: TicketFilter, role: str) -> str:
    """The list's SQL for one filter (first page, -updated_at), as the service would send it."""
    viewer = User(id=0, role=role)
    stmt = apply_ticket_filter(listing.page_select(), ticket_filter, viewer=viewer)
    stmt = apply_sort_and_cursor(stmt, TicketSort.updated_at_desc, None, LIMIT)
    return str(
        stmt.compile(dialect=postgresql.asyncpg.dialect(), compile_kwargs={"literal_binds": True})
    )


QUERIES = {
    "list": TicketFilter(status=["open"]),
    "search": TicketFilter(q="vpn"),
}


async def _no_reset(_connection: asyncpg.Connection) -> None:
    return None


def _unauthorized() -> Response:
    return JSONResponse({"detail": "Not authenticated"}, status_code=401)


def create_app() -> Starlette:
    secret = os.environ["DESKBOARD_SECRET_KEY"]
    dsn = os.environ["DESKBOARD_DATABASE_URL"].replace("postgresql+asyncpg://", "postgresql://")
    sql = {name: compiled_page_sql(f, "agent") for name, f in QUERIES.items()}
    state: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        # No reset query on release (asyncpg's default sends one round trip per request): the
        # floor holds no session state to clear, and a lean floor makes the ratio honest.
        state["pool"] = await asyncpg.create_pool(dsn, min_size=16, max_size=16, reset=_no_reset)
        yield
        await state["pool"].close()

    async def tickets(request: Request) -> Response:
        header = request.headers.get("authorization", "")
        if not header.lower().startswith("bearer "):
            return _unauthorized()
        try:
            claims = jwt.decode(
                header[7:], secret, algorithms=["HS256"], options={"require": ["sub", "exp"]}
            )
            user_id = int(claims["sub"])
        except (jwt.PyJWTError, TypeError, ValueError):
            return _unauthorized()
        query = "search" if request.query_params.get("q") else "list"
        async with state["pool"].acquire() as connection:
            user = await connection.fetchrow(_USER_SQL, user_id)
            if user is None or not user["is_active"] or claims.get("ver") != user["token_version"]:
                return _unauthorized()
            rows = await connection.fetch(sql[query])
        now = utcnow()
        items = [listing.item_from_row(row, now) for row in rows[:LIMIT]]  # type: ignore[arg-type]
        cursor = None
        if len(rows) > LIMIT:
            last = rows[LIMIT - 1]
            cursor = encode_cursor("-updated_at", last["updated_at"], last["id"])
        body = listing.page_json({"items": items, "next_cursor": cursor})
        return Response(body, media_type="application/json")

    async def healthz(_request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    return Starlette(
        routes=[Route("/api/tickets", tickets), Route("/healthz", healthz)], lifespan=lifespan
    )
