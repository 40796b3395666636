"""The data folder is 0700, the database and the secret key 0600, from the moment they exist."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from deskboard.config import Settings
from deskboard.db import Database, prepare_sqlite_file


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def permissive_umask():
    """The usual umask (022) would make files 0644 and folders 0755 if nothing asked otherwise."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_the_secret_key_and_its_folder_are_created_private(tmp_path, permissive_umask):
    settings = Settings(data_dir=tmp_path / "data", secret_key=None, env="development")

    key = settings.resolved_secret_key

    assert len(key) >= 48
    assert _mode(tmp_path / "data") == 0o700
    assert _mode(tmp_path / "data" / "secret_key") == 0o600
    # A second start reads the same key rather than writing another.
    assert Settings(data_dir=tmp_path / "data", secret_key=None).resolved_secret_key == key


async def test_the_database_and_its_wal_are_created_private(tmp_path, permissive_umask):
    settings = Settings(data_dir=tmp_path / "data", database_url=None)
    database = Database(settings)
    try:
        async with database.engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (x INTEGER)"))
            await connection.execute(text("INSERT INTO t VALUES (1)"))
            # While a connection is open the -wal and -shm files exist too.
            modes = {f.name: _mode(f) for f in (tmp_path / "data").iterdir()}
    finally:
        await database.dispose()

    assert _mode(tmp_path / "data") == 0o700
    assert modes == {"deskboard.db": 0o600, "deskboard.db-wal": 0o600, "deskboard.db-shm": 0o600}


def test_migrate_creates_a_private_database(tmp_path, permissive_umask):
    env = {**os.environ, "DESKBOARD_DATA_DIR": str(tmp_path / "fresh")}
    env.pop("DESKBOARD_DATABASE_URL", None)
    command = [sys.executable, "-m", "deskboard.cli", "migrate"]

    subprocess.run(command, env=env, check=True, capture_output=True, timeout=120)

    assert _mode(tmp_path / "fresh") == 0o700
    assert _mode(tmp_path / "fresh" / "deskboard.db") == 0o600


def test_an_existing_database_file_keeps_its_mode(tmp_path):
    (tmp_path / "deskboard.db").touch(mode=0o640)
    (tmp_path / "deskboard.db").chmod(0o640)

    prepare_sqlite_file(Settings(data_dir=tmp_path, database_url=None))

    assert _mode(tmp_path / "deskboard.db") == 0o640  # the operator's choice is theirs
