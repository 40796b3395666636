"""Benchmark: a ticket change reaching 1,000 open dashboards over WebSockets.

Real uvicorn servers (subprocesses, configured as `deskboard serve` runs them: per-message
deflate declined, see deskboard/cli.py) over a scratch SQLite database; 1,000 agents each hold
one socket from this process (asyncio, `websockets`). An admin changes tickets through
`PUT /api/tickets/{id}`; every agent's socket receives `ticket.updated`. Latency is the receipt
time minus the event's `at` (set in the ticket service before the commit), so it covers commit,
hub, fan-out, the network stack and the client's JSON parse. Two set-ups:

- in-process hub: one server process holding all 1,000 sockets;
- Redis stream: two server processes with 500 sockets each, the writes going to the first.

    .venv/bin/python -m bench realtime     (or `make bench`)

Knobs: DESKBOARD_BENCH_REDIS_URL (default redis://127.0.0.1:6379/15),
DESKBOARD_BENCH_WS_CLIENTS (default 1000), DESKBOARD_BENCH_WS_EVENTS (per phase, default 100:
each change is 1,000 samples, so the p99 of fewer changes is set by the single slowest one),
DESKBOARD_BENCH_WS_DEFLATE=1 to let the servers accept per-message deflate (the cost it adds).
"""

import asyncio
import os
import platform
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from bench.harness import cpu_seconds, percentile, wait_until_up, write_report_section
from bench.realtime_fleet import Fleet
from deskboard.cli import WS_PER_MESSAGE_DEFLATE

SECRET = "bench-secret-key-that-is-long-enough-for-hs256"
REPORT = Path(__file__).resolve().parent / "REPORT.md"
COMMAND = ".venv/bin/python -m bench realtime"
TARGETS_MS = {"in-process": 250.0, "redis": 400.0}
PAUSE_BETWEEN_CHANGES = 0.1  # latency phase: one change at a time, so nothing queues behind it
WRITERS = 4  # throughput phase: concurrent writers, each on its own ticket
# Browsers (and the `websockets` client here) offer per-message deflate; the servers accept it
# only when `deskboard serve` does, unless DESKBOARD_BENCH_WS_DEFLATE says otherwise.
_DEFLATE_DEFAULT = "1" if WS_PER_MESSAGE_DEFLATE else "0"
DEFLATE = os.environ.get("DESKBOARD_BENCH_WS_DEFLATE", _DEFLATE_DEFAULT) != "0"

os.environ["DESKBOARD_SECRET_KEY"] = SECRET  # the tokens minted here must verify in the servers


@dataclass
class Result:
    name: str
    servers: int
    clients: int
    latency_ms: list[float]
    burst_ms: list[float]
    messages_per_second: float
    rss_per_connection_kib: float
    server_cpu_us: float  # server CPU per delivered message (latency phase), microseconds
    client_cpu_us: float  # this client process's CPU per received message
    missing: int
    closed_early: int


def make_people(database_url: str, agents: int) -> tuple[list[str], str]:
    """Create the agents (one socket each) and the admin who writes; return their tokens."""
    from deskboard.auth.models import User
    from deskboard.auth.security import create_access_token, hash_password

    engine = create_engine(database_url.replace("+aiosqlite", ""))
    password_hash = hash_password("bench-password")
    with Session(engine) as session:
        users = [
            User(email=f"agent{i}@bench.test", name=f"Agent {i}", role="agent",
                 password_hash=password_hash)
            for i in range(agents)
        ]  # fmt: skip
        admin = User(email="admin@bench.test", name="Admin", role="admin", password_hash="-")
        session.add_all([*users, admin])
        session.commit()
        tokens = [create_access_token(user.id, user.role, version=0, minutes=120) for user in users]
        admin_token = create_access_token(admin.id, admin.role, version=0, minutes=120)
    engine.dispose()
    return tokens, admin_token


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(
    database_url: str, data_dir: str, redis: dict[str, str]
) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {**os.environ, "DESKBOARD_DATABASE_URL": database_url, "DESKBOARD_DATA_DIR": data_dir,
           "DESKBOARD_ENV": "development", **redis}  # fmt: skip
    if not redis:
        env.pop("DESKBOARD_REDIS_URL", None)
    command = [sys.executable, "-m", "uvicorn", "deskboard.app:create_app", "--factory",
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
               "--no-access-log", "--ws-per-message-deflate", str(DEFLATE).lower()]  # fmt: skip
    return subprocess.Popen(command, env=env), port


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


