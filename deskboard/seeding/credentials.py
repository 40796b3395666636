"""The demo's sign-ins, kept in the data folder (0600) so `make run` can show them on each start.

The file is the only copy of each demo password: the database holds argon2 hashes.
"""

import os
import tempfile
from pathlib import Path

from deskboard.config import Settings
from deskboard.seeding.demo import SignIn

CREDENTIALS_FILE = "demo-credentials.txt"
_HEADER = (
    "# Deskboard demo sign-ins, written by `deskboard seed --demo` (readable by you only).\n"
    "# Local demo only: delete this file with the demo database.\n"
    "# role   email   password\n"
)


def credentials_path(settings: Settings) -> Path:
    return settings.data_dir / CREDENTIALS_FILE


def read_sign_ins(path: Path) -> list[SignIn] | None:
    """The sign-ins in the file, None when there is no file."""
    try:
        text = path.read_text()
    except FileNotFoundError:
        return None
    sign_ins = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) == 3 and not line.startswith("#"):
            sign_ins.append(SignIn(*fields))
    return sign_ins


def save_sign_ins(path: Path, created: list[SignIn]) -> None:
    """Add (or replace, by email) these sign-ins; the file is 0600 from its first byte on."""
    if not created:
        return
    fresh = {sign_in.email for sign_in in created}
    kept = [s for s in read_sign_ins(path) or [] if s.email not in fresh]
    body = "".join(f"{s.role:<6} {s.email} {s.password}\n" for s in [*kept, *created])
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # mkstemp creates the file 0600; the rename makes it appear whole or not at all.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{CREDENTIALS_FILE}.")
    try:
        with os.fdopen(handle, "w") as file:
            file.write(_HEADER + body)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
