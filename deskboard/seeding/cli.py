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
from deskboard.seeding.demo import (
    DEMO_PASSWORD,
    DEMO_TICKETS,
    DemoState,
    demo_state,
    seed_demo,
    sign_ins,
)
from deskboard.seeding.service import SeedResult, seed_tickets

console = Console(highlight=False)


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
                lambda advance: seed_demo(
                    url,
                    tickets=count,
                    seed=2026 if random_seed is None else random_seed,
                    progress=advance,
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
        print_sign_ins(settings)


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


def print_sign_ins(settings: Settings) -> None:
    console.print(f"Demo sign-ins (password: [bold]{DEMO_PASSWORD}[/bold]):")
    for role, email in sign_ins():
        console.print(f"  {role:<6} {email}")
    console.print(f"Open http://{settings.host}:{settings.port}/")
