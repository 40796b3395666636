"""`deskboard backup` and `deskboard restore`: a consistent database snapshot plus the
attachment store, in one verified archive.

SQLite is copied with the online backup API (one read transaction: consistent while the server
writes); PostgreSQL with `pg_dump -Fc` (one snapshot) and `pg_restore` in one transaction.
A restore goes only into an empty database unless forced, and ends at this code's migration head
and each installed plugin's.
"""

import asyncio
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from alembic.util.exc import CommandError
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url

from deskboard.config import Settings
from deskboard.db import make_engine
from deskboard.migrations import upgrade
from deskboard.ops.archive import (
    ATTACHMENTS,
    DATABASE_MEMBER,
    ArchiveWriter,
    BackupError,
    DatabaseKind,
    Manifest,
    extract_member,
    open_verified,
)
from deskboard.ops.readiness import code_heads, migration_state
from deskboard.plugins.migrations import upgrade_plugins

_USER_TABLES = (
    "SELECT count(*) FROM information_schema.tables "
    "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
)


@dataclass(frozen=True)
class RestoreResult:
    manifest: Manifest
    upgraded: bool  # the archive was older than this code and migrations ran after the restore


def database_kind(settings: Settings) -> DatabaseKind:
    return "sqlite" if settings.is_sqlite else "postgresql"


def attachments_dir(settings: Settings) -> Path:
    return settings.data_dir / ATTACHMENTS


# --- backup ---------------------------------------------------------------------------------


def backup(settings: Settings, destination: Path) -> Manifest:
    """Write an archive of the database and the attachment store to `destination`."""
    kind = database_kind(settings)
    if destination.exists():
        raise BackupError(f"{destination} exists; choose a new file name")
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="deskboard-backup-", dir=destination.parent) as work:
        snapshot = Path(work) / DATABASE_MEMBER[kind]
        if kind == "sqlite":
            revisions = _sqlite_snapshot(_sqlite_path(settings), snapshot)
        else:
            revisions = _pg_dump(settings.resolved_database_url, snapshot)
        partial = destination.with_name(destination.name + ".partial")
        writer = ArchiveWriter(partial, Manifest(database=kind, revisions=revisions))
        try:
            writer.add_file(DATABASE_MEMBER[kind], snapshot)
            store = attachments_dir(settings)
            if store.is_dir():
                for file in sorted(p for p in store.rglob("*") if p.is_file()):
                    writer.add_file(f"{ATTACHMENTS}/{file.relative_to(store).as_posix()}", file)
            writer.finish()
        except BaseException:
            writer.abort()
            partial.unlink(missing_ok=True)
            raise
        partial.replace(destination)  # never leave a half-written file under the final name
    return writer.manifest


def _sqlite_path(settings: Settings) -> Path:
    return Path(make_url(settings.resolved_database_url).database or "")


def _sqlite_snapshot(source: Path, target: Path) -> list[str]:
    if not source.is_file():
        raise BackupError(f"no SQLite database at {source}")
    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=10)
    copy = sqlite3.connect(target)
    try:
        # One step (pages=-1): a single read transaction, so the copy is one moment's state
        # even while the server keeps writing (WAL lets it).
        reader.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        return _sqlite_revisions(copy)
    finally:
        copy.close()
        reader.close()


def _sqlite_revisions(connection: sqlite3.Connection) -> list[str]:
    try:
        rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.DatabaseError:
        return []
    return sorted(row[0] for row in rows)


# --- PostgreSQL tools -----------------------------------------------------------------------


def _libpq_env(url: URL) -> dict[str, str]:
    """Connection settings for pg_dump/pg_restore as PG* variables (a password in argv would
    show in `ps`)."""
    env = dict(os.environ)
    for key, value in (
        ("PGHOST", url.host),
        ("PGPORT", url.port),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
        ("PGDATABASE", url.database),
    ):
        if value is not None:
            env[key] = str(value)
    return env


