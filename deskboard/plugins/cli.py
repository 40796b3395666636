"""`deskboard plugin list|new|check|enable|disable|remove-tables`."""

import asyncio
from pathlib import Path
from typing import Annotated

import typer

plugin_app = typer.Typer(
    help="Installed plugins, and tools for plugin authors.", no_args_is_help=True
)


@plugin_app.command("list")
def list_plugins() -> None:
    """Show every installed plugin: version, plugin API range, status and why."""
    from deskboard.config import get_settings
    from deskboard.db import Database
    from deskboard.plugins import service, state

    async def read() -> list[str]:
        state.forget()  # the table as it is now, not a copy this process read before
        database = Database(get_settings())
        try:
            async with database.sessionmaker() as session:
                items = await service.list_plugins(session)
        finally:
            await database.dispose()
        return [
            f"{p.name}\t{p.version}\t{p.plugin_api or '-'}\t{p.status.value}"
            + (f"\t{p.error}" if p.error else "")
            for p in items
        ]

    lines = asyncio.run(read())
    typer.echo("name\tversion\tplugin_api\tstatus")
    for line in lines:
        typer.echo(line)
    if not lines:
        typer.echo("(no plugins installed)")


def _set_enabled(name: str, enabled: bool) -> None:
    from deskboard.config import get_settings
    from deskboard.core.errors import DomainError
    from deskboard.db import Database
    from deskboard.plugins import service
    from deskboard.plugins.schemas import PluginUpdate

    async def run() -> str:
        database = Database(get_settings())
        try:
            async with database.unit_of_work() as session:
                item = await service.update_plugin(
                    session, actor=None, name=name, data=PluginUpdate(enabled=enabled)
                )
        finally:
            await database.dispose()
        return item.status.value

    try:
        status = asyncio.run(run())
    except DomainError as exc:
        typer.echo(f"deskboard: {exc.detail}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{name}: {status} (running servers pick this up within a request)")


@plugin_app.command()
def enable(name: str) -> None:
    """Enable an installed plugin (as an admin would in Settings > Plugins)."""
    _set_enabled(name, True)


@plugin_app.command()
def disable(name: str) -> None:
    """Disable a plugin; its widgets stay in layouts as unavailable cards."""
    _set_enabled(name, False)


@plugin_app.command("remove-tables")
def remove_tables(
    name: str,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation")] = False,
) -> None:
    """Drop a plugin's own tables (its migrations run down to nothing). Its data is lost."""
    from deskboard.config import get_settings
    from deskboard.plugins.migrations import remove_tables as drop

    if not yes:
        typer.confirm(f"Drop every table of plugin {name}? Its data is lost", abort=True)
    try:
        drop(get_settings().resolved_database_url, name)
    except LookupError as exc:
        typer.echo(f"deskboard: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{name}: tables removed (`deskboard migrate` creates them again)")


@plugin_app.command()
def new(
    name: str,
    directory: Annotated[
        Path | None, typer.Option("--dir", help="Where to create it (default: ./deskboard-NAME)")
    ] = None,
    title: Annotated[str | None, typer.Option(help="The widget's title")] = None,
) -> None:
    """Scaffold a plugin package: Python side, Vite front end, tests, README."""
    from deskboard.plugins.scaffold import scaffold

    target = directory or Path(f"deskboard-{name}")
    try:
        written = scaffold(name, target, title)
    except (ValueError, FileExistsError) as exc:
        typer.echo(f"deskboard: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"Created {len(written)} files in {target}. Next: deskboard plugin check {target}")


@plugin_app.command()
def check(path: Path) -> None:
    """Validate a plugin project: entry point, declaration, schemas, files, module imports."""
    from deskboard.plugins.check import check_project

    report = check_project(path)
    for note in report.notes:
        typer.echo(f"ok: {note}")
    for problem in report.problems:
        typer.echo(f"problem: {problem}", err=True)
    if not report.ok:
        raise typer.Exit(1)
    typer.echo("Plugin check passed.")
