"""Faults with writers running the whole time, on a PostgreSQL cluster and a redis-server of
our own (started here, on free ports; the shared servers are never touched), two replicas
behind nginx: PostgreSQL restarted, Redis paused and stopped, an API process SIGKILLed and
restarted, the proxy's upstream flapping. Afterwards every acknowledged write is stored exactly
once and every write answered with an error was settled by retrying with its Idempotency-Key
(stored once, or replayed); no answer was a 500; sockets resynchronised and still get events.
Then an event whose process died between commit and publish still reaches a socket (outbox).

Figures: DESKBOARD_RELIABILITY_REPORT=path writes the counts as JSON (see RELIABILITY.md).
"""

import asyncio
import collections
import contextlib
import json
import os
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from tests.deploy.cluster import (
    PASSWORD,
    SECRET,
    Flapper,
    Proxy,
    Replica,
    ThrowawayPostgres,
    ThrowawayRedis,
    clean_env,
    prepare_database,
    processes,
)
from tests.deploy.conftest import postgres_base_url, require_tools
from tests.ops.helpers import rows

RUN = uuid.uuid4().hex[:6]
AGENT = f"agent-{RUN}@example.test"


@dataclass
class Faulty:
    pg: ThrowawayPostgres
    redis: ThrowawayRedis
    replicas: list[Replica]
    proxy: Proxy
    # The second replica is reached through a hop that can flap.
    flapper: Flapper
    token: str = ""

    @property
    def upstreams(self) -> list[str]:
        """The addresses nginx knows the replicas by (X-Upstream)."""
        return [self.replicas[0].address, self.flapper.address]

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=self.proxy.url, verify=self.proxy.ssl_context(), timeout=60
        )


@pytest.fixture(scope="module")
def faulty() -> Iterator[Faulty]:
    postgres_base_url()  # the deploy tests run in the PostgreSQL pass only
    require_tools("nginx", "redis-server", "initdb")
    work = Path(tempfile.mkdtemp(prefix="deskboard-faults-"))
    pg, redis = ThrowawayPostgres(work / "pg"), ThrowawayRedis(work)
    work.chmod(0o711)  # the postgres user reaches its own folder inside
    (work / "pg").mkdir()
    with processes(pg, redis):
        pg.start()
        redis.start()
        prepare_database(pg.url, [(AGENT, "agent")])
        settings = {
            "DESKBOARD_ENV": "production",
            "DESKBOARD_DATABASE_URL": pg.url,
            "DESKBOARD_REDIS_URL": redis.url,
            "DESKBOARD_SECRET_KEY": SECRET,
            "DESKBOARD_ALLOWED_HOSTS": "localhost,127.0.0.1,127.0.0.5,127.0.0.6",
            "DESKBOARD_TRUSTED_PROXIES": "127.0.0.1/32",
            "DESKBOARD_METRICS_TOKEN": "metrics-token",
            "DESKBOARD_LOG_FORMAT": "json",
            "DESKBOARD_DUE_SOON_SWEEP_SECONDS": "1",
            "DESKBOARD_EVENT_OUTBOX_SECONDS": "0.5",
            "DESKBOARD_WEBHOOK_POLL_SECONDS": "0",
            "DESKBOARD_SHUTDOWN_GRACE_SECONDS": "2",
            "DESKBOARD_ACCESS_TOKEN_MINUTES": "60",
        }
        replicas = [
            Replica(
                f"api-{n + 1}",
                host,
                clean_env(**settings, DESKBOARD_DATA_DIR=str(work / f"api-{n + 1}")),
                work,
            )
            for n, host in enumerate(["127.0.0.5", "127.0.0.6"])
        ]
        flapper = Flapper("127.0.0.7", (replicas[1].host, replicas[1].port))
        proxy = Proxy(work / "proxy", [replicas[0].address, flapper.address])
        with processes(*replicas, flapper, proxy):
            for replica in replicas:
                replica.start(wait=False)
            for replica in replicas:
                replica.wait_ready()
            flapper.up()
            proxy.start()
            login = httpx.post(
                f"{proxy.url}/api/auth/login",
                json={"email": AGENT, "password": PASSWORD},
                verify=proxy.ssl_context(),
                timeout=60,
            )
            assert login.status_code == 200, login.text
            yield Faulty(pg, redis, replicas, proxy, flapper, login.json()["access_token"])


