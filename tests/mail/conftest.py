"""Mail test kit: a throwaway Dovecot (IMAP) on a free loopback port, an aiosmtpd sink, the
corpus of real messages, and hand-cranked poller and outbox rounds."""

import imaplib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from deskboard.config import Settings
from deskboard.db import Database
from deskboard.mail import poller, sender
from deskboard.mail.models import InboundMessage, OutboundMail

CORPUS = Path(__file__).parent / "corpus"
IMAP_PASSWORD = "imap-test-password"
_users = itertools.count(1)


def corpus(name: str, **values: str) -> bytes:
    """A corpus message with {{PLACEHOLDERS}} filled in (ids of our own mails, numbers)."""
    raw = (CORPUS / name).read_bytes()
    for key, value in values.items():
        raw = raw.replace(b"{{" + key.encode() + b"}}", value.encode())
    return raw


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Dovecot:
    port: int
    root: Path

    def new_account(self) -> str:
        """A fresh IMAP account (its own empty Maildir): any user name signs in."""
        return f"support{next(_users)}-{os.getpid()}@example.test"

    def append(self, user: str, *messages: bytes, folder: str = "INBOX") -> None:
        """Deliver messages with IMAP APPEND, as a mail server's delivery agent would."""
        imap = imaplib.IMAP4("127.0.0.1", self.port)
        try:
            imap.login(user, IMAP_PASSWORD)
            for raw in messages:
                crlf = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
                status, _ = imap.append(folder, None, None, crlf)
                assert status == "OK"
        finally:
            imap.logout()


_CONFIG = """
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
{users}
mail_location = maildir:{root}/mail/%u
service imap-login {{
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
"""


def _users_section(root: Path) -> tuple[str, int, int]:
    """Dovecot refuses to run its login process as root: as root, use the Debian package's
    unprivileged users; otherwise everything runs as the current user."""
    if os.geteuid() != 0:
        return "", os.getuid(), os.getgid()
    mail_user = pwd.getpwnam("dovecot")
    os.chown(root / "mail", mail_user.pw_uid, mail_user.pw_gid)
    section = (
        "default_internal_user = dovecot\ndefault_internal_group = dovecot\n"
        "default_login_user = dovenull\nfirst_valid_uid = 1\n"
    )
    return section, mail_user.pw_uid, mail_user.pw_gid


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
    if not Path(binary).exists():
        pytest.fail("Dovecot is not installed (apt-get install dovecot-imapd)")
    root = Path(tempfile.mkdtemp(prefix="deskboard-dovecot-"))
    root.chmod(0o755)
    (root / "mail").mkdir()
    port = _free_port()
    users, uid, gid = _users_section(root)
    config = root / "dovecot.conf"
    config.write_text(
        _CONFIG.format(root=root, port=port, users=users, uid=uid, gid=gid, password=IMAP_PASSWORD)
    )
    process = subprocess.Popen(
        [binary, "-F", "-c", str(config)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 15
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                if sock.recv(100).startswith(b"* OK"):
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            output = process.stdout.read().decode() if process.stdout else ""
            log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
            process.kill()
            pytest.fail(f"Dovecot did not start: {output} {log}")
        time.sleep(0.1)
    yield Dovecot(port=port, root=root)
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    shutil.rmtree(root, ignore_errors=True)


@dataclass
class Sink:
    """An SMTP server on loopback that keeps every message it accepts."""

    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    refuse: int = 0  # answer 451 to the next n messages
    lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_for(self, count: int, timeout: float = 10) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.02)
        return list(self.messages)


@pytest.fixture
def smtp_sink() -> Iterator[Sink]:
    sink = Sink()

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
            with sink.lock:
                if sink.refuse > 0:
                    sink.refuse -= 1
                    return "451 4.3.0 try again later"
                message = message_from_bytes(envelope.content, policy=policy.default)
                sink.messages.append(message)  # type: ignore[arg-type]
                sink.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=_free_port())
    controller.start()
    sink.port = controller.port
    yield sink
    controller.stop()


MakeMailbox = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
def make_mailbox(dovecot: Dovecot, smtp_sink: Sink) -> MakeMailbox:
    """Create a mailbox through the API, reading a fresh Dovecot account and sending to the
    sink; returns the API answer plus `imap_user`."""

    async def factory(admin: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
        user = dovecot.new_account()
        body = {
            "name": "Support",
            "address": user,
            "imap": {
                "host": "127.0.0.1",
                "port": dovecot.port,
                "security": "none",
                "username": user,
                "password": IMAP_PASSWORD,
            },
            "smtp": {"host": "127.0.0.1", "port": smtp_sink.port, "security": "none"},
            **fields,
        }
        response = await admin.post("/api/mailboxes", json=body)
        assert response.status_code == 201, response.text
        return {**response.json(), "imap_user": user}

    return factory


@pytest.fixture
def mail_settings(settings: Settings) -> Settings:
    """The test settings with retries due at once (backoff is tested on its own)."""
    return settings.model_copy(update={"mail_retry_base_seconds": 0.0, "mail_max_attempts": 3})


@pytest.fixture
def poll(database: Database, mail_settings: Settings) -> Callable[..., Awaitable[Any]]:
    async def run(mailbox_id: int) -> poller.PollSummary:
        return await poller.poll_mailbox(database, mail_settings, mailbox_id)

    return run


@pytest.fixture
def send_all(database: Database, mail_settings: Settings) -> Callable[..., Awaitable[int]]:
    """Run outbox rounds until nothing is due; return the attempts made."""

    async def run(rounds: int = 20) -> int:
        made = 0
        for _ in range(rounds):
            count = await sender.run_once(database, mail_settings)
            if count == 0:
                return made
            made += count
        return made

    return run


@pytest.fixture
def inbound_rows(database: Database) -> Callable[[], Awaitable[list[InboundMessage]]]:
    async def read() -> list[InboundMessage]:
        async with database.sessionmaker() as session:
            stmt = select(InboundMessage).order_by(InboundMessage.id)
            return list((await session.execute(stmt)).scalars())

    return read


@pytest.fixture
def outbox_rows(database: Database) -> Callable[[], Awaitable[list[OutboundMail]]]:
    async def read() -> list[OutboundMail]:
        async with database.sessionmaker() as session:
            stmt = select(OutboundMail).order_by(OutboundMail.id)
            return list((await session.execute(stmt)).scalars())

    return read
