"""deskboard backup / restore: round trips on the test database (SQLite or PostgreSQL) while a
writer writes, and archives that must be refused."""

import asyncio
import os
import shutil
import tarfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from deskboard.attachments.storage import local_root, shard_path
from deskboard.config import Settings
from deskboard.ops.archive import DATABASE_MEMBER, ArchiveWriter, BackupError, Manifest
from deskboard.ops.backup import backup, restore
from deskboard.plugins import state as plugin_state
from deskboard.plugins.migrations import remove_tables, upgrade_plugins, version_table
from tests.layouts.helpers import starter
from tests.ops.helpers import (
    execute,
    one_line,
    row_counts,
    rows,
    run_deskboard,
    scratch_postgres,
)


async def _seed_plugin(as_admin, as_agent) -> None:
    """Rows in an installed plugin's own table (the on-call rota), through its routes."""
    enabled = await as_admin.patch("/api/plugins/oncall", json={"enabled": True})
    assert enabled.status_code == 200, enabled.text
    start = datetime.now(UTC).replace(microsecond=0)
    for number, person in enumerate((as_agent, as_admin)):
        shift = {
            "user_id": person.user.id,
            "starts_at": (start + timedelta(hours=4 * number)).isoformat(),
            "ends_at": (start + timedelta(hours=4 * number + 4)).isoformat(),
            "note": f"shift {number}",
        }
        created = await as_admin.post("/api/plugins/oncall/shifts", json=shift)
        assert created.status_code == 201, created.text


@pytest.fixture
def forget_plugin_states():
    yield
    plugin_state.forget()  # plugin_states is emptied after the test: drop this process's copy


async def _seed(as_agent, as_user) -> None:
    for number in range(5):
        created = await as_user.post(
            "/api/tickets", json={"title": f"Seeded {number}", "description": "before backup"}
        )
        assert created.status_code == 201, created.text
        ticket_id = created.json()["id"]
        comment = await as_agent.post(
            f"/api/tickets/{ticket_id}/comments", json={"body": f"Looking at {number}"}
        )
        assert comment.status_code == 201, comment.text
    for http in (as_agent, as_user):
        saved = await http.post(f"/api/layout/{http.user.id}", json=starter())
        assert saved.status_code in (200, 201), saved.text


@pytest.fixture
def attachments(settings: Settings):
    store = settings.data_dir / "attachments"
    (store / "2026" / "12").mkdir(parents=True, exist_ok=True)
    (store / "2026" / "12" / "screenshot.png").write_bytes(bytes(range(256)) * 40)
    (store / "notes.txt").write_text("attached")
    yield store
    shutil.rmtree(store)


@pytest.fixture
def target(tmp_path: Path, database_url: str, is_postgres: bool):
    """Settings of an empty database and data folder to restore into."""
    data_dir = tmp_path / "restored-data"
    if is_postgres:
        with scratch_postgres(database_url, f"deskboard_restore_{os.getpid()}") as url:
            yield Settings(database_url=url, data_dir=data_dir)
    else:
        yield Settings(
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'restored.db'}", data_dir=data_dir
        )


