"""Benchmark: the ticket list and search against their floor, then scaling out.

Side by side in one run, on the kept `deskboard_bench_1m` database (1,000,000 tickets,
PostgreSQL): `wrk -t1 -c16 -d10s --latency` against
    app:   deskboard (uvicorn, 1 worker), GET /api/tickets?status=open&sort=-updated_at&limit=50
           and GET /api/tickets?q=vpn&limit=50, as an agent with a bearer token
    floor: bench/floor.py (bare Starlette + asyncpg: same token check, SQL and JSON), 1 worker
Rounds alternate floor and app (ROUNDS, default 3) and the medians are compared. Targets
(issue 10): app throughput >= 70% of the floor's, app p99 <= 2x the floor's p99.
Then the list with 1, 2 and 4 worker processes, and 2 single-worker replicas behind nginx, with
the CPU each part used per request (server, PostgreSQL, the proxy) to say what limits it.

    .venv/bin/python -m bench speed          (also part of `make bench`)

Knobs: DESKBOARD_BENCH_SPEED_ROUNDS (3), DESKBOARD_BENCH_SPEED_SECONDS (10),
DESKBOARD_BENCH_SPEED_SCALE=0 skips the scaling part; harness.py's DESKBOARD_BENCH_PG_URL.
Needs wrk and nginx (Debian packages `wrk`, `nginx`).
"""

import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import textwrap
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.harness import (
    free_port,
    machine,
    make_user,
    seeded_database,
    server,
    server_cpu_seconds,
    write_report_section,
)

TICKETS = 1_000_000
CONNECTIONS = 16
ROUNDS = int(os.environ.get("DESKBOARD_BENCH_SPEED_ROUNDS", "3"))
SECONDS = int(os.environ.get("DESKBOARD_BENCH_SPEED_SECONDS", "10"))
SCALE = os.environ.get("DESKBOARD_BENCH_SPEED_SCALE", "1") != "0"
TARGET_THROUGHPUT = 0.70
TARGET_P99 = 2.0
COMMAND = ".venv/bin/python -m bench speed"
PATHS = {
    "list": "/api/tickets?status=open&sort=-updated_at&limit=50",
    "search": "/api/tickets?q=vpn&limit=50",
}
FLOOR_APP = "bench.floor:create_app"


@dataclass
class WrkRun:
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    requests: int
    errors: int
    cpu_ms: dict[str, float]  # CPU per request by part: server, postgres, proxy


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value.strip()).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def parse_wrk(output: str) -> tuple[float, dict[int, float], int, int]:
    """Requests/s, latency percentiles (ms), requests done, and errors (non-2xx + socket)."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    percentiles = {
        int(p): _ms(v) for p, v in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", output, re.M)
    }
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket:
        errors += sum(int(n) for n in socket.groups())
    return rps, percentiles, requests, errors


def postgres_cpu_seconds() -> float:
    """CPU time of every PostgreSQL process on this machine (its backends come and go, so this
    undercounts a backend that exits mid-run; ours stay pooled)."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)
            name = stat.read_text().split("(", 1)[1].split(")", 1)[0]
        except (OSError, IndexError):
            continue
        if name.startswith("postgres"):
            rest = fields[1].split()
            total += (int(rest[11]) + int(rest[12])) / ticks
    return total


def process_cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            rest = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(rest[11]) + int(rest[12])) / ticks
    return total


