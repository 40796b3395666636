"""A real `deskboard serve` on SIGTERM: the in-flight request finishes, open sockets get 1012
(service restart: reconnect), the process exits 0; its log is JSON lines with request ids."""

import asyncio
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from deskboard.auth.models import User
from deskboard.auth.security import create_access_token, hash_password
from deskboard.config import Settings, get_settings
from deskboard.db import Database
from tests.ops.helpers import DESKBOARD, run_deskboard
from tests.ops.test_readyz import closed_port

ROOT = Path(__file__).resolve().parents[2]


async def _make_agent(database_url: str) -> User:
    database = Database(Settings(database_url=database_url))
    user = User(email="agent@example.test", name="Agent", role="agent",
                password_hash=hash_password("correct-horse-battery"))  # fmt: skip
    async with database.unit_of_work() as session:
        session.add(user)
    await database.dispose()
    return user


async def _wait_up(base: str, process: asyncio.subprocess.Process) -> None:
    async with httpx.AsyncClient() as http:
        for _ in range(600):
            assert process.returncode is None, "the server exited at start-up"
            try:
                if (await http.get(f"{base}/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("the server did not come up")


async def _start_slow_post(
    port: int, token: str
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter, bytes]:
    """Send a ticket POST's headers and half its body: a request in flight at SIGTERM."""
    body = json.dumps({"title": "Filed during shutdown", "description": "drained"}).encode()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (
        f"POST /api/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        "X-Request-ID: in-flight-1\r\n\r\n"
    )
    writer.write(head.encode() + body[:10])
    await writer.drain()
    return reader, writer, body[10:]


async def test_sigterm_drains_closes_sockets_with_1012_and_exits_0(tmp_path):
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'deskboard.db'}"
    env = {
        "DESKBOARD_DATA_DIR": str(tmp_path),
        "DESKBOARD_DATABASE_URL": database_url,
        "DESKBOARD_SECRET_KEY": get_settings().resolved_secret_key,
        "DESKBOARD_LOG_FORMAT": "json",
        "DESKBOARD_DUE_SOON_SWEEP_SECONDS": "0",
        "DESKBOARD_SLA_SWEEP_SECONDS": "0",
        "DESKBOARD_ENV": "test",
    }
    assert (await asyncio.to_thread(run_deskboard, "migrate", env=env)).returncode == 0
    agent = await _make_agent(database_url)
    token = create_access_token(agent.id, agent.role, version=agent.token_version)
    port = closed_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DESKBOARD_")}
    with log.open("wb") as stderr:
        process = await asyncio.create_subprocess_exec(
            *DESKBOARD, "serve", "--port", str(port),
            env={**clean, **env}, stderr=stderr, stdout=subprocess.DEVNULL, cwd=ROOT,
        )  # fmt: skip
    try:
        await _wait_up(base, process)
        async with httpx.AsyncClient(base_url=base) as http:
            listed = await http.get(
                "/api/tickets?limit=5",
                headers={"Authorization": f"Bearer {token}", "X-Request-ID": "list-before-stop"},
            )
        assert listed.status_code == 200
        assert listed.headers["X-Request-ID"] == "list-before-stop"

        socket = await connect(
            f"ws://127.0.0.1:{port}/api/ws", additional_headers={"X-Request-ID": "socket-1"}
        )
        assert socket.response is not None
        assert socket.response.headers["X-Request-ID"] == "socket-1"
        await socket.send(json.dumps({"type": "auth", "token": token}))
        assert json.loads(await socket.recv())["type"] == "ready"
        reader, writer, rest = await _start_slow_post(port, token)
        await asyncio.sleep(0.2)

        stopped_at = time.monotonic()
        process.send_signal(signal.SIGTERM)
        try:
            async with asyncio.timeout(10):
                while True:
                    await socket.recv()
        except ConnectionClosed as closed:
            assert closed.rcvd is not None and closed.rcvd.code == 1012
        # The request in flight at SIGTERM is answered, then its connection closes.
        writer.write(rest)
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(), 10)
        writer.close()
        assert answer.startswith(b"HTTP/1.1 201"), answer[:200]
        code = await asyncio.wait_for(process.wait(), 15)
        assert code == 0
        assert time.monotonic() - stopped_at < 10
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()

    lines = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    access = {line["request_id"]: line for line in lines if line["logger"] == "deskboard.access"}
    assert access["list-before-stop"] | {"duration_ms": 0} == access["list-before-stop"] | {
        "method": "GET",
        "path": "/api/tickets",
        "status": 200,
        "user_id": agent.id,
        "client": "127.0.0.1",
        "duration_ms": 0,
    }
    assert access["in-flight-1"]["status"] == 201
    assert access["socket-1"]["method"] == "WS" and access["socket-1"]["path"] == "/api/ws"
    assert all({"time", "level", "logger", "message", "request_id"} <= set(line) for line in lines)