@dataclass
class Tally:
    answers: collections.Counter[str] = field(default_factory=collections.Counter)
    acknowledged: set[str] = field(default_factory=set)
    retried_keys: set[str] = field(default_factory=set)
    # Writes answered with an error the first time that had in fact committed: the retry with
    # the same key got the stored answer back (Idempotent-Replayed) instead of a duplicate.
    replayed: set[str] = field(default_factory=set)
    reads: collections.Counter[str] = field(default_factory=collections.Counter)
    missing_retry_after: int = 0


def _kind(answer: httpx.Response | None, error: Exception | None) -> str:
    if error is not None:
        return f"transport:{type(error).__name__}"
    assert answer is not None
    return str(answer.status_code)


async def _write_forever(faulty: Faulty, tally: Tally, writer: int, stop: asyncio.Event) -> None:
    async with faulty.client() as http:
        n = 0
        while not stop.is_set():
            key = f"fault-{RUN}-{writer}-{n}"
            n += 1
            first = True
            while True:  # a write is settled only by a 201 (new or replayed) for its key
                answer: httpx.Response | None = None
                error: Exception | None = None
                try:
                    answer = await http.post(
                        "/api/tickets",
                        json={"title": key},
                        headers={**faulty.auth, "Idempotency-Key": key},
                    )
                except httpx.TransportError as exc:
                    error = exc
                kind = _kind(answer, error)
                tally.answers[kind] += 1
                if (
                    answer is not None
                    and answer.status_code == 503
                    and ("Retry-After" not in answer.headers)
                ):
                    tally.missing_retry_after += 1
                if answer is not None and answer.status_code == 201:
                    tally.acknowledged.add(key)
                    if not first and answer.headers.get("Idempotent-Replayed") == "true":
                        tally.replayed.add(key)
                    break
                if answer is not None and answer.status_code == 500:
                    break  # counted; the test fails on it
                first = False
                tally.retried_keys.add(key)
                await asyncio.sleep(0.2)
            await asyncio.sleep(0.05)


async def _read_forever(faulty: Faulty, tally: Tally, stop: asyncio.Event) -> None:
    async with faulty.client() as http:
        while not stop.is_set():
            try:
                answer = await http.get("/api/tickets", params={"limit": 5}, headers=faulty.auth)
                tally.reads[str(answer.status_code)] += 1
                if answer.status_code == 503 and "Retry-After" not in answer.headers:
                    tally.missing_retry_after += 1
            except httpx.TransportError as exc:
                tally.reads[f"transport:{type(exc).__name__}"] += 1
            await asyncio.sleep(0.1)


