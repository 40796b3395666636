"""Mail ingest: how fast the IMAP poller turns delivered mail into tickets, and how long a mail
takes from arriving in the mailbox to showing live on an agent's dashboard.

A throwaway Dovecot (tests/mail/dovecot.py) on loopback, a scratch PostgreSQL database, one
uvicorn server with the poll leader ticking every second (DESKBOARD_MAIL_POLL_SECONDS=1) and the
mailbox's own poll_seconds at the API's minimum (10); an agent's WebSocket receives the
`ticket.created` events, as the dashboard does.

1. Throughput: MAIL_BENCH_MESSAGES (10,000) messages are APPENDed while the mailbox is disabled,
   then it is enabled: messages/s from the first to the last ticket event on the socket.
2. Arrival to live: MAIL_BENCH_SINGLES single messages, each APPENDed at a random moment; the time
   from the APPEND's answer to the ticket's event on the socket (includes waiting for the poll).
3. The gateway path: POST /api/inbound/email -> event on the socket (processing only).

    .venv/bin/python -m bench.mail_ingest
"""

import asyncio
import json
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import websockets
from sqlalchemy import create_engine, update
from sqlalchemy.orm import Session

from bench.harness import REPORT, make_user, scratch_database, server, sync_url
from tests.mail.dovecot import IMAP_PASSWORD, start_dovecot

MESSAGES = int(os.environ.get("MAIL_BENCH_MESSAGES", "10000"))
SINGLES = int(os.environ.get("MAIL_BENCH_SINGLES", "12"))
GATEWAY = int(os.environ.get("MAIL_BENCH_GATEWAY", "50"))
TOKEN_HEADER = "X-Deskboard-Inbound-Token"


def message(tag: str, number: int) -> bytes:
    return (
        f"From: Customer {number} <customer{number}@bench.example>\r\n"
        f"To: support@bench.example\r\nSubject: {tag} request {number}\r\n"
        f"Message-ID: <{tag}-{number}-{time.time_ns()}@bench.example>\r\n"
        f"Date: Sat, 5 Dec 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\n"
        f"Hello, this is request {number}.\r\nIt needs help.\r\n\r\nRegards\r\n"
    ).encode()


class Socket:
    """An agent's realtime socket: remembers when each ticket title arrived."""

    def __init__(self) -> None:
        self.arrivals: dict[str, float] = {}
        self.task: asyncio.Task[None] | None = None
        self.changed = asyncio.Event()

    async def open(self, base_url: str, token: str) -> None:
        url = base_url.replace("http://", "ws://") + "/api/ws"
        self.ws = await websockets.connect(url, max_size=None)
        await self.ws.send(json.dumps({"type": "auth", "token": token}))
        ready = json.loads(await self.ws.recv())
        assert ready["type"] == "ready", ready
        self.task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for raw in self.ws:
            event = json.loads(raw)
            if event.get("type") == "ping":  # the protocol's heartbeat: answer or be closed
                await self.ws.send(json.dumps({"type": "pong"}))
            elif event.get("type") == "ticket.created":
                self.arrivals[event["data"]["title"]] = time.monotonic()
                self.changed.set()

    async def _until(self, done: Callable[[], bool]) -> None:
        while not done():
            self.changed.clear()
            await self.changed.wait()

    async def wait(self, done: Callable[[], bool], within: float) -> bool:
        """Whether `done()` came true within `within` seconds of events."""
        try:
            await asyncio.wait_for(self._until(done), within)
        except TimeoutError:
            return False
        return True

    async def close(self) -> None:
        if self.task:
            self.task.cancel()
        await self.ws.close()


def add_mailbox(database_url: str, imap_port: int, user: str, *, enabled: bool) -> tuple[int, str]:
    from deskboard.mail.mailboxes import encrypt_password, new_inbound_token
    from deskboard.mail.models import Mailbox

    engine = create_engine(sync_url(database_url))
    with Session(engine) as session:
        box = Mailbox(
            name="Bench", address=user, auth_kind="password", imap_host="127.0.0.1",
            imap_port=imap_port, imap_security="none", imap_username=user,
            imap_password_encrypted=encrypt_password(IMAP_PASSWORD), imap_folder="INBOX",
            smtp_host="127.0.0.1", smtp_port=9, smtp_security="none", smtp_username="",
            poll_seconds=10, enabled=enabled, inbound_token=new_inbound_token(), last_uid=0,
            last_poll_count=0,
        )  # fmt: skip
        session.add(box)
        session.commit()
        result = (box.id, box.inbound_token)
    engine.dispose()
    return result


