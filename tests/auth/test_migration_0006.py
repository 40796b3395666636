"""Migration 0006 on a database with sessions in it: versions start at 0, families keep their
start (the oldest token's created_at), and it goes down again (SQLite, batch mode)."""

from datetime import datetime, timedelta
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from deskboard.migrations import alembic_config, upgrade
from deskboard.models import metadata

T0 = datetime(2026, 11, 1, 9, 0, 0)


def test_upgrade_backfills_and_downgrade_restores(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'm.db'}"
    upgrade(url, "0005_analytics")
    engine = create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (id, email, name, role, password_hash, is_active, created_at,"
                " updated_at) VALUES (1, 'a@x.test', 'A', 'agent', '-', 1, :t, :t)"
            ),
            {"t": T0},
        )
        rows = [("h1", "fam-a", T0), ("h2", "fam-a", T0 + timedelta(days=3)), ("h3", "fam-b", T0)]
        for token_hash, family, created in rows:
            connection.execute(
                text(
                    "INSERT INTO refresh_tokens (user_id, token_hash, family_id, expires_at,"
                    " created_at) VALUES (1, :h, :f, :e, :c)"
                ),
                {"h": token_hash, "f": family, "e": created + timedelta(days=14), "c": created},
            )
        connection.execute(
            text("UPDATE refresh_tokens SET created_at = :c WHERE family_id = 'fam-b'"),
            {"c": T0 + timedelta(days=1)},
        )

    upgrade(url)

    with engine.connect() as connection:
        assert connection.execute(text("SELECT token_version FROM users")).scalar_one() == 0
        started = dict(
            connection.execute(text("SELECT token_hash, family_started_at FROM refresh_tokens"))
            .tuples()
            .all()
        )
        # The schema the models describe, for the columns this migration adds.
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    assert {k: str(v)[:19] for k, v in started.items()} == {
        "h1": "2026-11-01 09:00:00",
        "h2": "2026-11-01 09:00:00",
        "h3": "2026-11-02 09:00:00",
    }
    mine = {"token_version", "family_started_at", "internal"}
    assert [d for d in diff if mine & set(map(str, _flatten(d)))] == []

    command.downgrade(alembic_config(url), "0005_analytics")
    columns = {c["name"] for c in inspect(engine).get_columns("refresh_tokens")}
    assert "family_started_at" not in columns
    assert "token_version" not in {c["name"] for c in inspect(engine).get_columns("users")}
    engine.dispose()


def _flatten(item: object) -> list[object]:
    """Every name inside one compare_metadata entry (tuples of tuples of columns)."""
    if isinstance(item, list | tuple):
        return [leaf for part in item for leaf in _flatten(part)]
    return [getattr(item, "name", item)]
