"""Many hosts, tested: three `deskboard serve` replicas (127.0.0.2-4, as separate hosts would
be), Debian's nginx running deploy/nginx/deskboard.conf in front of them with TLS, PostgreSQL
(a fresh database on the shared server) and Redis. Everything goes through the proxy: sign-in,
layouts, realtime events and the sign-in limit across replicas, a replica killed mid-traffic
(the leader of the once-per-cluster jobs, which another replica takes over), TLS and the
forwarded client address.
"""

import asyncio
import json
import os
import ssl
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from tests.deploy.cluster import (
    PASSWORD,
    SECRET,
    Proxy,
    Replica,
    clean_env,
    prepare_database,
    processes,
    wait_for,
)
from tests.deploy.conftest import postgres_base_url, require_tools
from tests.layouts.helpers import starter
from tests.ops.helpers import rows, scratch_postgres

RUN = f"{os.getpid()}-{uuid.uuid4().hex[:6]}"
AGENT = f"agent-{RUN}@example.test"
USER = f"user-{RUN}@example.test"
HOSTS = ["127.0.0.2", "127.0.0.3", "127.0.0.4"]


class Cluster:
    def __init__(self, proxy: Proxy, replicas: list[Replica], database_url: str) -> None:
        self.proxy = proxy
        self.replicas = replicas
        self.database_url = database_url

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(
            base_url=self.proxy.url, verify=self.proxy.ssl_context(), timeout=30, **kwargs
        )

    def by_address(self, address: str) -> Replica:
        return next(r for r in self.replicas if r.address == address)

    def sign_in(self, http: httpx.Client, email: str) -> str:
        answer = http.post("/api/auth/login", json={"email": email, "password": PASSWORD})
        assert answer.status_code == 200, answer.text
        return str(answer.json()["access_token"])


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    base = postgres_base_url()
    require_tools("nginx")
    work = Path(tempfile.mkdtemp(prefix="deskboard-topology-"))
    with scratch_postgres(base, f"deskboard_topology_{os.getpid()}") as database_url:
        settings = {
            "DESKBOARD_ENV": "production",
            "DESKBOARD_DATABASE_URL": database_url,
            "DESKBOARD_REDIS_URL": os.environ.get(
                "DESKBOARD_TEST_TOPOLOGY_REDIS_URL", "redis://127.0.0.1:6379/12"
            ),
            "DESKBOARD_WS_REDIS_STREAM": f"deskboard:topology:{RUN}",
            "DESKBOARD_SECRET_KEY": SECRET,
            "DESKBOARD_ALLOWED_HOSTS": ",".join(["localhost", "127.0.0.1", *HOSTS]),
            "DESKBOARD_TRUSTED_PROXIES": "127.0.0.1/32",
            "DESKBOARD_METRICS_TOKEN": "metrics-token",
            "DESKBOARD_LOG_FORMAT": "json",
            "DESKBOARD_DUE_SOON_SWEEP_SECONDS": "0.5",
            "DESKBOARD_EVENT_OUTBOX_SECONDS": "0.5",
            "DESKBOARD_WEBHOOK_POLL_SECONDS": "0",
            "DESKBOARD_LOGIN_FREE_FAILURES": "2",
            "DESKBOARD_LOGIN_BACKOFF_SECONDS": "120",
            "DESKBOARD_SHUTDOWN_GRACE_SECONDS": "2",
        }
        prepare_database(database_url, [(AGENT, "agent"), (USER, "user")])
        replicas = [
            Replica(
                f"api-{n + 1}",
                host,
                clean_env(**settings, DESKBOARD_DATA_DIR=str(work / f"api-{n + 1}")),
                work,
            )
            for n, host in enumerate(HOSTS)
        ]
        proxy = Proxy(work / "proxy", [r.address for r in replicas])
        with processes(*replicas, proxy):
            for replica in replicas:
                replica.start(wait=False)
            for replica in replicas:
                replica.wait_ready()
            proxy.start()
            yield Cluster(proxy, replicas, database_url)