def _run_tool(tool: str, args: list[str], url: URL) -> None:
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(f"{tool} not found: install postgresql-client-15 (Debian's package)")
    result = subprocess.run(
        [executable, *args], env=_libpq_env(url), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        raise BackupError(f"{tool} failed: {lines[0] if lines else f'exit {result.returncode}'}")


def _tool_major(tool: str) -> int:
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(f"{tool} not found: install postgresql-client-15 (Debian's package)")
    output = subprocess.run([executable, "--version"], capture_output=True, text=True).stdout
    found = re.search(r"(\d+)(?:\.\d+)?", output)
    return int(found.group(1)) if found else 0


async def _pg_state(url: str) -> tuple[int, list[str], int]:
    """Server major version, migration revisions and number of user tables."""
    engine = make_engine(url, pool_size=1, max_overflow=0)
    try:
        async with engine.connect() as connection:
            version = int((await connection.execute(text("SHOW server_version_num"))).scalar_one())
            tables = int((await connection.execute(text(_USER_TABLES))).scalar_one())
            revisions: list[str] = []
            if tables:
                exists = await connection.execute(text("SELECT to_regclass('alembic_version')"))
                if exists.scalar_one() is not None:
                    rows = await connection.execute(text("SELECT version_num FROM alembic_version"))
                    revisions = sorted(row[0] for row in rows)
    except OSError as exc:
        raise BackupError(f"cannot reach the database: {exc.strerror or exc}") from exc
    finally:
        await engine.dispose()
    return version // 10_000, revisions, tables


def _check_tool_version(tool: str, server_major: int) -> None:
    if _tool_major(tool) < server_major:
        raise BackupError(
            f"{tool} is older than the PostgreSQL {server_major} server: "
            f"install postgresql-client-{server_major}"
        )


def _pg_dump(database_url: str, target: Path) -> list[str]:
    major, revisions, _ = asyncio.run(_pg_state(database_url))
    _check_tool_version("pg_dump", major)
    args = ["--format=custom", "--no-owner", "--file", str(target)]
    _run_tool("pg_dump", args, make_url(database_url))
    return revisions


# --- restore --------------------------------------------------------------------------------


def restore(settings: Settings, source: Path, *, force: bool = False) -> RestoreResult:
    """Restore an archive into this settings' database and data folder."""
    tar, manifest = open_verified(source)
    with tar:
        kind = database_kind(settings)
        if manifest.database != kind:
            raise BackupError(
                f"the archive holds a {manifest.database} database but DESKBOARD_DATABASE_URL "
                f"is {kind}; restore it into a {manifest.database} database"
            )
        state = migration_state(frozenset(manifest.revisions), code_heads())
        if state == "ahead":
            raise BackupError(
                "the archive comes from a newer Deskboard (migration "
                f"{', '.join(manifest.revisions)}); upgrade this installation first"
            )
        tables = _table_count(settings)
        if tables and not force:
            raise BackupError(
                f"the database is not empty ({tables} tables); restore only into an empty "
                "database, or use --force to replace it"
            )
        store = attachments_dir(settings)
        if not force and store.is_dir() and any(store.iterdir()):
            raise BackupError(
                f"the attachment store {store} is not empty; use --force to replace it"
            )
        with tempfile.TemporaryDirectory(prefix="deskboard-restore-") as work:
            snapshot = Path(work) / DATABASE_MEMBER[kind]
            extract_member(tar, DATABASE_MEMBER[kind], snapshot)
            if kind == "sqlite":
                _sqlite_restore(snapshot, _sqlite_path(settings))
            else:
                _pg_restore(settings.resolved_database_url, snapshot, replace=tables > 0)
        _restore_attachments(tar, manifest, store)
    upgraded = state == "behind"
    _migrate_restored(settings.resolved_database_url, core=upgraded)
    return RestoreResult(manifest=manifest, upgraded=upgraded)


def _migrate_restored(database_url: str, *, core: bool) -> None:
    """End at this installation's heads: the core's when the archive is older, and always each
    installed plugin's (one installed or upgraded since the backup has no tables there yet)."""
    try:
        if core:
            upgrade(database_url)  # the core's migrations, then every plugin's
        else:
            upgrade_plugins(database_url)
    except CommandError as exc:
        # A plugin revision this installation lacks: the backup had a newer plugin.
        raise BackupError(
            f"the database is restored, but migrating it failed ({exc}): install the plugin "
            "versions the backup was taken with, then run `deskboard migrate`"
        ) from exc


def _table_count(settings: Settings) -> int:
    if database_kind(settings) == "postgresql":
        return asyncio.run(_pg_state(settings.resolved_database_url))[2]
    target = _sqlite_path(settings)
    if not target.exists():
        return 0
    connection = sqlite3.connect(target)
    try:
        count = connection.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
        return int(count.fetchone()[0])
    finally:
        connection.close()


def _sqlite_restore(snapshot: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(target.name + ".restoring")
    shutil.copyfile(snapshot, staged)
    staged.chmod(0o600)
    for suffix in ("-wal", "-shm"):  # a stale WAL would be replayed over the restored file
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    staged.replace(target)


def _pg_restore(database_url: str, snapshot: Path, *, replace: bool) -> None:
    major, _, _ = asyncio.run(_pg_state(database_url))
    _check_tool_version("pg_restore", major)
    if replace:
        asyncio.run(_pg_reset_schema(database_url))
    args = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    url = make_url(database_url)
    _run_tool("pg_restore", [*args, "--dbname", url.database or "", str(snapshot)], url)


async def _pg_reset_schema(url: str) -> None:
    engine = make_engine(url, pool_size=1, max_overflow=0)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()


def _restore_attachments(tar: tarfile.TarFile, manifest: Manifest, store: Path) -> None:
    names = [name for name in manifest.members if name.startswith(f"{ATTACHMENTS}/")]
    staged = store.with_name(store.name + ".restoring")
    shutil.rmtree(staged, ignore_errors=True)
    staged.mkdir(parents=True)
    for name in names:
        extract_member(tar, name, staged / name.removeprefix(f"{ATTACHMENTS}/"))
    if store.exists():
        shutil.rmtree(store)
    staged.replace(store)
