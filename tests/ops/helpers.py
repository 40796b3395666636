"""Helpers for the operations tests: row counts of a database, a throwaway PostgreSQL database,
and the `deskboard` command run as a subprocess."""

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import create_engine, text

from tests.conftest import _sync_url

TABLES = ("users", "tickets", "ticket_comments", "ticket_changes", "layouts", "layout_versions")
DESKBOARD = [sys.executable, "-m", "deskboard.cli"]


def row_counts(url: str) -> dict[str, int]:
    engine = create_engine(_sync_url(url))
    try:
        with engine.connect() as connection:
            return {
                name: int(connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one())
                for name in TABLES
            }
    finally:
        engine.dispose()


def rows(url: str, sql: str) -> list[tuple[object, ...]]:
    engine = create_engine(_sync_url(url))
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql))]
    finally:
        engine.dispose()


def execute(url: str, sql: str) -> None:
    """Run one statement and commit it."""
    engine = create_engine(_sync_url(url))
    try:
        with engine.begin() as connection:
            connection.execute(text(sql))
    finally:
        engine.dispose()


@contextmanager
def scratch_postgres(base_url: str, name: str) -> Iterator[str]:
    """A new, empty PostgreSQL database beside the test one; dropped afterwards."""
    parts = urlsplit(base_url)
    admin = create_engine(
        _sync_url(urlunsplit(parts._replace(path="/postgres"))), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run_deskboard(
    *args: str, env: dict[str, str], timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a fresh process with exactly these DESKBOARD_* settings."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DESKBOARD_")}
    return subprocess.run(
        [*DESKBOARD, *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=Path(__file__).resolve().parents[2],
    )


def one_line(stderr: str) -> str:
    """The whole of stderr, asserted to be one readable line (no traceback)."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]
