"""`deskboard plugin check PATH`: what an author runs before publishing. Reads the project's
pyproject.toml, imports each entry point of `deskboard.widgets` from the project's sources,
checks the declaration as start-up would, the files it names, and what the built module imports."""

import importlib
import sys
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from jsonschema.exceptions import SchemaError

from deskboard.plugins.imports import NON_LITERAL, module_imports
from deskboard.plugins.manifest import Plugin, api_compatible, manifest_errors
from deskboard.widgets.builtin import register as register_builtins
from deskboard.widgets.registry import ENTRY_POINT_GROUP, WidgetRegistry

SHARED_MODULES = frozenset({"vue", "@deskboard/sdk"})
SCRIPT_SUFFIXES = (".js", ".mjs")


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_module_graph(static_root: Path, module: str) -> list[str]:
    """Follow the module's relative imports inside the static folder; every other import must
    be one of the shared modules."""
    problems: list[str] = []
    root = static_root.resolve()
    pending = [root / module]
    seen: set[Path] = set()
    while pending:
        path = pending.pop().resolve()
        if path in seen:
            continue
        seen.add(path)
        name = path.relative_to(root) if root in path.parents else path
        if root not in path.parents:
            problems.append(f"{name}: imported from outside the static folder")
            continue
        if not path.is_file():
            problems.append(f"{name}: imported but missing")
            continue
        if path.suffix not in SCRIPT_SUFFIXES:
            continue  # CSS and assets a module may import are files, not code
        for found in module_imports(path.read_text(encoding="utf-8")):
            spec = found.specifier
            if spec == NON_LITERAL:
                problems.append(f"{name}: import() of a computed name cannot be checked")
            elif spec.startswith(("./", "../")):
                pending.append(path.parent / spec)
            elif spec not in SHARED_MODULES:
                problems.append(
                    f"{name}: imports {spec!r}; a plugin may import only vue and @deskboard/sdk "
                    "(bundle everything else)"
                )
    return problems


@contextmanager
def _on_path(folders: list[Path]) -> Iterator[None]:
    added = [str(f) for f in folders if f.is_dir()]
    sys.path[:0] = added
    importlib.invalidate_caches()
    try:
        yield
    finally:
        for folder in added:
            sys.path.remove(folder)


def _entry_points(project: Path, report: Report) -> dict[str, str]:
    try:
        data = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    except FileNotFoundError:
        report.problems.append(f"{project / 'pyproject.toml'} is missing")
        return {}
    except tomllib.TOMLDecodeError as exc:
        report.problems.append(f"pyproject.toml is not valid TOML: {exc}")
        return {}
    found = data.get("project", {}).get("entry-points", {}).get(ENTRY_POINT_GROUP, {})
    if not found:
        report.problems.append(
            f'pyproject.toml declares no [project.entry-points."{ENTRY_POINT_GROUP}"]'
        )
    return dict(found)


def _check_plugin(name: str, value: str, report: Report) -> None:
    module_name, _, attribute = value.partition(":")
    if not attribute:
        report.problems.append(f"entry point {name}: {value!r} must be 'module:attribute'")
        return
    try:
        module = importlib.import_module(module_name)
        plugin = getattr(module, attribute)
    except SchemaError as exc:
        report.problems.append(f"entry point {name}: invalid settings schema: {exc.message}")
        return
    except Exception as exc:
        report.problems.append(f"entry point {name}: import failed: {type(exc).__name__}: {exc}")
        return
    problems = manifest_errors(plugin, name)
    report.problems += [f"{name}: {p}" for p in problems]
    if problems or not isinstance(plugin, Plugin):
        return
    incompatible = api_compatible(plugin.plugin_api)
    if incompatible:
        report.problems.append(f"{name}: {incompatible}")
    registry = WidgetRegistry()
    register_builtins(registry)
    for widget_type in plugin.widget_types:
        try:
            registry.register(widget_type, name)
        except ValueError as exc:
            report.problems.append(f"{name}: {exc}")
    package = module.__name__ if hasattr(module, "__path__") else module.__package__ or ""
    package_dir = Path(importlib.import_module(package).__file__ or "").parent
    if plugin.frontend is not None:
        static_root = package_dir / plugin.frontend.static_dir
        for path in (plugin.frontend.module, *plugin.frontend.css):
            if not (static_root / path).is_file():
                report.problems.append(f"{name}: {static_root / path} is missing (build it)")
        if (static_root / plugin.frontend.module).is_file():
            report.problems += [
                f"{name}: {p}" for p in check_module_graph(static_root, plugin.frontend.module)
            ]
    if plugin.migrations is not None:
        folder = package_dir / plugin.migrations.partition(":")[2]
        if not folder.is_dir() or not list(folder.glob("*.py")):
            report.problems.append(f"{name}: migrations folder {folder} has no revision files")
    report.notes.append(
        f"{name}: {len(plugin.widget_types)} widget type(s), plugin_api {plugin.plugin_api}, "
        f"{'iframe' if plugin.iframe else 'in-page'}"
    )


def check_project(project: Path) -> Report:
    """Check a plugin project folder (the one holding its pyproject.toml)."""
    report = Report()
    project = project.resolve()
    entry_points = _entry_points(project, report)
    before = set(sys.modules)
    with _on_path([project / "src", project]):
        try:
            for name, value in entry_points.items():
                _check_plugin(name, value, report)
        finally:
            # Forget the project's modules: a second check (or the server) imports them afresh.
            for module in set(sys.modules) - before:
                if not module.startswith("deskboard."):
                    del sys.modules[module]
    return report