def wrk(url: str, token: str, *, servers: list[str], proxy_pids: list[int] | None = None) -> WrkRun:
    before = {
        "server": sum(server_cpu_seconds(s) for s in servers),
        "postgres": postgres_cpu_seconds(),
        "proxy": process_cpu_seconds(proxy_pids or []),
    }
    command = [
        "wrk", "-t1", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency",
        "-H", f"Authorization: Bearer {token}", url,
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    after = {
        "server": sum(server_cpu_seconds(s) for s in servers),
        "postgres": postgres_cpu_seconds(),
        "proxy": process_cpu_seconds(proxy_pids or []),
    }
    rps, pct, requests, errors = parse_wrk(output)
    cpu = {part: (after[part] - before[part]) * 1000 / max(requests, 1) for part in before}
    return WrkRun(rps, pct[50], pct[90], pct[99], requests, errors, cpu)


def warm_up(url: str, token: str) -> None:
    command = [
        "wrk",
        "-t1",
        f"-c{CONNECTIONS}",
        "-d3s",
        "-H",
        f"Authorization: Bearer {token}",
        url,
    ]
    subprocess.run(command, capture_output=True, check=True)


def same_json(app_url: str, floor_url: str, path: str, token: str) -> bool:
    """The floor must answer the very bytes the app does (modulo nothing: same rows, same now)."""

    def get(base: str) -> dict:
        request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read())

    app_page, floor_page = get(app_url), get(floor_url)
    for page in (app_page, floor_page):  # `overdue` depends on the instant each was read
        for item in page["items"]:
            item.pop("overdue", None)
    return app_page == floor_page


def median_run(runs: list[WrkRun]) -> WrkRun:
    def med(values: list[float]) -> float:
        return statistics.median(values)

    return WrkRun(
        med([r.rps for r in runs]),
        med([r.p50_ms for r in runs]),
        med([r.p90_ms for r in runs]),
        med([r.p99_ms for r in runs]),
        sum(r.requests for r in runs),
        sum(r.errors for r in runs),
        {part: med([r.cpu_ms[part] for r in runs]) for part in runs[0].cpu_ms},
    )


