"""`deskboard seed --demo` and `deskboard serve` through the real CLI, each test on its own SQLite
database and data folder: never in production, loopback only, random passwords kept 0600, and a
second run that leaves the accounts as they are."""

import asyncio
import shutil
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text, update
from typer.testing import CliRunner, Result

from deskboard.auth.models import User
from deskboard.auth.security import verify_password
from deskboard.cli import app
from deskboard.config import get_settings
from deskboard.migrations import upgrade
from deskboard.seeding.credentials import credentials_path, read_sign_ins
from deskboard.seeding.demo import DEMO_ACCOUNTS
from deskboard.seeding.guard import is_loopback, serve_refusal
from deskboard.seeding.state import DemoState, demo_state
from deskboard.tickets.models import Ticket


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated, empty database file, copied for each test (migrating takes seconds)."""
    path = tmp_path_factory.mktemp("demo-template") / "deskboard.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@dataclass
class Demo:
    data_dir: Path
    db_file: Path
    monkeypatch: pytest.MonkeyPatch

    def run(self, *args: str, **env: str) -> Result:
        for name, value in env.items():
            self.monkeypatch.setenv(f"DESKBOARD_{name.upper()}", value)
        get_settings.cache_clear()
        return CliRunner().invoke(app, list(args))

    def seed(self, *extra: str, **env: str) -> Result:
        return self.run("seed", "--demo", "--tickets", "3", *extra, **env)

    @property
    def credentials(self) -> Path:
        return self.data_dir / "demo-credentials.txt"

    def query(self, statement: object) -> list[tuple[object, ...]]:
        engine = create_engine(f"sqlite:///{self.db_file}")
        with engine.connect() as connection:
            rows = [tuple(row) for row in connection.execute(statement)]  # type: ignore[call-overload]
        engine.dispose()
        return rows

    def execute(self, statement: object) -> None:
        engine = create_engine(f"sqlite:///{self.db_file}")
        with engine.begin() as connection:
            connection.execute(statement)  # type: ignore[call-overload]
        engine.dispose()

    def accounts(self) -> dict[str, tuple[object, ...]]:
        """email -> (role, is_active, password_hash) of every demo role account."""
        emails = [account.email for account in DEMO_ACCOUNTS]
        rows = self.query(
            select(User.email, User.role, User.is_active, User.password_hash).where(
                User.email.in_(emails)
            )
        )
        return {str(row[0]): row[1:] for row in rows}

    def count(self, model: type) -> int:
        return int(self.query(select(func.count()).select_from(model))[0][0])  # type: ignore[call-overload]


@pytest.fixture
def demo(tmp_path: Path, migrated: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Demo]:
    db_file = tmp_path / "deskboard.db"
    shutil.copy(migrated, db_file)
    data_dir = tmp_path / "data"
    monkeypatch.setenv("DESKBOARD_ENV", "development")
    monkeypatch.setenv("DESKBOARD_DATA_DIR", str(data_dir))
    monkeypatch.setenv("DESKBOARD_DATABASE_URL", f"sqlite+aiosqlite:///{db_file}")
    monkeypatch.setenv("DESKBOARD_HOST", "127.0.0.1")
    yield Demo(data_dir, db_file, monkeypatch)
    monkeypatch.undo()
    get_settings.cache_clear()  # the rest of the suite reads its own settings again


def test_production_refuses_the_demo_and_writes_nothing(demo: Demo) -> None:
    result = demo.seed(env="production")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Refusing to seed the demo: DESKBOARD_ENV is production, where demo accounts have no place."
    )
    assert demo.count(User) == 0 and demo.count(Ticket) == 0
    assert not demo.credentials.exists()


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "desk.example.com"])
def test_a_non_loopback_host_refuses_the_demo(demo: Demo, host: str) -> None:
    result = demo.seed(host=host)
    assert result.exit_code == 1
    assert f"DESKBOARD_HOST={host} is not a loopback address" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert demo.count(User) == 0 and not demo.credentials.exists()


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.1", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("LOCALHOST.", True),
        ("0.0.0.0", False),
        ("::", False),
        ("10.0.0.1", False),
        ("localhost.example.com", False),
        ("", False),
    ],
)
def test_what_counts_as_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_each_account_gets_a_random_password_shown_and_kept_0600(demo: Demo) -> None:
    result = demo.seed()
    assert result.exit_code == 0, result.output
    sign_ins = read_sign_ins(demo.credentials)
    assert sign_ins is not None
    assert {(s.role, s.email) for s in sign_ins} == {(a.role, a.email) for a in DEMO_ACCOUNTS}
    assert stat.S_IMODE(demo.credentials.stat().st_mode) == 0o600
    passwords = [s.password for s in sign_ins]
    assert len(set(passwords)) == len(passwords)
    assert all(len(password) >= 20 for password in passwords)
    accounts = demo.accounts()
    for sign_in in sign_ins:
        assert sign_in.password in result.output  # shown once, at seeding
        role, is_active, password_hash = accounts[sign_in.email]
        assert role == sign_in.role and is_active
        assert verify_password(str(password_hash), sign_in.password)
        assert not verify_password(str(password_hash), "deskboard-demo")
    # The team behind the demo accounts shares no password anyone was told.
    team_hashes = demo.query(
        select(User.password_hash).where(
            User.email.endswith("@deskboard.test"),
            User.email.not_in([a.email for a in DEMO_ACCOUNTS]),
        )
    )
    assert team_hashes
    for (password_hash,) in team_hashes:
        assert not any(verify_password(str(password_hash), p) for p in passwords)


def test_passwords_differ_from_one_seeding_to_the_next(
    demo: Demo, tmp_path: Path, migrated: Path
) -> None:
    assert demo.seed().exit_code == 0
    first = read_sign_ins(demo.credentials)
    other_db = tmp_path / "other.db"
    shutil.copy(migrated, other_db)
    other_data = tmp_path / "other-data"
    result = demo.seed(database_url=f"sqlite+aiosqlite:///{other_db}", data_dir=str(other_data))
    assert result.exit_code == 0, result.output
    second = read_sign_ins(other_data / "demo-credentials.txt")
    assert first and second
    assert not {s.password for s in first} & {s.password for s in second}


def test_seeding_again_changes_no_account(demo: Demo) -> None:
    assert demo.seed().exit_code == 0
    kept = demo.credentials.read_bytes()
    # What the owner did since: an account switched off, another given a new role.
    demo.execute(update(User).where(User.email == "agent@deskboard.test").values(is_active=False))
    demo.execute(update(User).where(User.email == "user@deskboard.test").values(role="guest"))
    before = demo.accounts()
    people = demo.count(User)

    again = demo.seed()
    assert again.exit_code == 0, again.output
    assert demo.accounts() == before  # not re-activated, no role or password reset
    assert demo.count(User) == people
    assert demo.count(Ticket) == 6  # only the tickets asked for were added
    assert demo.credentials.read_bytes() == kept
    assert "Demo accounts created" not in again.output

    tickets = demo.count(Ticket)
    empty_only = demo.seed("--if-empty")
    assert empty_only.exit_code == 0
    assert "Demo already seeded." in empty_only.output
    assert demo.count(Ticket) == tickets and demo.accounts() == before
    assert demo.credentials.read_bytes() == kept


def test_every_start_shows_the_kept_sign_ins(demo: Demo) -> None:
    """`make run` seeds with --if-empty on each start; the sign-ins come from the file."""
    assert demo.seed().exit_code == 0
    sign_ins = read_sign_ins(demo.credentials)
    assert sign_ins
    result = demo.seed("--if-empty")
    assert result.exit_code == 0
    for sign_in in sign_ins:
        assert f"{sign_in.email}" in result.output and sign_in.password in result.output


def test_a_deleted_demo_account_comes_back_with_a_new_password(demo: Demo) -> None:
    assert demo.seed().exit_code == 0
    first = {s.email: s.password for s in read_sign_ins(demo.credentials) or []}
    demo.execute(text("DELETE FROM users WHERE email = 'guest@deskboard.test'"))
    assert demo.seed("--tickets", "0").exit_code == 0
    second = {s.email: s.password for s in read_sign_ins(demo.credentials) or []}
    assert second.keys() == first.keys()
    assert second["guest@deskboard.test"] != first["guest@deskboard.test"]
    assert {e: p for e, p in second.items() if not e.startswith("guest")} == {
        e: p for e, p in first.items() if not e.startswith("guest")
    }
    guest_hash = demo.accounts()["guest@deskboard.test"][2]
    assert verify_password(str(guest_hash), second["guest@deskboard.test"])


def test_serve_refuses_a_demo_database_off_loopback_or_in_production(demo: Demo) -> None:
    assert demo.seed().exit_code == 0
    exposed = demo.run("serve", "--host", "0.0.0.0")
    assert exposed.exit_code == 1
    assert "Refusing to serve a demo database" in exposed.stderr
    assert "0.0.0.0, not a loopback address" in exposed.stderr
    deployed = demo.run("serve", "--host", "127.0.0.1", env="production")
    assert deployed.exit_code == 1
    assert "Refusing to serve a demo database (accounts @deskboard.test) in production" in (
        deployed.stderr
    )


def test_serve_allows_loopback_and_databases_without_the_demo(demo: Demo) -> None:
    settings = get_settings()
    assert serve_refusal(settings, "0.0.0.0") is None  # empty database
    demo.execute(
        text(
            "INSERT INTO users (email, name, role, password_hash, is_active, created_at, "
            "updated_at) VALUES ('ops@example.com', 'Ops', 'admin', '-', 1, "
            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        )
    )
    assert asyncio.run(demo_state(settings.resolved_database_url)) is DemoState.other
    assert serve_refusal(settings, "0.0.0.0") is None
    assert demo.seed().exit_code == 0
    settings = get_settings()
    assert serve_refusal(settings, "127.0.0.1") is None
    assert serve_refusal(settings, "::1") is None
    assert serve_refusal(settings, "0.0.0.0") is not None
    assert credentials_path(settings) == demo.credentials
