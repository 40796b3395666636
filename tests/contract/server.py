"""A real server for the contract run: its own fresh database, a uvicorn process, seeded data.

Its own process and database keep it apart from the suite's shared app and per-test cleaning;
the seed goes through the API itself, so it stays right when the service rules change.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from deskboard.auth.models import User
from deskboard.auth.security import hash_password
from deskboard.migrations import upgrade

PASSWORD = "contract-run-password-1"
ROLES = ("admin", "agent", "user", "guest")


@dataclass
class LiveServer:
    base_url: str
    # role -> Authorization header value; "anonymous" has none.
    tokens: dict[str, str] = field(default_factory=dict)
    user_ids: dict[str, int] = field(default_factory=dict)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _sync_url(url: str) -> str:
    return url.replace("+asyncpg", "+psycopg").replace("+aiosqlite", "")


@contextmanager
def fresh_database(data_dir: Path) -> Iterator[str]:
    """A migrated, empty database: SQLite in data_dir, or PostgreSQL beside the suite's one."""
    requested = os.environ.get("DESKBOARD_TEST_DATABASE_URL", "")
    if not requested.startswith("postgresql"):
        url = f"sqlite+aiosqlite:///{data_dir / 'contract.db'}"
        upgrade(url)
        yield url
        return
    parts = urlsplit(requested)
    name = f"deskboard_contract_{os.getpid()}"
    admin = create_engine(
        _sync_url(urlunsplit(parts._replace(path="/postgres"))), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = urlunsplit(parts._replace(path=f"/{name}"))
    try:
        upgrade(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _insert_admin(url: str) -> None:
    """The one account the API cannot make: the first admin (the ORM fills every default)."""
    engine = create_engine(_sync_url(url))
    with Session(engine) as session, session.begin():
        session.add(
            User(
                email="admin@contract.test",
                name="Contract admin",
                role="admin",
                password_hash=hash_password(PASSWORD),
                is_active=True,
            )
        )
    engine.dispose()


@contextmanager
def live_server() -> Iterator[LiveServer]:
    with tempfile.TemporaryDirectory(prefix="deskboard-contract-") as tmp:
        data_dir = Path(tmp)
        with fresh_database(data_dir) as url:
            _insert_admin(url)
            port = _free_port()
            env = {
                **os.environ,
                "DESKBOARD_ENV": "test",
                "DESKBOARD_DATA_DIR": str(data_dir),
                "DESKBOARD_DATABASE_URL": url,
                "DESKBOARD_SECRET_KEY": "contract-secret-key-that-is-long-enough-for-hs256",
                "DESKBOARD_DUE_SOON_SWEEP_SECONDS": "0",
                "DESKBOARD_SLA_SWEEP_SECONDS": "0",
                "DESKBOARD_AUTOMATION_SWEEP_SECONDS": "0",
                # No delivery worker: the seeded webhook's deliveries are queued, never sent.
                "DESKBOARD_WEBHOOK_POLL_SECONDS": "0",
                # No mail poller or sender: the seeded mailbox points at a closed port.
                "DESKBOARD_MAIL_POLL_SECONDS": "0",
                "DESKBOARD_MAIL_SEND_SECONDS": "0",
            }
            env.pop("DESKBOARD_REDIS_URL", None)
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "deskboard.app:create_app",
                    "--factory",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--log-level",
                    "warning",
                    "--no-access-log",
                ],
                env=env,
            )
            try:
                server = LiveServer(base_url=f"http://127.0.0.1:{port}")
                _wait_until_up(server.base_url, process)
                seed(server)
                yield server
            finally:
                process.terminate()
                process.wait(timeout=20)