class Listener:
    """A browser tab's socket through the proxy: reconnects with last_event_id when dropped."""

    def __init__(self, faulty: Faulty) -> None:
        self.faulty = faulty
        self.last_event_id: str | None = None
        self.events: list[dict[str, Any]] = []
        self.resyncs = 0
        self.reconnects = 0
        self.upstream = ""
        self.connected = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> "Listener":
        self._task = asyncio.create_task(self._run())
        await asyncio.wait_for(self.connected.wait(), 60)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    async def _run(self) -> None:
        while True:
            try:
                async with websockets.connect(
                    f"wss://localhost:{self.faulty.proxy.https_port}/api/ws",
                    ssl=self.faulty.proxy.ssl_context(),
                    origin=websockets.Origin(self.faulty.proxy.url),
                    open_timeout=30,
                ) as ws:
                    self.upstream = ws.response.headers["X-Upstream"]
                    hello: dict[str, Any] = {"type": "auth", "token": self.faulty.token}
                    if self.last_event_id:
                        hello["last_event_id"] = self.last_event_id
                    await ws.send(json.dumps(hello))
                    async for raw in ws:
                        message = json.loads(raw)
                        kind = message.get("type")
                        if kind == "ready":
                            self.last_event_id = message["last_event_id"]
                            self.connected.set()
                        elif kind == "resync":
                            self.resyncs += 1
                            self.last_event_id = message["last_event_id"]
                        elif kind == "ping":
                            await ws.send(json.dumps({"type": "pong"}))
                        elif "id" in message:
                            self.events.append(message)
                            self.last_event_id = message["id"]
            except (TimeoutError, OSError, websockets.WebSocketException):
                pass
            self.connected.clear()
            self.reconnects += 1
            await asyncio.sleep(0.5)

    def saw_ticket(self, ticket_id: int) -> bool:
        return any(
            e["type"] == "ticket.created" and e["data"].get("id") == ticket_id for e in self.events
        )


async def _until(predicate: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, f"{what} not reached within {seconds:.0f}s"
        await asyncio.sleep(0.1)


async def _landing_on(faulty: Faulty, http: httpx.AsyncClient, upstream: str, title: str) -> int:
    """Create tickets until one is made by the replica at `upstream`; return its id."""
    for attempt in range(20):
        made = await http.post(
            "/api/tickets", json={"title": f"{title} {attempt}"}, headers=faulty.auth
        )
        assert made.status_code == 201, made.text
        if made.headers["X-Upstream"] == upstream:
            return int(made.json()["id"])
    raise AssertionError(f"no write landed on {upstream}")


@contextlib.asynccontextmanager
async def _traffic(faulty: Faulty, tally: Tally) -> AsyncIterator[None]:
    stop = asyncio.Event()
    tasks = [asyncio.create_task(_write_forever(faulty, tally, w, stop)) for w in range(3)]
    tasks.append(asyncio.create_task(_read_forever(faulty, tally, stop)))
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(*tasks), 180)


async def _in_rotation(http: httpx.AsyncClient, upstream: str, seconds: float = 60) -> None:
    """Wait until the proxy sends requests to `upstream` again (back from its penalty box)."""
    deadline = time.monotonic() + seconds
    while True:
        with contextlib.suppress(httpx.TransportError):
            if (await http.get("/healthz")).headers.get("X-Upstream") == upstream:
                return
        assert time.monotonic() < deadline, f"{upstream} not back in rotation"
        await asyncio.sleep(0.1)


async def _writes_flowing(tally: Tally, seconds: float = 120) -> None:
    """Wait until a few more writes are acknowledged (the system works again)."""
    start = len(tally.acknowledged)
    await _until(lambda: len(tally.acknowledged) >= start + 3, seconds, "writes flowing again")