def test_tls_is_terminated_by_the_proxy_with_the_right_certificate(cluster: Cluster) -> None:
    with cluster.client() as http:
        answer = http.get("/readyz")
        assert answer.status_code == 200
        assert answer.json()["checks"] == {"database": "ok", "migrations": "ok", "redis": "ok"}
        # The API saw https (X-Forwarded-Proto from a trusted proxy): HSTS, Secure cookies.
        assert "max-age=" in answer.headers["Strict-Transport-Security"]
        login = http.post("/api/auth/login", json={"email": USER, "password": PASSWORD})
        assert login.status_code == 200
        cookies = login.headers.get_list("set-cookie")
        assert cookies and all("Secure" in cookie for cookie in cookies)
    # An unknown certificate is refused; TLS 1.1 and older are not offered.
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{cluster.proxy.url}/readyz", verify=ssl.create_default_context())
    old = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    old.load_verify_locations(cluster.proxy.cert)
    old.minimum_version = old.maximum_version = ssl.TLSVersion.TLSv1_1
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{cluster.proxy.url}/readyz", verify=old)
    # Plain http is moved to https.
    plain = httpx.get(f"http://localhost:{cluster.proxy.http_port}/api/tickets")
    assert plain.status_code == 308
    assert plain.headers["Location"].startswith("https://localhost")


def test_requests_are_spread_over_every_replica(cluster: Cluster) -> None:
    with cluster.client() as http:
        seen = {http.get("/healthz").headers["X-Upstream"] for _ in range(12)}
    assert seen == {r.address for r in cluster.replicas}


def test_a_layout_saved_on_one_replica_is_read_from_another(cluster: Cluster) -> None:
    with cluster.client() as http:
        token = cluster.sign_in(http, USER)
        auth = {"Authorization": f"Bearer {token}"}
        saved = http.post("/api/layout/me", json=starter(), headers=auth)
        assert saved.status_code == 201, saved.text
        writer = saved.headers["X-Upstream"]
        edited = starter()
        edited["version"] = 1
        edited["widgets"][2]["settings"]["markdown"] = f"written on {writer}"
        assert http.put("/api/layout/me", json=edited, headers=auth).status_code == 200
        readers: set[str] = set()
        for _ in range(9):
            read = http.get("/api/layout/me", headers=auth)
            assert read.status_code == 200
            assert read.json()["version"] == 2
            assert read.json()["widgets"][2]["settings"]["markdown"] == f"written on {writer}"
            readers.add(read.headers["X-Upstream"])
        assert readers - {writer}, "every read came from the replica that wrote"


async def _socket(cluster: Cluster, token: str) -> tuple[Any, str]:
    ws = await websockets.connect(
        f"wss://localhost:{cluster.proxy.https_port}/api/ws",
        ssl=cluster.proxy.ssl_context(),
        origin=websockets.Origin(cluster.proxy.url),
    )
    await ws.send(json.dumps({"type": "auth", "token": token}))
    ready = json.loads(await asyncio.wait_for(ws.recv(), 30))
    assert ready["type"] == "ready", ready
    return ws, ws.response.headers["X-Upstream"]


async def _next_of(ws: Any, predicate: Any, seconds: float = 30) -> dict[str, Any]:
    async def loop() -> dict[str, Any]:
        while True:
            message = json.loads(await ws.recv())
            if predicate(message):
                return message

    return await asyncio.wait_for(loop(), seconds)


async def test_an_event_raised_on_one_replica_reaches_a_socket_held_by_another(
    cluster: Cluster,
) -> None:
    with cluster.client() as http:
        token = cluster.sign_in(http, AGENT)
        ws, held_by = await _socket(cluster, token)
        try:
            for attempt in range(12):
                created = await asyncio.to_thread(
                    http.post,
                    "/api/tickets",
                    json={"title": f"raised elsewhere {attempt}"},
                    headers={"Authorization": f"Bearer {token}"},
                )
                assert created.status_code == 201, created.text
                if created.headers["X-Upstream"] != held_by:
                    break
            else:
                pytest.fail("no write landed on another replica")
            ticket_id = created.json()["id"]
            event = await _next_of(
                ws, lambda m: m.get("type") == "ticket.created" and m["data"]["id"] == ticket_id
            )
            assert event["data"]["title"].startswith("raised elsewhere")
        finally:
            await ws.close()


def test_the_sign_in_limit_counts_across_replicas(cluster: Cluster) -> None:
    email = f"target-{RUN}@example.test"
    with cluster.client() as http:
        landed: set[str] = set()
        # Two free failures, then the third starts the back-off (120 s): all of them 401.
        for _ in range(3):
            wrong = http.post("/api/auth/login", json={"email": email, "password": "wrong-guess"})
            assert wrong.status_code == 401, wrong.text
            landed.add(wrong.headers["X-Upstream"])
        assert len(landed) >= 2, landed
        # Whichever replica the next one reaches, it knows about the others' failures.
        for _ in range(3):
            held = http.post("/api/auth/login", json={"email": email, "password": "wrong-guess"})
            assert held.status_code == 429, held.text
            assert int(held.headers["Retry-After"]) > 60
            landed.add(held.headers["X-Upstream"])
        assert landed == {r.address for r in cluster.replicas}