def _wait_until_up(base_url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the contract server exited at start")
        try:
            if httpx.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the contract server did not start within 180 s")


def _login(http: httpx.Client, email: str) -> tuple[str, int]:
    answer = http.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    answer.raise_for_status()
    body = answer.json()
    return f"Bearer {body['access_token']}", int(body["user"]["id"])


def seed(server: LiveServer) -> None:
    """One person per role, and tickets, comments, attachments, views, layouts, a team, saved
    replies, a webhook, an API token, an automation rule and a mailbox so that ids exist."""
    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        server.tokens["admin"], server.user_ids["admin"] = _login(http, "admin@contract.test")
        admin = {"Authorization": server.tokens["admin"]}
        for role in ROLES[1:]:
            email = f"{role}@contract.test"
            http.post(
                "/api/users",
                headers=admin,
                json={
                    "email": email,
                    "name": f"Contract {role}",
                    "role": role,
                    "password": PASSWORD,
                },
            ).raise_for_status()
            server.tokens[role], server.user_ids[role] = _login(http, email)
        for role in ROLES:
            headers = {"Authorization": server.tokens[role]}
            # Whatever a role may do is seeded; a refusal (403) just means it may not.
            for number in range(2):
                made = http.post(
                    "/api/tickets",
                    headers=headers,
                    json={
                        "title": f"{role} ticket {number}",
                        "description": "seeded",
                        "tags": ["seed"],
                    },
                )
                if made.status_code == 201:
                    ticket_id = made.json()["id"]
                    http.post(
                        f"/api/tickets/{ticket_id}/comments",
                        headers=headers,
                        json={"body": f"a comment by {role}"},
                    )
                    http.post(
                        f"/api/tickets/{ticket_id}/attachments",
                        headers=headers,
                        files={"file": (f"{role}-{number}.txt", f"seeded by {role}\n".encode())},
                        data={"internal": "true" if role == "agent" and number else "false"},
                    )
            # A draft (for a new ticket), seen only by its uploader.
            http.post(
                "/api/attachments",
                headers=headers,
                files={"file": (f"{role}-draft.txt", f"draft of {role}\n".encode())},
            )
            http.post(
                "/api/views",
                headers=headers,
                json={"name": f"{role} view", "filter": {"status": ["open"]}},
            )
            http.get("/api/layout/me", headers=headers)
        _seed_integrations(http, server)
        _seed_plugins(http, server)


def _seed_plugins(http: httpx.Client, server: LiveServer) -> None:
    """The example plugins (installed in the test environment) enabled, with one shift."""
    admin = {"Authorization": server.tokens["admin"]}
    for name in ("oncall", "heatmap"):
        http.patch(f"/api/plugins/{name}", headers=admin, json={"enabled": True}).raise_for_status()
    http.post(
        "/api/plugins/oncall/shifts",
        headers=admin,
        json={
            "user_id": server.user_ids["agent"],
            "starts_at": "2026-01-01T00:00:00Z",
            "ends_at": "2030-01-01T00:00:00Z",
            "note": "seeded",
        },
    ).raise_for_status()


def _seed_integrations(http: httpx.Client, server: LiveServer) -> None:
    admin = {"Authorization": server.tokens["admin"]}
    team = http.post(
        "/api/teams",
        headers=admin,
        json={"name": "Contract team", "member_ids": [server.user_ids["agent"]]},
    )
    team.raise_for_status()
    replies = [
        ("admin", {"title": "Global reply", "body": "Hi {{ requester.name }},", "scope": "global"}),
        ("agent", {"title": "Agent reply", "body": "Ticket {{ ticket.number }}"}),
        (
            "agent",
            {
                "title": "Team reply",
                "body": "Regards, {{ agent.name }}",
                "scope": "team",
                "team_id": team.json()["id"],
            },
        ),
    ]
    for role, body in replies:
        headers = {"Authorization": server.tokens[role]}
        http.post("/api/saved-replies", headers=headers, json=body).raise_for_status()
    # A closed loopback port: nothing listens, and with no delivery worker nothing is sent.
    http.post(
        "/api/webhooks",
        headers=admin,
        json={"url": "http://127.0.0.1:9/contract", "events": ["ticket.created"]},
    ).raise_for_status()
    http.post(
        "/api/api-tokens",
        headers=admin,
        json={"name": "Contract token", "scopes": ["tickets:read"]},
    ).raise_for_status()
    http.post(
        "/api/automations",
        headers=admin,
        json={
            "name": "Contract rule",
            "when": "ticket.created",
            "conditions": {"priority": ["urgent"]},
            "actions": [
                {"type": "set", "fields": {"tags": ["contract"]}},
                {"type": "assign", "strategy": "round_robin", "team_id": team.json()["id"]},
            ],
        },
    ).raise_for_status()
    # A mailbox on closed loopback ports: its test button answers "refused" quickly.
    http.post(
        "/api/mailboxes",
        headers=admin,
        json={
            "name": "Contract support",
            "address": "support@contract.test",
            "imap": {"host": "127.0.0.1", "port": 9, "security": "none", "username": "support"},
            "smtp": {"host": "127.0.0.1", "port": 9, "security": "none"},
        },
    ).raise_for_status()
