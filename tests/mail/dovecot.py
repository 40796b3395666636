"""A throwaway Dovecot IMAP server for tests and benchmarks (Debian's dovecot-imapd)."""

import imaplib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

IMAP_PASSWORD = "imap-test-password"
_users = itertools.count(1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Dovecot:
    port: int
    root: Path
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.root, ignore_errors=True)

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


class DovecotMissing(RuntimeError):
    pass


def start_dovecot() -> Dovecot:
    """Start Dovecot in the foreground (`dovecot -F`) on a free loopback port, with a temporary
    Maildir per account and a static passdb: no system configuration is read or changed."""
    binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
    if not Path(binary).exists():
        raise DovecotMissing("Dovecot is not installed (apt-get install dovecot-imapd)")
    root = Path(tempfile.mkdtemp(prefix="deskboard-dovecot-"))
    root.chmod(0o755)
    (root / "mail").mkdir()
    port = free_port()
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
            raise RuntimeError(f"Dovecot did not start: {output} {log}")
        time.sleep(0.1)
    return Dovecot(port=port, root=root, process=process)
