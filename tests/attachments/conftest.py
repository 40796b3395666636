"""Attachment test kit: fast users, tickets through the API, uploads, small real files."""

import functools
import itertools
import struct
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest

from deskboard.app import create_app
from deskboard.attachments.storage import local_root, shard_path
from deskboard.auth.models import User
from deskboard.auth.security import hash_password
from deskboard.config import Settings
from deskboard.db import Database
from tests.conftest import TEST_PASSWORD, auth_headers

_emails = itertools.count(1)


@functools.cache
def _password_hash() -> str:
    return hash_password(TEST_PASSWORD)


@pytest.fixture
def make_user(database: Database) -> Callable[..., Awaitable[User]]:
    """The harness's user factory with the test password hashed once."""

    async def factory(role: str = "user", *, name: str | None = None) -> User:
        number = next(_emails)
        user = User(
            email=f"files-{role}{number}@example.test",
            name=name or f"{role} {number}",
            role=role,
            password_hash=_password_hash(),
            is_active=True,
        )
        async with database.unit_of_work() as session:
            session.add(user)
        return user

    return factory


def png_bytes(width: int = 2, height: int = 2, seed: int = 0) -> bytes:
    """A real, valid PNG (seed varies the pixels, so the sha256 differs)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(
        b"\x00" + bytes((seed + x + y) % 256 for x in range(width * 3)) for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


async def new_ticket(http: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    body = {"title": "Screen flickers", "description": "Since Monday.", **fields}
    response = await http.post("/api/tickets", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def upload(
    http: httpx.AsyncClient,
    ticket_id: int | None,
    content: bytes,
    filename: str = "notes.txt",
    *,
    internal: bool | None = None,
    expect: int = 201,
) -> dict[str, Any]:
    """POST one file (to a ticket, or as a draft when ticket_id is None)."""
    url = f"/api/tickets/{ticket_id}/attachments" if ticket_id else "/api/attachments"
    data = {} if internal is None else {"internal": "true" if internal else "false"}
    response = await http.post(url, files={"file": (filename, content)}, data=data)
    assert response.status_code == expect, response.text
    return dict(response.json())


def stored_path(settings: Settings, sha256: str):  # type: ignore[no-untyped-def]
    return local_root(settings) / shard_path(sha256)


@pytest.fixture
async def small_cap_client(
    settings: Settings, database: Database, make_user: Callable[..., Awaitable[User]]
) -> AsyncIterator[Callable[[User], httpx.AsyncClient]]:
    """Clients of an app whose attachment cap is 1,000 bytes."""
    small = settings.model_copy(update={"max_attachment_bytes": 1000})
    app = create_app(small, database)
    opened: list[httpx.AsyncClient] = []

    def factory(user: User) -> httpx.AsyncClient:
        http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://test",
            headers=auth_headers(user),
        )
        opened.append(http)
        return http

    async with app.router.lifespan_context(app):
        yield factory
    for http in opened:
        await http.aclose()
