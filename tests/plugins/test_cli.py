"""`deskboard plugin ...`: the scaffold passes the check, the check finds what is wrong, and
the import tokenizer reads ES modules."""

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from deskboard.cli import app
from deskboard.config import Settings
from deskboard.plugins.check import check_module_graph, check_project
from deskboard.plugins.imports import NON_LITERAL, Import, module_imports
from deskboard.plugins.scaffold import scaffold
from tests.ops.helpers import rows as sql_rows

REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()


def test_a_new_plugin_passes_the_check(tmp_path: Path):
    target = tmp_path / "deskboard-hello"
    made = runner.invoke(app, ["plugin", "new", "hello", "--dir", str(target)])
    assert made.exit_code == 0, made.output
    for path in (
        "pyproject.toml",
        "README.md",
        "src/deskboard_hello/plugin.py",
        "src/deskboard_hello/static/hello.js",
        "src/deskboard_hello/static/hello.css",
        "frontend/vite.config.ts",
        "frontend/src/Widget.vue",
        "frontend/tests/widget.test.ts",
        "frontend/e2e/widget.spec.ts",
        "tests/test_plugin.py",
    ):
        assert (target / path).is_file(), path
    vite = (target / "frontend/vite.config.ts").read_text()
    assert "external: ['vue', '@deskboard/sdk']" in vite
    checked = runner.invoke(app, ["plugin", "check", str(target)])
    assert checked.exit_code == 0, checked.output
    assert "Plugin check passed." in checked.output


@pytest.mark.parametrize("name", ["Hello", "x", "9lives", "builtin", "a_b", "-a"])
def test_new_refuses_bad_names(tmp_path: Path, name: str):
    made = runner.invoke(app, ["plugin", "new", name, "--dir", str(tmp_path / "p")])
    assert made.exit_code == 2 and not (tmp_path / "p").exists()


def test_new_never_overwrites(tmp_path: Path):
    (tmp_path / "p").mkdir()
    assert (
        runner.invoke(app, ["plugin", "new", "hello", "--dir", str(tmp_path / "p")]).exit_code == 2
    )


@pytest.mark.parametrize("example", ["oncall", "heatmap"])
def test_the_examples_pass_the_check(example: str):
    report = check_project(REPO / "plugins" / example)
    assert report.problems == []


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "proj"
    scaffold("probe", target)
    return target


def _problems(project: Path) -> str:
    return "\n".join(check_project(project).problems)


def test_check_refuses_a_module_that_imports_other_packages(project: Path):
    module = project / "src/deskboard_probe/static/probe.js"
    module.write_text('import _ from "lodash";\n' + module.read_text())
    assert "probe.js: imports 'lodash'; a plugin may import only vue" in _problems(project)


def test_check_follows_relative_chunks_and_refuses_escapes(project: Path):
    static = project / "src/deskboard_probe/static"
    (static / "probe.js").write_text(
        'import "./chunks/a.js";\nimport("./chunks/missing.js");\nimport "../plugin.py";\n'
    )
    (static / "chunks").mkdir()
    (static / "chunks/a.js").write_text('export * from "https://cdn.example/x.js";\n')
    problems = _problems(project)
    assert "chunks/a.js: imports 'https://cdn.example/x.js'" in problems
    assert "chunks/missing.js: imported but missing" in problems
    assert "imported from outside the static folder" in problems


def test_check_refuses_a_computed_dynamic_import(project: Path):
    (project / "src/deskboard_probe/static/probe.js").write_text("await import(url);\n")
    assert "import() of a computed name cannot be checked" in _problems(project)


def test_check_names_missing_files_bad_schemas_and_entry_points(project: Path):
    (project / "src/deskboard_probe/static/probe.css").unlink()
    plugin_py = project / "src/deskboard_probe/plugin.py"
    plugin_py.write_text(plugin_py.read_text().replace('"maxLength": 80', '"maxLength": "long"'))
    problems = _problems(project)
    assert "invalid settings schema: 'long' is not of type 'integer'" in problems
    plugin_py.write_text(plugin_py.read_text().replace('"maxLength": "long"', '"maxLength": 80'))
    assert "probe.css is missing (build it)" in _problems(project)
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("plugin:plugin", "plugin:nothing"))
    assert "import failed: AttributeError" in _problems(project)
    pyproject.write_text(
        pyproject.read_text().replace('probe = "deskboard_probe.plugin:nothing"', "")
    )
    assert "declares no [project.entry-points" in _problems(project)


def test_check_refuses_a_clash_with_a_builtin_type(project: Path):
    plugin_py = project / "src/deskboard_probe/plugin.py"
    plugin_py.write_text(plugin_py.read_text().replace('type="probe-widget"', 'type="kpi"'))
    assert "widget type 'kpi' is already registered by builtin" in _problems(project)


def test_check_fails_with_exit_1_on_the_command_line(project: Path):
    shutil.rmtree(project / "src/deskboard_probe/static")
    result = runner.invoke(app, ["plugin", "check", str(project)])
    assert result.exit_code == 1 and "problem:" in result.output


def test_module_graph_of_a_built_example():
    static = REPO / "plugins/heatmap/src/deskboard_heatmap/static"
    assert check_module_graph(static, "heatmap.js") == []


def test_the_tokenizer_reads_every_import_form_and_skips_text():
    source = """
import Vue, { ref as r } from "vue";
import * as sdk from '@deskboard/sdk';
import "./side.js";
import json from "./data.json" with { type: "json" };
export * from "./a.js";
export * as b from "./b.js";
export { c } from './c.js';
export { local };
export default function () {}
// import x from "comment"
/* import y from "block" */
const s = "import z from 'string'";
const t = `import q from "${"template"}" ${`import w from "nested"`}`;
const re = /import "regex"/g, half = 1 / 2 / 3;
const u = import.meta.url;
const lazy = await import("./lazy.js");
const m = obj.import("not-an-import");
import(someVariable);
"""
    assert module_imports(source) == [
        Import("vue"),
        Import("@deskboard/sdk"),
        Import("./side.js"),
        Import("./data.json"),
        Import("./a.js"),
        Import("./b.js"),
        Import("./c.js"),
        Import("./lazy.js", dynamic=True),
        Import(NON_LITERAL, dynamic=True),
    ]


def test_list_enable_and_disable_on_the_command_line(
    settings: Settings, database: object, database_url: str
):
    listed = runner.invoke(app, ["plugin", "list"])
    assert listed.exit_code == 0, listed.output
    rows = {line.split("\t")[0]: line.split("\t") for line in listed.output.splitlines()}
    assert rows["oncall"][1:4] == ["0.1.0", ">=1,<2", "disabled"]
    enabled = runner.invoke(app, ["plugin", "enable", "oncall"])
    assert enabled.exit_code == 0 and "oncall: ok" in enabled.output
    listed = runner.invoke(app, ["plugin", "list"])
    assert "oncall\t0.1.0\t>=1,<2\tok" in listed.output
    assert runner.invoke(app, ["plugin", "disable", "oncall"]).exit_code == 0
    unknown = runner.invoke(app, ["plugin", "enable", "nope"])
    assert unknown.exit_code == 1 and "No such plugin" in unknown.output
    # Audited as a change by nobody signed in (the command line), from and to.
    audited = sql_rows(
        database_url,
        "SELECT actor_id, action, entity_type, entity_id FROM audit_entries "
        "WHERE entity_type = 'plugin' ORDER BY id",
    )
    assert audited == [(None, "plugin.update", "plugin", "oncall")] * 2
