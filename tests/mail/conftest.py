"""Mail test kit: a throwaway Dovecot (IMAP) on a free loopback port, an aiosmtpd sink, the
corpus of real messages, and hand-cranked poller and outbox rounds."""

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
from tests.mail.dovecot import IMAP_PASSWORD, Dovecot, DovecotMissing, free_port, start_dovecot

__all__ = ["IMAP_PASSWORD", "Dovecot"]

CORPUS = Path(__file__).parent / "corpus"


def corpus(name: str, **values: str) -> bytes:
    """A corpus message with {{PLACEHOLDERS}} filled in (ids of our own mails, numbers)."""
    raw = (CORPUS / name).read_bytes()
    for key, value in values.items():
        raw = raw.replace(b"{{" + key.encode() + b"}}", value.encode())
    return raw


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    try:
        running = start_dovecot()
    except DovecotMissing as exc:
        pytest.fail(str(exc))
    yield running
    running.stop()


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

    controller = Controller(Handler(), hostname="127.0.0.1", port=free_port())
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
