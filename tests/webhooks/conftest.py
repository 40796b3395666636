"""Webhook test kit: a real HTTP receiver on loopback, and a hand-cranked delivery worker."""

import threading
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from deskboard.config import Settings
from deskboard.db import Database
from deskboard.webhooks import worker
from deskboard.webhooks.models import WebhookDelivery


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """An HTTP server on 127.0.0.1 that records every request and answers from a script."""

    url: str = ""
    requests: list[Received] = field(default_factory=list)
    answers: deque[tuple[int, bytes]] = field(default_factory=deque)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, *statuses: int, body: bytes = b"") -> None:
        """Answer the next requests with these statuses (then 200)."""
        self.answers.extend((status, body) for status in statuses)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the http.server naming)
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            with state.lock:
                state.requests.append(Received(self.path, dict(self.headers.items()), body))
                status, text = state.answers.popleft() if state.answers else (200, b"thanks")
            self.send_response(status)
            self.send_header("Content-Length", str(len(text)))
            self.end_headers()
            self.wfile.write(text)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    class Server(ThreadingHTTPServer):
        request_queue_size = 128  # a worker's batch arrives at once; 5 would refuse some

    server = Server(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def worker_settings(settings: Settings) -> Settings:
    """The test settings with retries due at once (backoff itself is tested on its own)."""
    return settings.model_copy(
        update={"webhook_retry_base_seconds": 0.0, "webhook_max_attempts": 3}
    )


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5, follow_redirects=False, trust_env=False) as client:
        yield client


DeliverAll = Callable[..., Awaitable[int]]


@pytest.fixture
def deliver_all(
    database: Database, worker_settings: Settings, http: httpx.AsyncClient
) -> DeliverAll:
    """Run worker rounds until nothing is due; return the number of attempts made."""

    async def run(settings: Settings | None = None, rounds: int = 20) -> int:
        made = 0
        for _ in range(rounds):
            count = await worker.run_once(database, settings or worker_settings, http)
            if count == 0:
                return made
            made += count
        return made

    return run


@pytest.fixture
def deliveries(database: Database) -> Callable[[], Awaitable[list[WebhookDelivery]]]:
    async def read() -> list[WebhookDelivery]:
        async with database.sessionmaker() as session:
            stmt = select(WebhookDelivery).order_by(WebhookDelivery.id)
            return list((await session.execute(stmt)).scalars())

    return read


MakeWebhook = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
def make_webhook() -> MakeWebhook:
    async def factory(http: httpx.AsyncClient, url: str, **fields: Any) -> Any:
        body = {"url": url, "events": ["ticket.created", "ticket.updated"], **fields}
        response = await http.post("/api/webhooks", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    return factory