def set_enabled(database_url: str, mailbox_id: int, enabled: bool) -> None:
    from deskboard.mail.models import Mailbox

    engine = create_engine(sync_url(database_url))
    with Session(engine) as session:
        session.execute(update(Mailbox).where(Mailbox.id == mailbox_id).values(enabled=enabled))
        session.commit()
    engine.dispose()


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def bench(base_url: str, token: str, dovecot: object, user: str, database_url: str,
                mailbox_id: int, inbound_token: str) -> dict[str, object]:  # fmt: skip
    from tests.mail.dovecot import Dovecot

    assert isinstance(dovecot, Dovecot)
    socket = Socket()
    await socket.open(base_url, token)
    # 1. Throughput.
    started = time.monotonic()
    batch = [message("bulk", n) for n in range(MESSAGES)]
    await asyncio.to_thread(dovecot.append, user, *batch)
    append_seconds = time.monotonic() - started
    enabled_at = time.monotonic()
    set_enabled(database_url, mailbox_id, True)
    complete = await socket.wait(lambda: len(socket.arrivals) >= MESSAGES, 3600)
    times = sorted(socket.arrivals.values())
    bulk = {
        "messages": MESSAGES,
        "received": len(socket.arrivals),
        "complete": complete,
        "append_seconds": append_seconds,
        "first_after_enable": times[0] - enabled_at if times else None,
        "seconds": times[-1] - times[0] if len(times) > 1 else None,
    }
    bulk["per_second"] = (len(times) - 1) / bulk["seconds"] if bulk["seconds"] else None
    # 2. Arrival to live, through the poller.
    latencies: list[float] = []
    for n in range(SINGLES):
        await asyncio.sleep(random.uniform(0.5, 10.0))
        raw = message("single", n)
        await asyncio.to_thread(dovecot.append, user, raw)
        arrived = time.monotonic()
        title = f"single request {n}"
        if await socket.wait(lambda t=title: t in socket.arrivals, 60):
            latencies.append((socket.arrivals[title] - arrived) * 1000)
    # 3. The gateway: processing only.
    gateway: list[float] = []
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        for n in range(GATEWAY):
            raw = message("gateway", n)
            sent = time.monotonic()
            answer = await http.post(
                f"/api/inbound/email/{mailbox_id}",
                content=raw,
                headers={
                    "Content-Type": "message/rfc822",
                    "X-Deskboard-Inbound-Token": inbound_token,
                },
            )
            answer.raise_for_status()
            title = f"gateway request {n}"
            if await socket.wait(lambda t=title: t in socket.arrivals, 30):
                gateway.append((socket.arrivals[title] - sent) * 1000)
    await socket.close()
    return {"bulk": bulk, "poll_latency_ms": latencies, "gateway_latency_ms": gateway}


def describe(result: dict[str, object]) -> str:
    bulk = result["bulk"]
    assert isinstance(bulk, dict)
    poll = result["poll_latency_ms"]
    gate = result["gateway_latency_ms"]
    assert isinstance(poll, list) and isinstance(gate, list)
    load = os.getloadavg()
    lines = [
        f"\n## Mail ingest (bench/mail_ingest.py) — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n",
        "Dovecot on loopback, PostgreSQL, one uvicorn process, the poll leader ticking every "
        "second, the mailbox's poll_seconds 10 (the API's minimum); an agent's WebSocket "
        f"receives the `ticket.created` events. Load average at the end: "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (2 cores, shared).\n",
        "| measure | value |",
        "|---|---|",
        f"| messages APPENDed to Dovecot | {bulk['messages']:,} in "
        f"{bulk['append_seconds']:.1f} s |",
        f"| tickets live on the socket | {bulk['received']:,} (complete: {bulk['complete']}) |",
        f"| ingest rate (first to last event) | {bulk['per_second'] or 0:.1f} messages/s |",
        f"| first ticket after the mailbox was enabled | {bulk['first_after_enable'] or 0:.2f} s |",
    ]
    if poll:
        lines.append(
            f"| arrival (APPEND answered) -> live, via the poller, n={len(poll)} | "
            f"p50 {statistics.median(poll):.0f} ms, p90 {pct(poll, 90):.0f} ms, "
            f"max {max(poll):.0f} ms |"
        )
    if gate:
        lines.append(
            f"| gateway POST -> live (processing only), n={len(gate)} | "
            f"p50 {statistics.median(gate):.1f} ms, p99 {pct(gate, 99):.1f} ms |"
        )
    lines.append(
        "\nArrival to live through IMAP is dominated by the wait for the next poll (at most "
        "poll_seconds plus the 1 s leader tick); the gateway figure is the processing itself "
        "(parse, thread, ticket, commit, event).\n"
    )
    return "\n".join(lines)


def main() -> None:
    dovecot = start_dovecot()
    try:
        user = dovecot.new_account()
        with scratch_database("mail_ingest") as url:
            _, token = make_user(url, role="agent")
            mailbox_id, inbound_token = add_mailbox(url, dovecot.port, user, enabled=False)
            env = {
                "DESKBOARD_MAIL_POLL_SECONDS": "1",
                "DESKBOARD_MAIL_SEND_SECONDS": "0",  # the notices' SMTP port is closed
                "DESKBOARD_MAIL_FETCH_BATCH": "200",
            }
            with server(url, env=env) as base_url:
                result = asyncio.run(
                    bench(base_url, token, dovecot, user, url, mailbox_id, inbound_token)
                )
        text = describe(result)
        print(text)
        with REPORT.open("a") as handle:
            handle.write(text)
    finally:
        dovecot.stop()


if __name__ == "__main__":
    main()