async def change_tickets(
    http: httpx.AsyncClient, tickets: dict[int, int], ids: list[int], rounds: int
) -> None:
    """Change each ticket of `ids` `rounds` times in a row (one writer per ticket, all at once).

    `tickets` maps id -> current version and is kept up to date.
    """

    async def writer(ticket_id: int) -> None:
        for step in range(rounds):
            body = {
                "title": f"Changed {uuid.uuid4().hex[:8]} #{step}",
                "version": tickets[ticket_id],
            }
            response = await http.put(f"/api/tickets/{ticket_id}", json=body)
            response.raise_for_status()
            tickets[ticket_id] = response.json()["version"]

    await asyncio.gather(*(writer(ticket_id) for ticket_id in ids))


async def scenario(name: str, ports: list[int], pids: list[int], tokens: list[str], admin: str,
                   events: int) -> Result:  # fmt: skip
    fleet = Fleet()
    baseline = sum(rss_kib(pid) for pid in pids)
    share = len(tokens) // len(ports)
    for index, port in enumerate(ports):
        mine = tokens[index * share : (index + 1) * share]
        await fleet.open(f"ws://127.0.0.1:{port}/api/ws", mine)
    await asyncio.sleep(1.0)
    per_connection = (sum(rss_kib(pid) for pid in pids) - baseline) / fleet.size
    headers = {"Authorization": f"Bearer {admin}"}
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{ports[0]}", headers=headers,
                                 timeout=60) as http:  # fmt: skip
        tickets: dict[int, int] = {}
        for number in range(WRITERS):
            created = await http.post("/api/tickets", json={"title": f"Bench ticket {number}"})
            created.raise_for_status()
            tickets[created.json()["id"]] = created.json()["version"]
        expected = WRITERS * fleet.size
        missing = 0 if await fleet.wait_for(expected, within=60) else expected - fleet.received

        # Latency: one change at a time.
        fleet.latencies.clear()
        server_cpu, client_cpu = sum(cpu_seconds(pid) for pid in pids), time.process_time()
        first = next(iter(tickets))
        for _ in range(events):
            await change_tickets(http, tickets, [first], 1)
            await asyncio.sleep(PAUSE_BETWEEN_CHANGES)
        expected += events * fleet.size
        if not await fleet.wait_for(expected, within=120):
            missing += expected - fleet.received
        latency = sorted(v * 1000 for v in fleet.latencies)
        messages = max(len(fleet.latencies), 1)
        server_cpu = (sum(cpu_seconds(pid) for pid in pids) - server_cpu) / messages * 1e6
        client_cpu = (time.process_time() - client_cpu) / messages * 1e6

        # Throughput: WRITERS tickets changed back to back, all at once.
        fleet.latencies.clear()
        rounds = max(1, events // WRITERS)
        started = time.time()
        await change_tickets(http, tickets, list(tickets), rounds)
        expected += rounds * WRITERS * fleet.size
        if not await fleet.wait_for(expected, within=180):
            missing += expected - fleet.received
        elapsed = max(fleet.last_receipt - started, 1e-9)
        burst = sorted(v * 1000 for v in fleet.latencies)
    await fleet.close()
    return Result(name, len(ports), fleet.size, latency, burst,
                  rounds * WRITERS * fleet.size / elapsed, per_connection, server_cpu,
                  client_cpu, missing,
                  fleet.closed_early)  # fmt: skip


def run(name: str, servers: int, database_url: str, data_dir: str, redis: dict[str, str],
        tokens: list[str], admin: str, events: int) -> Result:  # fmt: skip
    processes = [start_server(database_url, data_dir, redis) for _ in range(servers)]
    try:
        for process, port in processes:
            asyncio.run(wait_until_up(f"http://127.0.0.1:{port}", process, seconds=120))
        ports = [port for _, port in processes]
        pids = [process.pid for process, _ in processes]
        return asyncio.run(scenario(name, ports, pids, tokens, admin, events))
    finally:
        for process, _ in processes:
            process.terminate()
        for process, _ in processes:
            process.wait(timeout=30)


def report(results: list[Result], events: int, load: tuple[float, float, float]) -> str:
    lines = [
        "## Realtime",
        "",
        f"A ticket change reaching {results[0].clients} open dashboards (one agent per socket, "
        "all in one asyncio client process using `websockets`), uvicorn servers as subprocesses "
        f"with per-message deflate {'on' if DEFLATE else 'off (as `deskboard serve`)'}, "
        "scratch SQLite. "
        "Latency = receipt time - event "
        "`at` (set before the commit): commit + hub + fan-out + loopback + the client's parse. "
        f"Latency phase: {events} changes one at a time, {PAUSE_BETWEEN_CHANGES * 1000:.0f} ms "
        f"apart. Burst phase: {WRITERS} writers changing {WRITERS} tickets back to back.",
        "",
        f"Command: `{COMMAND}` (part of `make bench`); measured "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.machine()}, "
        f"{os.cpu_count()} cores shared by the servers, the clients, Redis and other work "
        f"(load average at start {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}).",
        "",
        "| set-up | sockets | p50 | p99 | max | target p99 | burst p50 / p99 | messages/s "
        "(burst) | RSS / connection | CPU / message: servers, client | missing | dropped |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        target = TARGETS_MS["redis" if r.servers > 1 else "in-process"]
        verdict = "met" if percentile(r.latency_ms, 0.99) < target else "**MISSED**"
        lines.append(
            f"| {r.name} | {r.clients} | {percentile(r.latency_ms, 0.5):.1f} ms "
            f"| {percentile(r.latency_ms, 0.99):.1f} ms | {percentile(r.latency_ms, 1.0):.1f} ms "
            f"| < {target:.0f} ms: {verdict} | {percentile(r.burst_ms, 0.5):.0f} / "
            f"{percentile(r.burst_ms, 0.99):.0f} ms | {r.messages_per_second:,.0f} "
            f"| {r.rss_per_connection_kib:.0f} KiB | {r.server_cpu_us:.0f} µs, "
            f"{r.client_cpu_us:.0f} µs | {r.missing} | {r.closed_early} |"
        )  # fmt: skip
    lines += [
        "",
        "Mean latency: "
        + "; ".join(f"{r.name} {statistics.fmean(r.latency_ms or [0]):.1f} ms" for r in results)
        + ". RSS / connection is the servers' resident-memory growth after the sockets opened, "
        "divided by the sockets.",
        "",
    ]  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    from deskboard.migrations import upgrade

    clients = int(os.environ.get("DESKBOARD_BENCH_WS_CLIENTS", "1000"))
    events = int(os.environ.get("DESKBOARD_BENCH_WS_EVENTS", "100"))
    redis_url = os.environ.get("DESKBOARD_BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, clients * 2 + 1024)), hard))
    load = os.getloadavg()
    stream = f"deskboard-bench:{uuid.uuid4().hex}:events"
    with tempfile.TemporaryDirectory(prefix="deskboard-bench-ws-") as data_dir:
        database_url = f"sqlite+aiosqlite:///{data_dir}/bench.db"
        upgrade(database_url)
        tokens, admin = make_people(database_url, clients)
        results = [run("in-process hub, 1 process", 1, database_url, data_dir, {}, tokens,
                       admin, events)]  # fmt: skip
        redis = {"DESKBOARD_REDIS_URL": redis_url, "DESKBOARD_WS_REDIS_STREAM": stream}
        try:
            results.append(run("Redis stream, 2 processes", 2, database_url, data_dir, redis,
                               tokens, admin, events))  # fmt: skip
        finally:
            from redis import Redis

            Redis.from_url(redis_url).delete(stream)
    section = report(results, events, load)
    write_report_section("Realtime", section)
    print(section)