async def test_round_trip_while_a_writer_writes(
    settings,
    database,
    database_url,
    as_admin,
    as_agent,
    as_user,
    attachments,
    target,
    tmp_path,
    forget_plugin_states,
):
    await _seed(as_agent, as_user)
    await _seed_plugin(as_admin, as_agent)
    # A real upload: stored by the attachments service where the backup looks for it.
    first_ticket = (await as_user.get("/api/tickets")).json()["items"][-1]["id"]
    uploaded = await as_user.post(
        f"/api/tickets/{first_ticket}/attachments",
        files={"file": ("trace.log", b"uploaded before the backup\n" * 100)},
    )
    assert uploaded.status_code == 201, uploaded.text
    sha = uploaded.json()["sha256"]
    acked: list[int] = []
    stop, warmed_up = asyncio.Event(), asyncio.Event()

    async def writer() -> None:
        while not stop.is_set():
            response = await as_user.post(
                "/api/tickets", json={"title": f"During {len(acked)}", "description": "live"}
            )
            assert response.status_code == 201, response.text
            acked.append(response.json()["id"])
            if len(acked) >= 3:
                warmed_up.set()

    task = asyncio.create_task(writer())
    await warmed_up.wait()
    before = len(acked)
    archive = tmp_path / "deskboard.tar"
    manifest = await asyncio.to_thread(backup, settings, archive)
    after = len(acked)
    stop.set()
    await task

    assert manifest.database == (
        "postgresql" if settings.database_url.startswith("postgresql") else "sqlite"
    )
    assert {"attachments/notes.txt", "attachments/2026/12/screenshot.png"} <= set(manifest.members)
    result = await asyncio.to_thread(restore, target, archive)
    assert not result.upgraded

    source, restored = row_counts(database_url), row_counts(target.resolved_database_url)
    # A consistent snapshot: everything acknowledged before the backup began, nothing torn.
    assert 5 + before <= restored["tickets"] <= 5 + after + 1
    for table in ("users", "ticket_comments", "layouts", "layout_versions"):
        assert restored[table] == source[table], table
    ticket_sql = "SELECT id, title, status, requester_id FROM tickets ORDER BY id"
    restored_tickets = rows(target.resolved_database_url, ticket_sql)
    assert restored_tickets == rows(database_url, ticket_sql)[: len(restored_tickets)]
    comment_sql = "SELECT id, ticket_id, body FROM ticket_comments ORDER BY id"
    assert rows(target.resolved_database_url, comment_sql) == rows(database_url, comment_sql)
    # Each restored ticket has its audit entry (written in the same transaction): no
    # transaction was cut in half.
    torn_sql = (
        "SELECT count(*) FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM audit_entries a "
        "WHERE a.action = 'ticket.created' AND a.entity_id = CAST(t.id AS VARCHAR(64)))"
    )
    assert rows(target.resolved_database_url, torn_sql) == [(0,)]
    version = "SELECT version_num FROM alembic_version ORDER BY 1"
    assert rows(target.resolved_database_url, version) == rows(database_url, version)
    # An installed plugin's own tables and migration state come back too.
    for sql in (
        "SELECT id, user_id, starts_at, ends_at, note FROM oncall_shifts ORDER BY id",
        f"SELECT version_num FROM {version_table('oncall')}",
        "SELECT name, enabled FROM plugin_states ORDER BY name",
    ):
        source_rows = rows(database_url, sql)
        assert source_rows and rows(target.resolved_database_url, sql) == source_rows, sql
    restored_store = target.data_dir / "attachments"
    assert (restored_store / "notes.txt").read_text() == "attached"
    assert (restored_store / "2026/12/screenshot.png").read_bytes() == bytes(range(256)) * 40
    assert f"attachments/{shard_path(sha)}" in manifest.members
    assert (
        local_root(target) / shard_path(sha)
    ).read_bytes() == b"uploaded before the backup\n" * 100
    attachment_sql = "SELECT id, sha256, filename FROM attachments ORDER BY id"
    assert rows(target.resolved_database_url, attachment_sql) == rows(database_url, attachment_sql)


def test_a_restore_creates_the_tables_of_a_plugin_installed_since_the_backup(
    settings, database_url, target, tmp_path
):
    """The archive predates the on-call plugin (no rota table, no version row): the restored
    database still ends at the head of every installed plugin, as `deskboard migrate` would."""
    archive = tmp_path / "before-oncall.tar"
    remove_tables(database_url, "oncall")
    try:
        backup(settings, archive)
    finally:
        upgrade_plugins(database_url)
    restored = target.resolved_database_url
    result = restore(target, archive)
    assert not result.upgraded  # the core was already at its head
    head = f"SELECT version_num FROM {version_table('oncall')}"
    assert rows(restored, head) == rows(database_url, head) != []
    assert rows(restored, "SELECT count(*) FROM oncall_shifts") == [(0,)]


