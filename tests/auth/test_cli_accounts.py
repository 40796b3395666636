"""`deskboard create-user` takes the password from stdin or a hidden prompt; bad settings stop
the command with one line. Run as the real command, in its own data folder."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from argon2 import PasswordHasher

DESKBOARD = Path(sys.executable).with_name("deskboard")
GOOD = "a-long-enough-pass"


def run(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(DESKBOARD), *args], env=env, input=stdin, capture_output=True, text=True, timeout=60
    )


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory) -> dict[str, str]:
    data = tmp_path_factory.mktemp("cli-data")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DESKBOARD_")},
        "DESKBOARD_ENV": "test",
        "DESKBOARD_DATA_DIR": str(data),
        "DESKBOARD_DATABASE_URL": f"sqlite+aiosqlite:///{data / 'deskboard.db'}",
    }
    assert run(env, "migrate").returncode == 0
    return env


def stored_hash(env: dict[str, str], email: str) -> str | None:
    path = env["DESKBOARD_DATABASE_URL"].removeprefix("sqlite+aiosqlite:///")
    with sqlite3.connect(path) as db:
        row = db.execute("SELECT password_hash FROM users WHERE email = ?", (email,)).fetchone()
    return row[0] if row else None


def test_create_user_reads_the_password_from_stdin(cli_env):
    done = run(
        cli_env,
        *("create-user", "--email", "cli@example.test", "--role", "agent", "--password-stdin"),
        stdin=f"{GOOD}\n",
    )

    assert done.returncode == 0, done.stderr
    assert "Created agent cli@example.test" in done.stdout
    assert GOOD not in done.stdout + done.stderr
    assert PasswordHasher().verify(stored_hash(cli_env, "cli@example.test") or "", GOOD)


def test_create_user_prompts_without_echo_and_confirms(cli_env):
    done = run(cli_env, "create-user", "--email", "prompt@example.test", stdin=f"{GOOD}\n{GOOD}\n")

    assert done.returncode == 0, done.stderr
    assert GOOD not in done.stdout  # hidden input is not echoed
    assert stored_hash(cli_env, "prompt@example.test") is not None


def test_create_user_refuses_a_password_on_the_command_line(cli_env):
    done = run(cli_env, "create-user", "--email", "argv@example.test", "--password", GOOD)

    assert done.returncode == 2
    assert "No such option" in done.stderr
    assert stored_hash(cli_env, "argv@example.test") is None


@pytest.mark.parametrize(
    ("password", "reason"),
    [("short-one", "at least 15 characters"), ("policy.person-password", "email address")],
)
def test_create_user_applies_the_password_policy(cli_env, password, reason):
    done = run(
        cli_env,
        *("create-user", "--email", "policy.person@example.test", "--password-stdin"),
        stdin=f"{password}\n",
    )

    assert done.returncode == 2
    assert reason in done.stderr
    assert stored_hash(cli_env, "policy.person@example.test") is None


def test_a_short_secret_key_stops_start_up_with_one_readable_line(cli_env):
    done = run({**cli_env, "DESKBOARD_SECRET_KEY": "too-short-a-key"}, "migrate")

    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip().count("\n") == 0
    assert "DESKBOARD_SECRET_KEY must be at least 32 bytes" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_long_enough_secret_key_is_accepted(cli_env):
    done = run({**cli_env, "DESKBOARD_SECRET_KEY": "k" * 32}, "migrate")

    assert done.returncode == 0, done.stderr


def test_create_user_on_an_existing_account_ends_its_sessions(cli_env):
    email = "reset@example.test"
    first = ("create-user", "--email", email, "--password-stdin")
    assert run(cli_env, *first, stdin=f"{GOOD}\n").returncode == 0
    path = cli_env["DESKBOARD_DATABASE_URL"].removeprefix("sqlite+aiosqlite:///")
    with sqlite3.connect(path) as db:
        (user_id, before) = db.execute(
            "SELECT id, token_version FROM users WHERE email = ?", (email,)
        ).fetchone()
        db.execute(
            "INSERT INTO refresh_tokens (user_id, token_hash, family_id, expires_at, created_at,"
            " family_started_at) VALUES (?, 'h', 'f', '2999-01-01 00:00:00',"
            " '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
            (user_id,),
        )

    done = run(cli_env, *first, stdin="another-long-password\n")

    assert done.returncode == 0, done.stderr
    assert f"Updated user {email}" in done.stdout
    with sqlite3.connect(path) as db:
        (after,) = db.execute("SELECT token_version FROM users WHERE id = ?", (user_id,)).fetchone()
        (revoked,) = db.execute(
            "SELECT revoked_at FROM refresh_tokens WHERE user_id = ?", (user_id,)
        ).fetchone()
    assert after == before + 1  # every access token issued before is refused
    assert revoked is not None
