"""The examples' wheels carry everything a server needs, so `pip install` needs no Node: the
built module and CSS (importing only the shared names) and their migrations."""

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from deskboard.plugins.check import check_module_graph
from deskboard.plugins.discovery import get_plugins

REPO = Path(__file__).resolve().parents[2]
UV = str(REPO / ".tools/bin/uv") if (REPO / ".tools/bin/uv").is_file() else shutil.which("uv")


@pytest.mark.parametrize("name", ["oncall", "heatmap"])
def test_the_wheel_ships_the_built_front_end_and_migrations(name: str, tmp_path: Path):
    assert UV is not None, "uv not found (.tools/bin/uv: make install)"
    built = subprocess.run(
        [
            UV,
            "build",
            "--wheel",
            "--offline",
            "--out-dir",
            str(tmp_path),
            str(REPO / "plugins" / name),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    plugin = get_plugins().records[name].plugin
    assert plugin is not None and plugin.frontend is not None
    static = site / f"deskboard_{name}" / plugin.frontend.static_dir
    for path in (plugin.frontend.module, *plugin.frontend.css):
        assert (static / path).is_file(), path
    assert check_module_graph(static, plugin.frontend.module) == []
    if plugin.migrations is not None:
        folder = site / plugin.migrations.replace(":", "/")
        assert list(folder.glob("*.py")), folder