def test_a_restore_names_a_plugin_revision_this_installation_lacks(
    settings, database_url, target, tmp_path
):
    """The backup had a newer on-call plugin: the data is back, and the message says what to do."""
    archive = tmp_path / "newer-oncall.tar"
    table = version_table("oncall")
    (head,) = rows(database_url, f"SELECT version_num FROM {table}")
    execute(database_url, f"UPDATE {table} SET version_num = 'oncall_9999'")
    try:
        backup(settings, archive)
    finally:
        execute(database_url, f"UPDATE {table} SET version_num = '{head[0]}'")
    with pytest.raises(BackupError, match="oncall_9999.*plugin versions the backup was taken"):
        restore(target, archive)
    assert rows(target.resolved_database_url, f"SELECT version_num FROM {table}") == [
        ("oncall_9999",)
    ]


async def test_restore_refuses_a_database_that_is_not_empty(
    settings, database, database_url, as_user, tmp_path
):
    await as_user.post("/api/tickets", json={"title": "Keep me", "description": "x"})
    archive = tmp_path / "deskboard.tar"
    await asyncio.to_thread(backup, settings, archive)
    before = row_counts(database_url)
    with pytest.raises(BackupError, match="not empty.*--force"):
        await asyncio.to_thread(restore, settings, archive)
    assert row_counts(database_url) == before


def _corrupt(archive: Path, member: str) -> None:
    with tarfile.open(archive) as tar:
        offset = tar.getmember(member).offset_data
    with archive.open("r+b") as handle:
        handle.seek(offset + 100)
        byte = handle.read(1)
        handle.seek(offset + 100)
        handle.write(bytes([byte[0] ^ 0xFF]))


def _other_kind_archive(path: Path, kind: str) -> None:
    other = "sqlite" if kind == "postgresql" else "postgresql"
    snapshot = path.with_suffix(".snapshot")
    snapshot.write_bytes(b"not really a database")
    writer = ArchiveWriter(path, Manifest(database=other, revisions=[]))  # type: ignore[arg-type]
    writer.add_file(DATABASE_MEMBER[other], snapshot)  # type: ignore[index]
    writer.finish()


async def test_corrupt_truncated_and_foreign_archives_are_refused(
    settings, database, as_user, target, tmp_path
):
    await as_user.post("/api/tickets", json={"title": "One", "description": "x"})
    archive = tmp_path / "deskboard.tar"
    await asyncio.to_thread(backup, settings, archive)
    kind = "postgresql" if settings.database_url.startswith("postgresql") else "sqlite"

    flipped = tmp_path / "flipped.tar"
    shutil.copy(archive, flipped)
    _corrupt(flipped, DATABASE_MEMBER[kind])  # type: ignore[index]
    with pytest.raises(BackupError, match="corrupt"):
        restore(target, flipped)

    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 3])
    with pytest.raises(BackupError):
        restore(target, truncated)

    garbage = tmp_path / "garbage.tar"
    garbage.write_bytes(os.urandom(4096))
    with pytest.raises(BackupError, match="not a Deskboard backup"):
        restore(target, garbage)

    foreign = tmp_path / "foreign.tar"
    _other_kind_archive(foreign, kind)
    with pytest.raises(BackupError, match="restore it into a"):
        restore(target, foreign)
    # Nothing was written by any refused restore.
    assert not (target.data_dir / "attachments").exists()


def test_the_command_refuses_bad_archives_with_one_line(tmp_path):
    env = {"DESKBOARD_DATA_DIR": str(tmp_path / "data"), "DESKBOARD_ENV": "test"}
    garbage = tmp_path / "garbage.tar"
    garbage.write_bytes(b"\x00not a tar" * 100)
    result = run_deskboard("restore", str(garbage), env=env)
    assert result.returncode == 2
    assert "not a Deskboard backup archive" in one_line(result.stderr)

    foreign = tmp_path / "foreign.tar"
    _other_kind_archive(foreign, "sqlite")  # a PostgreSQL archive, restored into SQLite
    result = run_deskboard("restore", str(foreign), env=env)
    assert result.returncode == 2
    assert "holds a postgresql database" in one_line(result.stderr)
