"""The `deskboard` command."""

import asyncio
import signal
import sys
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import select

from deskboard.config import ConfigError, Settings, get_settings
from deskboard.plugins.cli import plugin_app

# Per-message deflate on event frames costs the server a zlib compression per socket per event
# (each socket has its own compression context) and ~40 KiB of memory per socket; event frames
# are small and browsers work the same without it, so the server declines the extension.
WS_PER_MESSAGE_DEFLATE = False

app = typer.Typer(help="Deskboard: a help desk you compose from widgets.", no_args_is_help=True)
app.add_typer(plugin_app, name="plugin")


@app.callback()
def _check_settings() -> None:
    """Refuse to start on a bad setting with one readable line, not a traceback."""
    try:
        get_settings()
    except ConfigError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes")] = 1,
    certfile: Annotated[
        Path | None,
        typer.Option(
            exists=True, dir_okay=False, envvar="DESKBOARD_TLS_CERTFILE", help="TLS certificate"
        ),
    ] = None,
    keyfile: Annotated[
        Path | None,
        typer.Option(
            exists=True, dir_okay=False, envvar="DESKBOARD_TLS_KEYFILE", help="TLS private key"
        ),
    ] = None,
) -> None:
    """Serve the API and the built UI (over https with --certfile and --keyfile)."""
    import uvicorn

    from deskboard.ops.logs import logging_config
    from deskboard.realtime.settings import RealtimeSettings
    from deskboard.seeding.guard import serve_refusal

    if (certfile is None) != (keyfile is None):
        raise typer.BadParameter("give both --certfile and --keyfile, or neither")
    settings = get_settings()
    refusal = serve_refusal(settings, host or settings.host)
    if refusal:
        typer.echo(refusal, err=True)
        raise typer.Exit(1)
    try:
        settings.resolved_allowed_hosts  # noqa: B018 - refuse to start on an unsafe setting
        settings.resolved_secret_key  # noqa: B018 - create the key once, before workers race for it
    except RuntimeError as exc:  # ConfigError and the missing secret key: one readable line
        typer.echo(f"deskboard: {exc}", err=True)
        raise typer.Exit(2) from exc
    _preflight(settings, redis=True)
    # uvicorn drains on SIGTERM, then raises the signal again once its own handler is gone:
    # a drained stop is a clean exit (0), not "killed by SIGTERM" (143).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    uvicorn.run(
        "deskboard.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        # Forwarded headers are read by deskboard/web/proxy.py from DESKBOARD_TRUSTED_PROXIES
        # only; uvicorn's own reading would trust loopback.
        proxy_headers=False,
        server_header=False,
        ssl_certfile=certfile,
        ssl_keyfile=keyfile,
        # No frame above what any socket may send (4 bytes per character at most): a peer
        # cannot make the server buffer uvicorn's default 16 MiB.
        ws_max_size=4 * RealtimeSettings().max_message_chars,
        ws_per_message_deflate=WS_PER_MESSAGE_DEFLATE,
        # deskboard.access writes one line per request (with its id); SIGTERM drains requests
        # for at most this long, and open sockets are closed with 1012 (reconnect).
        log_config=logging_config(settings.resolved_log_format, settings.log_level),
        access_log=False,
        timeout_graceful_shutdown=settings.shutdown_grace_seconds,
    )


def _preflight(settings: Settings, *, redis: bool) -> None:
    """Exit with one line on stderr when the database (or Redis) cannot be used."""
    from deskboard.ops.startup import StartupError, check_services

    try:
        asyncio.run(check_services(settings, redis=redis))
    except StartupError as exc:
        typer.echo(f"deskboard: {exc}", err=True)
        raise typer.Exit(2) from None


@app.command()
def migrate() -> None:
    """Apply all database migrations."""
    from deskboard.migrations import upgrade

    settings = get_settings()
    _preflight(settings, redis=False)  # a migration job does not need Redis (creates SQLite 0600)
    upgrade(settings.resolved_database_url)
    typer.echo("Database is up to date.")


@app.command("create-user")
def create_user(
    email: Annotated[str, typer.Option()],
    role: Annotated[str, typer.Option()] = "user",
    name: Annotated[str | None, typer.Option()] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input")
    ] = False,
) -> None:
    """Create an account (or reset the password and role of an existing one).

    The password is asked for at a hidden prompt, or read from the first line of standard input
    with --password-stdin; never from the command line, where other users and shell history see it.
    """
    from deskboard.auth.models import User
    from deskboard.auth.passwords import password_problem
    from deskboard.auth.roles import Role
    from deskboard.auth.security import hash_password
    from deskboard.auth.service import revoke_access_tokens, revoke_user_sessions
    from deskboard.db import get_database

    if role not in set(Role):
        raise typer.BadParameter(f"role must be one of {', '.join(Role)}")
    if password_stdin:
        password = sys.stdin.readline().removesuffix("\n").removesuffix("\r")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise typer.BadParameter(f"password {problem}")

    async def run() -> str:
        database = get_database()
        async with database.unit_of_work() as session:
            user = (await session.scalars(select(User).where(User.email == email.lower()))).first()
            verb = "Updated"
            if user is None:
                user = User(email=email.lower(), name=name or email.split("@")[0])
                session.add(user)
                verb = "Created"
            user.role = role
            user.password_hash = hash_password(password)
            if name:
                user.name = name
            if verb == "Updated":
                # A reset password ends the account's sessions and tokens, as an admin's does;
                # the CLI has no hub, so open sockets end at their next re-auth (token expiry).
                await session.flush()
                await revoke_user_sessions(session, user_id=user.id)
                await revoke_access_tokens(session, user_id=user.id)
        await database.dispose()
        return verb

    typer.echo(f"{asyncio.run(run())} {role} {email}")