def test_the_forwarded_client_address_is_the_real_one(cluster: Cluster) -> None:
    request_id = f"client-address-{RUN}"
    transport = httpx.HTTPTransport(local_address="127.0.0.9", verify=cluster.proxy.ssl_context())
    with httpx.Client(base_url=cluster.proxy.url, transport=transport, timeout=30) as http:
        answer = http.get(
            "/healthz",
            # A forged hop: the proxy appends the real peer, which the API believes.
            headers={"X-Request-ID": request_id, "X-Forwarded-For": "203.0.113.66"},
        )
    assert answer.status_code == 200
    replica = cluster.by_address(answer.headers["X-Upstream"])

    def access_line() -> dict[str, Any] | None:
        for line in replica.log_lines():
            if request_id in line and line.startswith("{"):
                record = json.loads(line)
                if record.get("logger") == "deskboard.access":
                    return record
        return None

    record = wait_for(access_line, seconds=30, what="the access log line")
    assert record["client"] == "127.0.0.9"
    # Straight to a replica from an address that is not the proxy's, a forged header is dropped.
    with httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.9")) as direct_http:
        direct = direct_http.get(
            f"{replica.url}/healthz",
            headers={"X-Request-ID": request_id + "-direct", "X-Forwarded-For": "203.0.113.66"},
        )
    assert direct.status_code == 200

    def direct_line() -> dict[str, Any] | None:
        for line in replica.log_lines():
            if request_id + "-direct" in line and line.startswith("{"):
                record = json.loads(line)
                if record.get("logger") == "deskboard.access":
                    return record
        return None

    assert wait_for(direct_line, seconds=30, what="the direct access line")["client"] == (
        "127.0.0.9"
    )


def _leader(cluster: Cluster, job: str) -> Replica | None:
    leaders = [
        r
        for r in cluster.replicas
        if r.process is not None
        and r.process.poll() is None
        and r.metric("deskboard_job_leader", f'job="{job}"') == 1
    ]
    assert len(leaders) <= 1, [r.name for r in leaders]
    return leaders[0] if leaders else None


def test_a_replica_killed_mid_traffic_and_its_jobs_move(cluster: Cluster) -> None:
    """The leader of the once-per-cluster jobs is SIGKILLed while clients read and write;
    reads carry on through the others, writes are retried with their Idempotency-Key, and
    another replica takes the jobs over (deskboard_job_leader on /metrics)."""
    leader = wait_for(lambda: _leader(cluster, "due-soon"), seconds=60, what="a due-soon leader")
    wait_for(lambda: _leader(cluster, "event-outbox"), seconds=60, what="an outbox leader")
    with cluster.client() as http:
        auth = {"Authorization": f"Bearer {cluster.sign_in(http, AGENT)}"}
        keys: list[str] = []
        retried = 0
        for n in range(60):
            if n == 20:
                leader.kill()
            read = http.get("/api/tickets", headers=auth)
            assert read.status_code == 200, (n, read.status_code, read.text)
            key = f"kill-{RUN}-{n}"
            keys.append(key)
            body = {"title": key}
            for _ in range(5):
                try:
                    wrote = http.post(
                        "/api/tickets", json=body, headers={**auth, "Idempotency-Key": key}
                    )
                except httpx.TransportError:
                    retried += 1
                    continue
                if wrote.status_code == 201:
                    break
                assert wrote.status_code in (502, 503, 504), wrote.text
                retried += 1
            else:
                pytest.fail(f"write {key} never succeeded")
    stored = rows(
        cluster.database_url, f"SELECT title FROM tickets WHERE title LIKE 'kill-{RUN}-%'"
    )
    titles = [str(title) for (title,) in stored]
    assert sorted(titles) == sorted(keys), f"lost or duplicated writes ({retried} retries)"
    new_leader = wait_for(
        lambda: _leader(cluster, "due-soon"), seconds=60, what="a new due-soon leader"
    )
    assert new_leader is not leader
    assert wait_for(lambda: _leader(cluster, "event-outbox"), seconds=60) is not leader