@contextmanager
def nginx_in_front(upstreams: list[str]) -> Iterator[tuple[str, list[int]]]:
    """nginx (Debian's) balancing round-robin over `upstreams` with keep-alive to them."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="deskboard-bench-nginx-") as folder:
        servers = "\n".join(f"server {u.removeprefix('http://')};" for u in upstreams)
        conf = Path(folder) / "nginx.conf"
        conf.write_text(
            textwrap.dedent(
                f"""
                worker_processes 1;
                daemon off;
                pid {folder}/nginx.pid;
                error_log {folder}/error.log warn;
                events {{ worker_connections 1024; }}
                http {{
                  access_log off;
                  client_body_temp_path {folder}/body;
                  proxy_temp_path {folder}/proxy;
                  fastcgi_temp_path {folder}/fastcgi;
                  uwsgi_temp_path {folder}/uwsgi;
                  scgi_temp_path {folder}/scgi;
                  upstream deskboard {{ {servers} keepalive 32; }}
                  server {{
                    listen 127.0.0.1:{port};
                    location / {{
                      proxy_pass http://deskboard;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                      # The client's Host: the app refuses hosts it does not serve (400).
                      proxy_set_header Host $http_host;
                    }}
                  }}
                }}
                """
            )
        )
        process = subprocess.Popen(["nginx", "-c", str(conf), "-p", folder])
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=2).read()
                    break
                except OSError:
                    time.sleep(0.1)
            children = subprocess.run(
                ["pgrep", "-P", str(process.pid)], capture_output=True, text=True
            ).stdout.split()
            yield base, [process.pid, *map(int, children)]
        finally:
            process.terminate()
            process.wait(timeout=10)


def fmt(run: WrkRun) -> str:
    cpu = " / ".join(f"{run.cpu_ms[p]:.2f}" for p in ("server", "postgres", "proxy"))
    return (
        f"{run.rps:.0f} | {run.p50_ms:.1f} ms | {run.p90_ms:.1f} ms | {run.p99_ms:.1f} ms | "
        f"{cpu} | {run.errors}"
    )


def main() -> None:
    for tool in ("wrk", "nginx"):
        if shutil.which(tool) is None:
            raise SystemExit(f"bench speed needs `{tool}` (apt-get install {tool})")
    started = time.perf_counter()
    at = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    host = machine()
    with seeded_database(TICKETS) as (url, seeding):
        _, token = make_user(url, role="agent")
        results: dict[str, dict[str, WrkRun]] = {}
        with server(url) as app_url, server(url, app=FLOOR_APP) as floor_url:
            identical = {name: same_json(app_url, floor_url, p, token) for name, p in PATHS.items()}
            for name, path in PATHS.items():
                # Untimed warm-up of both: prepared statements, caches, first-request imports.
                for base in (floor_url, app_url):
                    warm_up(base + path, token)
                runs: dict[str, list[WrkRun]] = {"floor": [], "app": []}
                for _ in range(ROUNDS):
                    for which, base in (("floor", floor_url), ("app", app_url)):
                        runs[which].append(wrk(base + path, token, servers=[base]))
                results[name] = {which: median_run(r) for which, r in runs.items()}
                print(f"  {name}: floor {fmt(results[name]['floor'])}", flush=True)
                print(f"  {name}: app   {fmt(results[name]['app'])}", flush=True)
        scaling: dict[str, WrkRun] = {}
        if SCALE:
            for workers in (1, 2, 4):
                with server(url, workers=workers) as base:
                    warm_up(base + PATHS["list"], token)
                    scaling[f"{workers} worker{'s' if workers > 1 else ''}"] = wrk(
                        base + PATHS["list"], token, servers=[base]
                    )
            with (
                server(url) as first,
                server(url) as second,
                nginx_in_front([first, second]) as (proxy, proxy_pids),
            ):
                warm_up(proxy + PATHS["list"], token)
                scaling["2 replicas behind nginx"] = wrk(
                    proxy + PATHS["list"], token, servers=[first, second], proxy_pids=proxy_pids
                )
            for label, run in scaling.items():
                print(f"  list, {label}: {fmt(run)}", flush=True)
    seconds = time.perf_counter() - started
    section = report(results, scaling, identical, seeding, at, host, seconds)
    write_report_section("Speed against the floor", section)


def report(
    results: dict[str, dict[str, WrkRun]],
    scaling: dict[str, WrkRun],
    identical: dict[str, bool],
    seeding: object,
    at: str,
    host: str,
    seconds: float,
) -> str:
    lines = [
        "## Speed against the floor",
        "",
        f"`{COMMAND}`; measured {at} on {host}; this run took {seconds:.0f} s. "
        f"`wrk -t1 -c{CONNECTIONS} -d{SECONDS}s --latency` with an agent's bearer token, "
        f"1,000,000 tickets on PostgreSQL, one uvicorn worker each; {ROUNDS} rounds alternating "
        "floor and app, medians shown. The floor is bench/floor.py: bare Starlette + asyncpg "
        "with the same token check, SQL and JSON "
        f"(identical bodies checked: {', '.join(f'{k} {v}' for k, v in identical.items())}). "
        "CPU per request is user + system time over the run divided by the requests: "
        "server / PostgreSQL / proxy.",
        "",
        "| query | app | req/s | p50 | p90 | p99 | CPU ms/request | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    verdicts = []
    for name, pair in results.items():
        for which in ("floor", "app"):
            lines.append(f"| {name} | {which} | {fmt(pair[which])} |")
        ratio = pair["app"].rps / pair["floor"].rps
        tail = pair["app"].p99_ms / pair["floor"].p99_ms
        met = ratio >= TARGET_THROUGHPUT and tail <= TARGET_P99
        verdicts.append(
            f"- {name}: throughput {ratio:.0%} of the floor (target >= 70%), p99 {tail:.2f}x the "
            f"floor's (target <= 2x): **{'met' if met else 'NOT met'}**"
        )
    lines += ["", *verdicts]
    if scaling:
        lines += [
            "",
            "The list (same wrk load) as the deployment scales:",
            "",
            "| setup | req/s | p50 | p90 | p99 | CPU ms/request | errors |",
            "|---|---|---|---|---|---|---|",
            *(f"| {label} | {fmt(run)} |" for label, run in scaling.items()),
        ]
    lines += ["", f"Data: {seeding.describe()}"]  # type: ignore[attr-defined]
    return "\n".join(lines) + "\n"