@app.command()
def seed(
    tickets: Annotated[
        int | None, typer.Option(min=0, max=10_000_000, help="How many tickets to add")
    ] = None,
    demo: Annotated[
        bool,
        typer.Option(
            help="Demo accounts (one per role, random passwords printed and kept in the data "
            "folder) and ~300 tickets; loopback only, never in production"
        ),
    ] = False,
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Do nothing when the database has accounts")
    ] = False,
    batch_size: Annotated[
        int, typer.Option(min=1, max=100_000, help="Tickets per transaction")
    ] = 10_000,
    random_seed: Annotated[
        int | None, typer.Option(help="Draw the same data again (default: a fresh draw)")
    ] = None,
) -> None:
    """Add realistic help-desk data: `--tickets N` for volume, `--demo` for a first look."""
    from deskboard.seeding.cli import run_seed

    if tickets is None and not demo:
        raise typer.BadParameter("give --tickets N, --demo, or both")
    run_seed(
        get_settings(),
        tickets=tickets,
        demo=demo,
        if_empty=if_empty,
        batch_size=batch_size,
        random_seed=random_seed,
    )


@app.command()
def backup(
    path: Annotated[Path, typer.Argument(help="Archive to write (a new file)")],
) -> None:
    """Write a consistent snapshot of the database and the attachment store to one archive."""
    from deskboard.ops.backup import BackupError
    from deskboard.ops.backup import backup as run_backup

    try:
        manifest = run_backup(get_settings(), path)
    except BackupError as exc:
        typer.echo(f"deskboard: {exc}", err=True)
        raise typer.Exit(2) from None
    files = len(manifest.members) - 1
    typer.echo(f"Backed up the {manifest.database} database and {files} attachment(s) to {path}")


@app.command()
def restore(
    path: Annotated[Path, typer.Argument(help="Archive written by `deskboard backup`")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace a database and attachments that are not empty")
    ] = False,
) -> None:
    """Restore an archive into an empty database (stop the server first)."""
    from deskboard.ops.backup import BackupError
    from deskboard.ops.backup import restore as run_restore

    settings = get_settings()
    _preflight(settings, redis=False)
    try:
        result = run_restore(settings, path, force=force)
    except BackupError as exc:
        typer.echo(f"deskboard: {exc}", err=True)
        raise typer.Exit(2) from None
    revisions = ", ".join(result.manifest.revisions) or "none"
    then = "; migrated to this version's head" if result.upgraded else ""
    typer.echo(f"Restored {path} (taken {result.manifest.created_at}, migration {revisions}){then}")


mail_app = typer.Typer(help="The email channel.", no_args_is_help=True)
app.add_typer(mail_app, name="mail")


@mail_app.command("poll")
def mail_poll() -> None:
    """Read every enabled mailbox once (as the poller does), then send due outbox mail."""
    from deskboard.db import get_database
    from deskboard.mail import outbound, poller, sender

    settings = get_settings()
    outbound.install()

    async def run() -> tuple[list[poller.PollSummary], int]:
        database = get_database()
        try:
            summaries = await poller.poll_all(database, settings)
            sent = await sender.run_once(database, settings)
        finally:
            await database.dispose()
        return summaries, sent

    summaries, sent = asyncio.run(run())
    for summary in summaries:
        state = "ok" if summary.ok else "FAILED"
        typer.echo(f"mailbox {summary.mailbox_id}: {state}: {summary.message}")
    if not summaries:
        typer.echo("No enabled mailbox.")
    typer.echo(f"Outbox: {sent} mail(s) attempted.")
    if any(not s.ok for s in summaries):
        raise typer.Exit(1)


if __name__ == "__main__":
    app()


@app.command("sla-age-ticket")
def sla_age_ticket(
    ticket_id: Annotated[int, typer.Argument(help="The ticket's id")],
    minutes: Annotated[float, typer.Option(help="How far back to move the ticket's past")],
) -> None:
    """Move a ticket's past back in time and recompute its SLA (development and tests only).

    Its creation, status changes, comments and stamps move back by `minutes`, as if it had been
    filed that much earlier: the SLA clocks run on, and the sweep announces what that changed.
    """
    from datetime import timedelta

    from deskboard.db import get_database
    from deskboard.sla.ticket_service import refresh_ticket_sla
    from deskboard.tickets.models import Comment, Ticket, TicketChange

    if get_settings().env == "production":
        raise typer.BadParameter("not in production: this rewrites a ticket's history")
    shift = timedelta(minutes=minutes)

    async def run() -> None:
        database = get_database()
        async with database.unit_of_work() as session:
            ticket = await session.get(Ticket, ticket_id)
            if ticket is None:
                raise typer.BadParameter(f"no ticket {ticket_id}")
            ticket.created_at -= shift
            for name in ("first_response_at", "resolved_at"):
                if getattr(ticket, name) is not None:
                    setattr(ticket, name, getattr(ticket, name) - shift)
            # Row by row: SQLite keeps instants as text, so no SQL arithmetic on both databases.
            changes = await session.scalars(
                select(TicketChange).where(TicketChange.ticket_id == ticket_id)
            )
            for change in changes:
                change.at -= shift
            for comment in await session.scalars(
                select(Comment).where(Comment.ticket_id == ticket_id)
            ):
                comment.created_at -= shift
            await session.flush()
            outcome = await refresh_ticket_sla(session, [ticket_id])
            due = outcome[ticket_id].due_at
            if due is not None:
                ticket.due_at = due
        await database.dispose()

    asyncio.run(run())
    typer.echo(f"Ticket {ticket_id} is now {minutes:g} minutes older")
