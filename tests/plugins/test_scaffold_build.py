"""`deskboard plugin new` makes a project that works as generated: its front end builds (Vite
library build, vue and the SDK external) into a module the check accepts, its vitest tests pass
against the fake SDK, it typechecks (the Playwright test too), its own Python test passes, and
its wheel, installed beside Deskboard, serves the widget's module and route.

Node runs with Deskboard's own node_modules (linked, as `npm install` would lay them out, with
`@deskboard/sdk` from frontend/sdk): no network at test time. The wheel is built by uv offline
(hatchling from uv's cache, put there by `make install`) and unpacked into a folder on sys.path.
"""

import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from deskboard.app import create_app
from deskboard.cli import app as cli
from deskboard.config import Settings
from deskboard.db import Database
from deskboard.plugins.check import check_project
from deskboard.plugins.imports import module_imports
from tests.conftest import MakeUser, auth_headers
from tests.plugins.conftest import enable, installed

REPO = Path(__file__).resolve().parents[2]
NODE_MODULES = REPO / "frontend" / "node_modules"
NAME = "hello-world"  # a dash: the package, type and CSS names are derived from it
PACKAGE = "deskboard_hello_world"
NODE = shutil.which("node")
UV = str(REPO / ".tools/bin/uv") if (REPO / ".tools/bin/uv").is_file() else shutil.which("uv")
STEP_SECONDS = 120

pytestmark = pytest.mark.skipif(
    NODE is None or not (NODE_MODULES / "vite").is_dir(),
    reason="needs node and frontend/node_modules (make ui-deps; `make pytest` installs them)",
)


def _run(args: list[str], cwd: Path) -> str:
    env = {**os.environ, "NO_COLOR": "1", "CI": "1"}
    done = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=STEP_SECONDS
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{output}"
    return output


def _node(frontend: Path, tool: str, *args: str) -> str:
    assert NODE is not None
    return _run([NODE, str(frontend / "node_modules" / tool), *args], frontend)


def _link_node_modules(frontend: Path) -> None:
    """What `npm install PATH/TO/deskboard/frontend/sdk && npm install` lays out, by links."""
    modules = frontend / "node_modules"
    modules.mkdir()
    for entry in NODE_MODULES.iterdir():
        if entry.name.startswith(".") and entry.name != ".bin":
            continue  # caches (.vite, .vitest): the project keeps its own
        (modules / entry.name).symlink_to(entry)
    (modules / "@deskboard").mkdir()
    (modules / "@deskboard" / "sdk").symlink_to(REPO / "frontend" / "sdk")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A freshly scaffolded project whose front end has been built with Vite."""
    target = tmp_path_factory.mktemp("scaffold") / f"deskboard-{NAME}"
    made = CliRunner().invoke(cli, ["plugin", "new", NAME, "--dir", str(target)])
    assert made.exit_code == 0, made.output
    frontend = target / "frontend"
    _link_node_modules(frontend)
    static = target / "src" / PACKAGE / "static"
    shutil.rmtree(static)  # the scaffold's hand-written first build: only Vite's output counts
    _node(frontend, "vite/bin/vite.js", "build")
    return target


def test_the_vite_build_is_one_module_importing_only_the_shared_names(project: Path):
    static = project / "src" / PACKAGE / "static"
    assert sorted(p.name for p in static.iterdir()) == [f"{NAME}.css", f"{NAME}.js"]
    module = (static / f"{NAME}.js").read_text()
    assert {i.specifier for i in module_imports(module)} == {"vue", "@deskboard/sdk"}
    assert f".{NAME}-widget" in (static / f"{NAME}.css").read_text()
    checked = CliRunner().invoke(cli, ["plugin", "check", str(project)])
    assert checked.exit_code == 0, checked.output
    assert check_project(project).problems == []


def test_its_widget_tests_pass_against_the_fake_sdk(project: Path):
    output = _node(project / "frontend", "vitest/vitest.mjs", "run")
    assert "1 passed" in output, output


def test_it_typechecks_with_its_playwright_test(project: Path):
    frontend = project / "frontend"
    _node(frontend, "vue-tsc/bin/vue-tsc.js", "--noEmit")
    # The check is real: a type error in the Playwright test fails it.
    spec = frontend / "e2e" / "widget.spec.ts"
    good = spec.read_text()
    spec.write_text(good.replace("const { id } =", "const { id }: { id: string } ="))
    try:
        broken = subprocess.run(
            [str(NODE), str(frontend / "node_modules/vue-tsc/bin/vue-tsc.js"), "--noEmit"],
            cwd=frontend,
            capture_output=True,
            text=True,
            timeout=STEP_SECONDS,
        )
    finally:
        spec.write_text(good)
    assert broken.returncode != 0 and "widget.spec.ts" in broken.stdout, broken.stdout


def test_its_own_python_test_passes(project: Path):
    output = _run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"], project
    )
    assert "1 passed" in output, output


@pytest.fixture(scope="module")
def site(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The project's wheel unpacked into a folder, as pip would install it."""
    assert UV is not None, "uv not found (.tools/bin/uv: make install)"
    dist = tmp_path_factory.mktemp("dist")
    _run([UV, "build", "--wheel", "--offline", "--out-dir", str(dist), str(project)], project)
    (wheel,) = dist.glob("*.whl")
    folder = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(folder)
    yield folder


@pytest.fixture
async def served(
    site: Path, app: object, settings: Settings, database: Database
) -> AsyncIterator[httpx.AsyncClient]:
    """Deskboard started with the wheel installed, the plugin enabled by an admin."""
    with installed(site, PACKAGE) as plugins:
        record = plugins.records[NAME]
        assert (record.status, record.error) == ("ok", None)
        await enable(database, NAME)
        transport = httpx.ASGITransport(app=create_app(settings, database))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            yield http


async def test_deskboard_with_the_wheel_serves_the_widget_and_its_route(
    served: httpx.AsyncClient, site: Path, make_user: MakeUser
):
    person = await make_user("user")
    headers = auth_headers(person)
    catalogue = {t["type"]: t for t in (await served.get("/api/widgets", headers=headers)).json()}
    module_url = catalogue[f"{NAME}-widget"]["frontend"]["module"]
    assert module_url == f"/plugins/{NAME}/0.1.0/{NAME}.js"
    module = await served.get(module_url)
    assert module.status_code == 200
    assert module.content == (site / PACKAGE / "static" / f"{NAME}.js").read_bytes()
    hello = await served.get(f"/api/plugins/{NAME}/hello", headers=headers)
    assert hello.status_code == 200 and hello.json() == {"message": f"Hello, {person.name}"}
    widget = {"id": "h1", "type": f"{NAME}-widget", "x": 0, "y": 0, "w": 3, "h": 2,
              "settings": {"greeting": "Hi"}}  # fmt: skip
    saved = await served.post("/api/layout/me", headers=headers, json={"widgets": [widget]})
    assert saved.status_code == 201, saved.text