async def test_writes_survive_every_fault(faulty: Faulty) -> None:
    tally = Tally()
    started = time.monotonic()
    async with Listener(faulty) as tab, faulty.client() as http, _traffic(faulty, tally):
        await _writes_flowing(tally)

        # 1. PostgreSQL restarted (fast shutdown, then start-up): 503 + Retry-After meanwhile.
        await asyncio.to_thread(faulty.pg.restart)
        await _writes_flowing(tally)

        # 2. Redis paused (SIGSTOP): the API keeps answering; then resumed.
        faulty.redis.pause()
        await _writes_flowing(tally)
        faulty.redis.resume()
        await _writes_flowing(tally)

        # 3. Redis stopped: writes go on, events reach sockets of the same process; then back.
        faulty.redis.stop()
        await _writes_flowing(tally)
        await _until(lambda: tab.connected.is_set(), 60, "the tab connected")
        local = await _landing_on(faulty, http, tab.upstream, "while Redis is down")
        await _until(lambda: tab.saw_ticket(local), 30, "a same-process event without Redis")
        resyncs_before = tab.resyncs
        await asyncio.to_thread(faulty.redis.start)
        await _until(lambda: tab.resyncs > resyncs_before, 60, "a resync after Redis returned")
        await _writes_flowing(tally)

        # 4. An API process SIGKILLed, then restarted.
        faulty.replicas[0].kill()
        await _writes_flowing(tally)
        await asyncio.to_thread(faulty.replicas[0].start)
        await _in_rotation(http, faulty.upstreams[0])
        await _writes_flowing(tally)

        # 5. The proxy's upstream flapping: the other replica's link down and up, five times.
        for _ in range(5):
            await asyncio.to_thread(faulty.flapper.down)
            await _writes_flowing(tally)
            await asyncio.to_thread(faulty.flapper.up)
            await _in_rotation(http, faulty.upstreams[1])
            await _writes_flowing(tally)

        # Real time works across replicas again: a new event reaches the tab wherever it is.
        await _until(lambda: tab.connected.is_set(), 60, "the tab reconnected")
        other = next(address for address in faulty.upstreams if address != tab.upstream)
        remote = await _landing_on(faulty, http, other, "after the faults")
        await _until(lambda: tab.saw_ticket(remote), 60, "a cross-replica event after faults")

    stored = collections.Counter(
        str(title)
        for (title,) in rows(
            faulty.pg.url, f"SELECT title FROM tickets WHERE title LIKE 'fault-{RUN}-%'"
        )
    )
    duplicated = sorted(title for title, count in stored.items() if count > 1)
    lost = sorted(tally.acknowledged - set(stored))
    unacknowledged_stored = sorted(set(stored) - tally.acknowledged)
    figures = {
        "seconds": round(time.monotonic() - started, 1),
        "writes": len(tally.acknowledged),
        "write_answers": dict(tally.answers),
        "read_answers": dict(tally.reads),
        "writes_retried": len(tally.retried_keys),
        "errors_that_had_committed_and_were_replayed": len(tally.replayed),
        "lost_writes": len(lost),
        "duplicated_writes": len(duplicated),
        "stored_without_acknowledgement": len(unacknowledged_stored),
        "503_without_retry_after": tally.missing_retry_after,
        "socket_resyncs": tab.resyncs,
        "socket_reconnects": tab.reconnects,
    }
    report = os.environ.get("DESKBOARD_RELIABILITY_REPORT")
    if report:
        await asyncio.to_thread(Path(report).write_text, json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures))
    assert tally.answers["500"] == 0 and tally.reads["500"] == 0, figures
    assert not lost and not duplicated and not unacknowledged_stored, figures
    assert tally.missing_retry_after == 0, figures
    assert set(tally.answers) <= {"201", "502", "503", "504"} | {
        k for k in tally.answers if k.startswith("transport:")
    }, figures


async def test_an_event_survives_its_process_dying_between_commit_and_publish(
    faulty: Faulty,
) -> None:
    """Redis paused, so the publish after the commit cannot happen; the process is killed
    right then. The event's outbox row is published by the surviving replica once Redis is
    back, and reaches a socket held there."""
    for replica in faulty.replicas:
        if replica.process is None or replica.process.poll() is not None:
            await asyncio.to_thread(replica.start)
    async with Listener(faulty) as tab, faulty.client() as http:
        at = next(address for address in faulty.upstreams if address != tab.upstream)
        victim = faulty.replicas[faulty.upstreams.index(at)]
        faulty.redis.pause()
        try:
            ticket_id = await _landing_on(faulty, http, at, "dies before publish")
            victim.kill()
            pending = rows(faulty.pg.url, "SELECT count(*) FROM event_outbox")
            assert pending[0][0] >= 1, "the event's outbox row was not written"
        finally:
            faulty.redis.resume()
        await _until(lambda: tab.saw_ticket(ticket_id), 90, "the orphaned event")
        await _until(
            lambda: rows(faulty.pg.url, "SELECT count(*) FROM event_outbox")[0][0] == 0,
            60,
            "the outbox emptied",
        )
