"""/plugins/{name}/{version}/{path}: the plugin's own files, immutable, traversal-safe; and the
iframe host page with its own policy."""

import json
import re
from pathlib import Path

import httpx
import pytest

from deskboard.app import create_app
from deskboard.config import Settings
from deskboard.db import Database
from deskboard.plugins.static import IMMUTABLE
from tests.plugins.conftest import FIXTURE_SITE, enable

STATIC = FIXTURE_SITE / "deskboard_fixture_ok" / "static"


@pytest.fixture
async def enabled(database: Database) -> None:
    await enable(database, "fixture")


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("widget.js", "text/javascript; charset=utf-8"),
        ("chunks/part.js", "text/javascript; charset=utf-8"),
        ("widget.css", "text/css; charset=utf-8"),
    ],
)
async def test_files_are_served_with_their_type_and_an_immutable_cache(
    plugin_client, enabled: None, path: str, media_type: str
):
    answer = await plugin_client.get(f"/plugins/fixture/1.2.3/{path}")
    assert answer.status_code == 200
    assert answer.content == (STATIC / path).read_bytes()
    assert answer.headers["content-type"] == media_type
    assert answer.headers["cache-control"] == IMMUTABLE == "public, max-age=31536000, immutable"
    assert answer.headers["x-content-type-options"] == "nosniff"
    # A sandboxed frame (Origin: null) may load them.
    assert answer.headers["access-control-allow-origin"] == "*"
    assert answer.headers["cross-origin-resource-policy"] == "cross-origin"


@pytest.mark.parametrize(
    "url",
    [
        "/plugins/fixture/1.2.2/widget.js",  # wrong version
        "/plugins/fixture/latest/widget.js",
        "/plugins/nope/1.2.3/widget.js",  # unknown plugin
        "/plugins/import-fails/0.1.0/throws.js",  # failed plugin
        "/plugins/fixture/1.2.3/missing.js",
        "/plugins/fixture/1.2.3/chunks",  # a folder
        "/plugins/fixture/1.2.3/../plugin.py",
        "/plugins/fixture/1.2.3/%2e%2e/plugin.py",
        "/plugins/fixture/1.2.3/chunks/%2e%2e/%2e%2e/plugin.py",
        "/plugins/fixture/1.2.3/..%2fplugin.py",
        "/plugins/fixture/1.2.3/%2fetc%2fpasswd",
        "/plugins/fixture/1.2.3//etc/passwd",
        "/plugins/fixture/1.2.3/..\\plugin.py",
        "/plugins/fixture/1.2.3/chunks/..%5c..%5cplugin.py",
    ],
)
async def test_anything_but_a_file_of_the_installed_version_is_404(
    plugin_client, enabled: None, url: str
):
    answer = await plugin_client.get(url)
    assert answer.status_code == 404
    assert b"PluginRecord" not in answer.content and b"import " not in answer.content


async def test_a_disabled_plugins_files_are_404(plugin_client, database: Database):
    await enable(database, "fixture", False)
    assert (await plugin_client.get("/plugins/fixture/1.2.3/widget.js")).status_code == 404


async def test_a_link_out_of_the_static_folder_is_not_followed(
    plugin_client, enabled: None, tmp_path: Path
):
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    link = STATIC / "leak.js"
    link.symlink_to(secret)
    try:
        assert (await plugin_client.get("/plugins/fixture/1.2.3/leak.js")).status_code == 404
    finally:
        link.unlink()


@pytest.fixture
async def frame_client(
    app: object, settings: Settings, database: Database, plugins: object, tmp_path: Path
):
    """An app whose built UI (frontend_dist) lists the shared modules, as the UI build does."""
    shared = {
        "vue": "/assets/shared/vue.js",
        "sdk": "/assets/shared/sdk.js",
        "frame_sdk": "/assets/shared/sdk.js",
        "frame_entry": "/assets/shared/frame.js",
    }
    (tmp_path / "plugin-shared.json").write_text(json.dumps(shared))
    (tmp_path / "assets" / "shared").mkdir(parents=True)
    (tmp_path / "assets" / "shared" / "vue.js").write_text("export const x = 1;\n")
    application = create_app(settings.model_copy(update={"frontend_dist": tmp_path}), database)
    transport = httpx.ASGITransport(app=application)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


async def test_the_frame_page_loads_the_plugin_under_a_sandboxing_policy(
    frame_client: httpx.AsyncClient, enabled: None
):
    answer = await frame_client.get("/plugins/fixture/1.2.3/frame.html?type=fixture-note")
    assert answer.status_code == 200
    page = answer.text
    assert 'data-module="/plugins/fixture/1.2.3/widget.js"' in page
    assert 'data-type="fixture-note"' in page
    assert '<link rel="stylesheet" href="/plugins/fixture/1.2.3/widget.css">' in page
    assert '<script type="module" src="/assets/shared/frame.js"></script>' in page
    import_map = re.search(r'<script type="importmap">(.*?)</script>', page)
    assert import_map is not None
    assert json.loads(import_map.group(1)) == {
        "imports": {"vue": "/assets/shared/vue.js", "@deskboard/sdk": "/assets/shared/sdk.js"}
    }
    policy = dict(
        part.strip().split(" ", 1) for part in answer.headers["content-security-policy"].split(";")
    )
    assert policy["sandbox"] == "allow-scripts"  # opaque origin: no token, cookies or parent DOM
    assert policy["connect-src"] == "'none'"
    assert policy["frame-ancestors"] == "'self'"
    assert policy["script-src"].startswith("'self' 'sha256-")
    assert "unsafe" not in answer.headers["content-security-policy"]
    assert answer.headers["x-frame-options"] == "SAMEORIGIN"


async def test_the_frame_page_needs_a_type_of_that_plugin(
    frame_client: httpx.AsyncClient, enabled: None
):
    for query in ("", "?type=ticket-list", "?type=%22%3E%3Cscript%3E"):
        answer = await frame_client.get(f"/plugins/fixture/1.2.3/frame.html{query}")
        assert answer.status_code == 404


async def test_the_shared_modules_may_be_loaded_by_a_sandboxed_frame(
    frame_client: httpx.AsyncClient,
):
    answer = await frame_client.get("/assets/shared/vue.js")
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == "*"


async def test_the_pages_policy_admits_same_origin_frames_and_no_eval(plugin_client):
    policy = (await plugin_client.get("/")).headers["content-security-policy"]
    assert "frame-src 'self'" in policy and "unsafe-eval" not in policy
