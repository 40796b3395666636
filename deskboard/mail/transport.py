"""IMAP and SMTP connections (imapclient and smtplib, blocking: callers run them in a thread).

Plain values in, plain values out: the poller and the outbox worker hold the database side.
"""

import contextlib
import smtplib
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage

from imapclient import IMAPClient


@dataclass(frozen=True)
class ImapConfig:
    host: str
    port: int
    security: str
    username: str
    password: str
    folder: str
    timeout: float


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: str
    username: str
    password: str
    timeout: float


def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


def imap_connect(config: ImapConfig) -> IMAPClient:
    client = IMAPClient(
        config.host,
        port=config.port,
        ssl=config.security == "ssl",
        ssl_context=_tls_context() if config.security == "ssl" else None,
        timeout=config.timeout,
    )
    try:
        if config.security == "starttls":
            client.starttls(_tls_context())
        client.login(config.username, config.password)
    except BaseException:
        _close(client)
        raise
    return client


def _close(client: IMAPClient) -> None:
    try:
        client.logout()
    except Exception:  # already gone; nothing to tidy
        with contextlib.suppress(Exception):
            client.shutdown()


@dataclass(frozen=True)
class FolderState:
    uidvalidity: int
    uids: list[int]  # UIDs above the last one seen, ascending


class ImapSession:
    """One signed-in connection with the folder selected read-only (messages stay unread)."""

    def __init__(self, config: ImapConfig):
        self.config = config
        self.client = imap_connect(config)

    def __enter__(self) -> "ImapSession":
        return self

    def __exit__(self, *exc: object) -> None:
        _close(self.client)

    def new_uids(self, after_uid: int) -> FolderState:
        status = self.client.select_folder(self.config.folder, readonly=True)
        uidvalidity = int(status[b"UIDVALIDITY"])
        # "n:*" always matches the highest UID, even below n: keep only those above.
        found = self.client.search(["UID", f"{after_uid + 1}:*"])
        return FolderState(uidvalidity, sorted(uid for uid in found if uid > after_uid))

    def fetch(self, uids: list[int], batch: int) -> Iterator[tuple[int, bytes]]:
        """(uid, raw message) in UID order, `batch` per round trip."""
        for start in range(0, len(uids), batch):
            chunk = uids[start : start + batch]
            answer = self.client.fetch(chunk, ["BODY.PEEK[]"])
            for uid in chunk:
                data = answer.get(uid)
                if data is None:  # expunged in the meantime
                    continue
                raw = data.get(b"BODY[]")
                if isinstance(raw, bytes):
                    yield uid, raw


def smtp_send(config: SmtpConfig, message: EmailMessage) -> None:
    """Send one message; raises smtplib/OSError exceptions on failure."""
    with _smtp_connect(config) as smtp:
        smtp.send_message(message)


def _smtp_connect(config: SmtpConfig) -> smtplib.SMTP:
    smtp: smtplib.SMTP
    if config.security == "ssl":
        smtp = smtplib.SMTP_SSL(
            config.host, config.port, timeout=config.timeout, context=_tls_context()
        )
    else:
        smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
    try:
        smtp.ehlo()
        if config.security == "starttls":
            smtp.starttls(context=_tls_context())
            smtp.ehlo()
        if config.username:
            smtp.login(config.username, config.password)
    except BaseException:
        smtp.close()
        raise
    return smtp


def check_imap(config: ImapConfig) -> str:
    """Sign in and open the folder; return a one-line summary (raises on failure)."""
    with ImapSession(config) as session:
        status = session.client.select_folder(config.folder, readonly=True)
        return f"signed in; {config.folder} holds {int(status.get(b'EXISTS', 0))} messages"


def check_smtp(config: SmtpConfig) -> str:
    with _smtp_connect(config) as smtp:
        code, _ = smtp.noop()
        return f"signed in; server answered {code}"


def describe_error(exc: BaseException) -> str:
    """A short, password-free line for the admin screen."""
    text = str(exc).strip() or type(exc).__name__
    if isinstance(exc, bytes):
        text = exc.decode("utf-8", "replace")
    return f"{type(exc).__name__}: {text}"[:480]
