"""The production topology on one machine, without containers: `deskboard serve` replicas on
their own loopback addresses, Debian's nginx running deploy/nginx/deskboard.conf (only the lines
marked `# topology:` rewritten) with a throwaway certificate, PostgreSQL and Redis; plus a
throwaway PostgreSQL cluster and redis-server for the fault tests (the shared ones are never
stopped). Everything waits by polling with generous deadlines: the machine is shared and slow.
"""

import datetime
import ipaddress
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parents[2]
NGINX_CONF = ROOT / "deploy" / "nginx" / "deskboard.conf"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
DESKBOARD = [sys.executable, "-m", "deskboard.cli"]
SECRET = "topology-secret-key-that-is-long-enough-for-hs256"
PASSWORD = "correct-horse-battery-staple"


def wait_for(predicate: Callable[[], Any], *, seconds: float = 60, what: str = "condition") -> Any:
    deadline = time.monotonic() + seconds
    while True:
        try:
            value = predicate()
            if value:
                return value
        except Exception:  # not up yet
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not reached within {seconds:.0f}s")
        time.sleep(0.1)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost and 127.0.0.1 (its own trust anchor)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "fullchain.pem", folder / "privkey.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path


def nginx_config(
    *, upstreams: list[str], http_port: int, https_port: int, cert: Path, key: Path, work: Path
) -> str:
    """deploy/nginx/deskboard.conf with its `# topology:` lines pointed at this machine; also
    names the replica that answered (X-Upstream), for the tests only."""
    out: list[str] = []
    upstream_done = False
    for line in NGINX_CONF.read_text().splitlines():
        marker = re.search(r"# topology: (\w+)", line)
        indent = line[: len(line) - len(line.lstrip())]
        kind = marker.group(1) if marker else None
        if kind == "pid":
            out.append(f"pid {work / 'nginx.pid'};")
        elif kind == "temp":
            directive = line.split()[0]
            out.append(f"{indent}{directive} {work / directive};")
        elif kind == "upstream":
            if not upstream_done:
                rest = line.split(";")[0].split(None, 2)[2]  # max_fails=... fail_timeout=...
                out += [f"{indent}server {address} {rest};" for address in upstreams]
                upstream_done = True
        elif kind == "http":
            out.append(f"{indent}listen 127.0.0.1:{http_port};")
        elif kind == "https":
            out.append(f"{indent}listen 127.0.0.1:{https_port} ssl;")
            out.append(f"{indent}add_header X-Upstream $upstream_addr always;")
        elif kind == "cert":
            out.append(f"{indent}ssl_certificate {cert};")
        elif kind == "key":
            out.append(f"{indent}ssl_certificate_key {key};")
        else:
            out.append(line)
    return "\n".join(out) + "\n"


