"""Web hardening kit: apps built with other settings, and real `deskboard serve` processes."""

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from deskboard.app import create_app
from deskboard.auth.ratelimit import reset_rate_limits
from deskboard.config import Settings
from deskboard.db import Database
from tests.conftest import register_reset

register_reset(reset_rate_limits)

MakeClient = Callable[..., Awaitable[httpx.AsyncClient]]


@pytest.fixture
async def client_with(settings: Settings, database: Database) -> AsyncIterator[MakeClient]:
    """Factory: an ASGI client of an app built with some settings changed.

    `peer` is the client address the server sees; `base_url` its scheme and host.
    """
    stack = contextlib.AsyncExitStack()

    async def factory(
        *, peer: str = "127.0.0.1", base_url: str = "http://test", **changes: Any
    ) -> httpx.AsyncClient:
        application = create_app(settings.model_copy(update=changes), database)
        await stack.enter_async_context(application.router.lifespan_context(application))
        transport = httpx.ASGITransport(app=application, client=(peer, 40000))
        return await stack.enter_async_context(
            httpx.AsyncClient(transport=transport, base_url=base_url)
        )

    yield factory
    await stack.aclose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    base_url: str
    verify: str | bool

    def client(self, **options: Any) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, verify=self.verify, **options)


def serve_command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "deskboard.cli", "serve", *arguments]


@contextlib.contextmanager
def deskboard_serve(
    *arguments: str, env: dict[str, str] | None = None, tls: tuple[Path, Path] | None = None
) -> Iterator[Served]:
    """A real `deskboard serve` on a free loopback port, on the test database; stopped after."""
    port = free_port()
    command = serve_command("--host", "127.0.0.1", "--port", str(port), *arguments)
    if tls:
        command += ["--certfile", str(tls[0]), "--keyfile", str(tls[1])]
    process = subprocess.Popen(command, env={**os.environ, **(env or {})})
    scheme = "https" if tls else "http"
    served = Served(process, f"{scheme}://127.0.0.1:{port}", str(tls[0]) if tls else True)
    try:
        _wait_until_up(served)
        yield served
    finally:
        process.terminate()
        process.wait(timeout=15)


def _wait_until_up(served: Served) -> None:
    deadline = time.monotonic() + 120  # a loaded machine imports slowly
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            raise RuntimeError(f"deskboard serve exited with {served.process.returncode}")
        try:
            with served.client(timeout=2) as http:
                if http.get("/healthz").status_code == 200:
                    return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("deskboard serve did not start")


@pytest.fixture(scope="session")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A throwaway certificate for 127.0.0.1 and localhost, made with openssl."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert),
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key
