"""`deskboard seed`: the command's behaviour, with a progress bar (the Typer signature is in
deskboard/cli.py)."""

import asyncio
from collections.abc import Awaitable, Callable

import asyncpg
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from sqlalchemy.exc import DBAPIError

from deskboard.config import Settings
from deskboard.seeding.credentials import credentials_path, read_sign_ins, save_sign_ins
from deskboard.seeding.demo import DEMO_TICKETS, DemoSeeding, SignIn, seed_demo
from deskboard.seeding.guard import seed_refusal
from deskboard.seeding.service import SeedResult, seed_tickets
from deskboard.seeding.state import DemoState, demo_state

console = Console(highlight=False)
errors = Console(stderr=True, highlight=False)


def run_seed(
    settings: Settings,
    *,
    tickets: int | None,
    demo: bool,
    if_empty: bool,
    batch_size: int,
    random_seed: int | None,
) -> None:
    url = settings.resolved_database_url
    refusal = seed_refusal(settings) if demo else None
    if refusal:
        errors.print(refusal, soft_wrap=True)
        raise typer.Exit(1)
    created: list[SignIn] = []

    def keep(sign_ins: list[SignIn]) -> None:
        created.extend(sign_ins)
        save_sign_ins(credentials_path(settings), sign_ins)

    try:
        if if_empty:
            state = asyncio.run(demo_state(url))
            if state is DemoState.seeded:
                console.print("Demo already seeded.")
                print_sign_ins(settings)
                return
            if state is DemoState.other:
                console.print("The database already has accounts: nothing seeded.")
                return
        count = DEMO_TICKETS if tickets is None else tickets
        if demo:
            result = _with_progress(
                count,
                lambda advance: _demo_result(
                    seed_demo(
                        url,
                        tickets=count,
                        seed=2026 if random_seed is None else random_seed,
                        progress=advance,
                        on_accounts=keep,
                    )
                ),
            )
        else:
            result = _with_progress(
                count,
                lambda advance: seed_tickets(
                    url, count=count, batch_size=batch_size, seed=random_seed, progress=advance
                ),
            )
    except (DBAPIError, asyncpg.PostgresError, OSError) as exc:
        console.print(f"[red]Seeding failed:[/red] {exc}\n(Has `deskboard migrate` been run?)")
        raise typer.Exit(1) from exc
    console.print(result.summary())
    if demo:
        print_sign_ins(settings, created)


async def _demo_result(seeding: Awaitable[DemoSeeding]) -> SeedResult:
    return (await seeding).result


def _with_progress(
    total: int, start: Callable[[Callable[[int], None]], Awaitable[SeedResult]]
) -> SeedResult:
    columns = (
        TextColumn("Seeding tickets"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("tickets", total=total)

        def advance(done: int) -> None:
            progress.advance(task, done)

        return asyncio.run(start(advance))  # type: ignore[arg-type]


def print_sign_ins(settings: Settings, created: list[SignIn] | None = None) -> None:
    """The new sign-ins (their passwords' first showing), else those kept in the data folder."""
    path = credentials_path(settings)
    if created:
        console.print("Demo accounts created, each with a new random password:")
        shown = created
    else:
        shown = read_sign_ins(path) or []
        if not shown:
            console.print(
                f"No demo sign-ins in {path}: the demo accounts keep the passwords set before."
            )
    for sign_in in shown:
        console.print(f"  {sign_in.role:<6} {sign_in.email:<24} {sign_in.password}")
    if shown:
        console.print(f"(kept in {path}, readable by you only)")
    console.print(f"Open http://{settings.host}:{settings.port}/")