class Proxy:
    def __init__(self, work: Path, upstreams: list[str]) -> None:
        self.work = work
        work.mkdir(parents=True, exist_ok=True)
        self.cert, self.key = make_certificate(work)
        self.http_port, self.https_port = free_port(), free_port()
        self.conf = work / "nginx.conf"
        self.conf.write_text(
            nginx_config(
                upstreams=upstreams,
                http_port=self.http_port,
                https_port=self.https_port,
                cert=self.cert,
                key=self.key,
                work=work,
            )
        )
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"https://localhost:{self.https_port}"

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert))

    def start(self) -> None:
        test = subprocess.run(
            ["nginx", "-t", "-c", str(self.conf), "-p", str(self.work)],
            capture_output=True,
            text=True,
        )
        assert test.returncode == 0, test.stderr
        log = open(self.work / "nginx.log", "ab")  # noqa: SIM115 - lives with the process
        self.process = subprocess.Popen(
            ["nginx", "-c", str(self.conf), "-p", str(self.work), "-g", "daemon off;"],
            stdout=log,
            stderr=log,
        )
        wait_for(lambda: _listening(self.https_port), seconds=30, what="nginx listening")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _listening(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex((host, port)) == 0


def clean_env(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKBOARD_")}
    return {**env, **settings}


class Replica:
    """One `deskboard serve` process on its own loopback address."""

    def __init__(self, name: str, host: str, env: dict[str, str], work: Path) -> None:
        self.name = name
        self.host = host
        self.port = free_port(host)
        self.env = env
        self.log_path = work / f"{name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.address}"

    def start(self, *, wait: bool = True) -> None:
        log = open(self.log_path, "ab")  # noqa: SIM115 - lives with the process
        self.process = subprocess.Popen(
            [*DESKBOARD, "serve", "--host", self.host, "--port", str(self.port)],
            env=self.env,
            stdout=log,
            stderr=log,
            cwd=ROOT,
        )
        if wait:
            self.wait_ready()

    def wait_ready(self, seconds: float = 180) -> None:
        def ready() -> bool:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited: {self.log_path.read_text()[-2000:]}")
            return httpx.get(f"{self.url}/readyz", timeout=5).status_code == 200

        deadline = time.monotonic() + seconds
        while True:
            try:
                if ready():
                    return
            except AssertionError:
                raise
            except Exception:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name} not ready: {self.log_path.read_text()[-2000:]}")
            time.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL: no drain, no goodbye (a crashed host)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(30)

    def begin_stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def metric(self, name: str, labels: str) -> float | None:
        """A sample of /metrics (e.g. deskboard_job_leader, 'job="due-soon"'), or None."""
        text = httpx.get(
            f"{self.url}/metrics", headers={"Authorization": "Bearer metrics-token"}, timeout=5
        ).text
        match = re.search(rf"^{name}\{{{re.escape(labels)}\}} (\S+)$", text, re.MULTILINE)
        return float(match.group(1)) if match else None

    def log_lines(self) -> list[str]:
        return self.log_path.read_text(errors="replace").splitlines()


def run_cli(*args: str, env: dict[str, str], stdin: str | None = None) -> str:
    result = subprocess.run(
        [*DESKBOARD, *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def as_postgres(*command: str) -> list[str]:
    # PostgreSQL refuses to run as root (CI and these machines are root).
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else list(command)


class ThrowawayPostgres:
    """A PostgreSQL 15 cluster of our own on a free port (restarted by the fault tests)."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.data = work / "pgdata"
        self.port = free_port()

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def _pg_ctl(self, *args: str) -> None:
        subprocess.run(
            as_postgres(
                str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.work / "pg.log"), *args
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> None:
        if not self.data.exists():
            if os.geteuid() == 0:
                shutil.chown(self.work, "postgres")
            subprocess.run(
                as_postgres(
                    str(PG_BIN / "initdb"),
                    "-D",
                    str(self.data),
                    "-A",
                    "trust",
                    "-U",
                    "postgres",
                    "--no-sync",
                ),  # fmt: skip
                check=True,
                capture_output=True,
            )
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.work} -c fsync=off "
            "-c max_connections=200"
        )
        self._pg_ctl("-o", options, "-w", "-t", "60", "start")

    def restart(self) -> None:
        self._pg_ctl("-m", "fast", "-w", "-t", "60", "restart")

    def stop(self) -> None:
        subprocess.run(
            as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"),
            capture_output=True,
        )


class ThrowawayRedis:
    def __init__(self, work: Path) -> None:
        self.work = work
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.work),
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: _listening(self.port), seconds=30, what="redis listening")

    def pause(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
            self.process.wait(30)


@contextmanager
def processes(*items: Any) -> Iterator[None]:
    """Stop everything started, in reverse order, whatever happens."""
    try:
        yield
    finally:
        for item in reversed(items):
            with suppress(Exception):
                getattr(item, "begin_stop", lambda: None)()  # replicas drain side by side
        for item in reversed(items):
            with suppress(Exception):
                item.stop()


def prepare_database(url: str, accounts: list[tuple[str, str]]) -> None:
    """Migrate and add accounts in this process (a `deskboard` process costs ~10 s to start on
    a loaded machine): what `deskboard migrate` and `deskboard create-user` do."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from deskboard.auth.models import User
    from deskboard.auth.security import hash_password
    from deskboard.migrations import upgrade
    from tests.conftest import _sync_url

    upgrade(url)
    engine = create_engine(_sync_url(url))
    try:
        with Session(engine) as session, session.begin():
            digest = hash_password(PASSWORD)
            for email, role in accounts:
                session.add(
                    User(email=email, name=email.split("@")[0], role=role, password_hash=digest)
                )
    finally:
        engine.dispose()


class Flapper:
    """A TCP hop in front of one replica that goes down and up on demand, as a flapping link
    or host would: down refuses new connections and resets open ones. Runs its own event loop
    in a thread, so sync fixtures and async tests can both drive it."""

    def __init__(self, host: str, target: tuple[str, int]) -> None:
        import asyncio
        import threading

        self.host = host
        self.port = free_port(host)
        self.target = target
        self.loop = asyncio.new_event_loop()
        self._server: asyncio.Server | None = None
        self._open: set[asyncio.StreamWriter] = set()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def _call(self, coroutine: Any) -> Any:
        import asyncio

        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(30)

    def up(self) -> None:
        self._call(self._up())

    def down(self) -> None:
        self._call(self._down())

    def stop(self) -> None:
        with suppress(Exception):
            self.down()
        self.loop.call_soon_threadsafe(self.loop.stop)

    async def _up(self) -> None:
        import asyncio

        if self._server is None:
            self._server = await asyncio.start_server(
                self._serve, self.host, self.port, reuse_address=True
            )

    async def _down(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
        for writer in list(self._open):
            writer.transport.abort()
        self._open.clear()

    async def _serve(self, reader: Any, writer: Any) -> None:
        import asyncio

        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self._open.update((writer, up_writer))

        async def pipe(source: Any, sink: Any) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except (OSError, asyncio.CancelledError):
                pass
            finally:
                with suppress(Exception):
                    sink.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self._open.discard(writer)
        self._open.discard(up_writer)
