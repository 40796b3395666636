"""X-Request-ID on every answer, the access log line, and the id carried into events."""

import asyncio
import json
import logging
import re

import httpx
import pytest
from fastapi import FastAPI

from deskboard.auth.security import create_access_token
from deskboard.ops.logs import RequestIdFilter
from deskboard.ops.requests import RequestContext
from deskboard.realtime.log import encode_event, log_event

GENERATED = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def access(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="deskboard.access")
    caplog.handler.addFilter(RequestIdFilter())  # as the real handler does, at emission
    return caplog


def _access_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "deskboard.access"]


async def test_every_answer_has_a_request_id(client):
    answers = [
        await client.get("/healthz"),
        await client.get("/api/nothing-here"),
        await client.get("/api/tickets"),  # 401
        await client.post("/api/anything", content=b"x" * (1024 * 1024 + 1)),  # 413
    ]
    ids = [answer.headers["X-Request-ID"] for answer in answers]
    assert all(GENERATED.fullmatch(value) for value in ids), ids
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("sent", ["abc-123", "req:2026-12-05T10.00_x", "A" * 128])
async def test_a_well_formed_client_id_is_kept(client, sent):
    response = await client.get("/healthz", headers={"X-Request-ID": sent})
    assert response.headers["X-Request-ID"] == sent


@pytest.mark.parametrize("sent", ["", "A" * 129, "has space", "semi;colon", "ünï", "a\tb"])
async def test_a_malformed_client_id_is_replaced(client, sent):
    response = await client.get("/healthz", headers={"X-Request-ID": sent.encode()})
    assert GENERATED.fullmatch(response.headers["X-Request-ID"])


async def test_the_access_line_names_the_request_and_its_caller(as_agent, access):
    response = await as_agent.get(
        "/api/tickets?q=secret-search&limit=5", headers={"X-Request-ID": "trace-me-1"}
    )
    assert response.status_code == 200
    (line,) = [r for r in _access_records(access) if r.request_id == "trace-me-1"]
    assert line.method == "GET"
    assert line.path == "/api/tickets"  # no query string: it may carry secrets
    assert "secret" not in line.getMessage()
    assert line.status == 200
    assert line.user_id == as_agent.user.id
    assert line.client == "127.0.0.1"
    assert 0 < line.duration_ms < 10_000


async def test_an_anonymous_refusal_is_logged_without_a_user(client, access):
    await client.get("/api/tickets", headers={"X-Request-ID": "anon-1"})
    (line,) = [r for r in _access_records(access) if r.request_id == "anon-1"]
    assert (line.status, line.user_id) == (401, None)


async def test_the_request_id_reaches_the_events_it_raises(as_user, published):
    response = await as_user.post(
        "/api/tickets",
        json={"title": "Traced", "description": "x"},
        headers={"X-Request-ID": "create-ticket-7"},
    )
    assert response.status_code == 201
    (event,) = [e for e in published if e.type == "ticket.created"]
    assert event.request_id == "create-ticket-7"
    # Kept in the shared log (Redis) for other processes' lines, not sent to browsers.
    assert json.loads(encode_event(event))["request_id"] == "create-ticket-7"
    assert "request_id" not in json.loads(log_event((1, 0), event).wire)


async def test_other_log_lines_of_the_request_carry_its_id(access):
    app = FastAPI()
    app.add_middleware(RequestContext)

    @app.get("/work")
    async def work() -> dict[str, str]:
        logging.getLogger("deskboard.test").warning("inside the request")
        return {}

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("bug")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        await http.get("/work", headers={"X-Request-ID": "inner-1"})
        crashed = await http.get("/boom", headers={"X-Request-ID": "crash-1"})
    (inside,) = [r for r in access.records if r.getMessage() == "inside the request"]
    assert inside.request_id == "inner-1"
    # An unhandled error is still a JSON 500 with the id, and is logged as a 500.
    assert crashed.status_code == 500
    assert crashed.headers["X-Request-ID"] == "crash-1"
    assert crashed.json() == {"detail": "Internal server error"}
    (line,) = [r for r in _access_records(access) if r.request_id == "crash-1"]
    assert line.status == 500


async def test_a_sockets_log_lines_carry_the_id_of_its_handshake(open_socket, make_user, access):
    from tests.ops.test_readyz import closed_port
    from tests.ops.test_unavailable import serving_from

    user = await make_user("agent")
    socket = await open_socket(additional_headers={"X-Request-ID": "socket-trace-9"})
    assert socket.connection.response.headers["X-Request-ID"] == "socket-trace-9"
    # The database goes away before the socket authenticates: the session logs why it closes.
    async with serving_from(f"postgresql+asyncpg://postgres@127.0.0.1:{closed_port()}/x"):
        token = create_access_token(user.id, user.role, version=user.token_version)
        await socket.send({"type": "auth", "token": token})
        assert await socket.close_code() == 1011
    (failure,) = [r for r in access.records if r.getMessage() == "Authenticating a socket failed"]
    assert failure.request_id == "socket-trace-9"
    for _ in range(100):  # the access line is written when the session's handler returns
        lines = [r for r in _access_records(access) if r.request_id == "socket-trace-9"]
        if lines:
            break
        await asyncio.sleep(0.02)
    assert (lines[0].method, lines[0].path, lines[0].status) == ("WS", "/api/ws", 1011)
