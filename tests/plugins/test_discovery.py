"""Start-up discovery: each installed plugin is loaded on its own; refusals are one log line
and a status, and the app still starts."""

import logging
from importlib.metadata import entry_points

import pytest

from deskboard.auth.roles import can
from deskboard.plugins.discovery import Plugins, discover
from deskboard.plugins.manifest import (
    Frontend,
    Plugin,
    api_compatible,
    manifest_errors,
    static_path_error,
)
from deskboard.widgets.registry import ENTRY_POINT_GROUP


def test_a_valid_plugin_loads_with_its_distribution_version_and_types(plugins: Plugins):
    record = plugins.records["fixture"]
    assert (record.status, record.error) == ("ok", None)
    assert (record.distribution, record.version) == ("deskboard-fixture-ok", "1.2.3")
    assert record.plugin_api == ">=1,<2"
    assert record.widget_types == ["fixture-note"]
    assert plugins.registry.source("fixture-note") == "fixture"
    assert plugins.registry.source("ticket-list") == "builtin"


@pytest.mark.parametrize(
    ("name", "status", "error"),
    [
        ("import-fails", "failed", "import failed: ImportError: deskboard_fixture_broken needs"),
        ("bad-schema", "failed", "invalid settings schema: 'integr' is not valid"),
        ("clash", "failed", "widget type 'ticket-list' is already registered by builtin"),
        ("wrong-api", "incompatible", "plugin_api '>=2,<3' excludes this server's plugin API 1"),
        ("no-declaration", "incompatible", "declares no plugin_api"),
    ],
)
def test_a_broken_plugin_is_refused_with_a_status_and_a_reason(
    plugins: Plugins, name: str, status: str, error: str
):
    record = plugins.records[name]
    assert record.status == status
    assert record.error is not None and record.error.startswith(error)


def test_each_refusal_is_one_log_line_and_the_rest_still_loads(
    plugins: Plugins, caplog: pytest.LogCaptureFixture
):
    with caplog.at_level(logging.INFO, logger="deskboard.plugins"):
        found = discover(entry_points(group=ENTRY_POINT_GROUP))
        refused = [r for r in caplog.records if "refused" in r.getMessage()]
        names = sorted(r.getMessage().split()[1] for r in refused)
        expected = sorted(n for n, r in found.records.items() if r.status != "ok")
        assert names == expected
        assert all(r.levelno == logging.ERROR and "\n" not in r.getMessage() for r in refused)
        assert "fixture-note" in found.registry and "throws-on-mount" in found.registry
        # The clashing plugin took nothing: the built-in ticket list is still the built-in's.
        assert found.registry.source("ticket-list") == "builtin"


def test_types_of_a_plugin_that_cannot_run_are_kept_not_registered(plugins: Plugins):
    assert "wrong-api-widget" not in plugins.registry
    assert plugins.registry.is_kept("wrong-api-widget")
    assert not plugins.registry.is_kept("never-heard-of")


def test_a_plugins_own_actions_map_to_our_roles(plugins: Plugins):
    assert [can(role, "fixture:read") for role in ("admin", "agent", "user", "guest")] == [True] * 4
    assert [can(role, "fixture:write") for role in ("admin", "agent", "user", "guest")] == [
        True,
        False,
        False,
        False,
    ]


def test_the_app_starts_with_broken_plugins_installed(plugin_app: object):
    paths = set(plugin_app.openapi()["paths"])  # type: ignore[attr-defined]
    assert "/api/plugins/fixture/hello" in paths
    assert not any(p.startswith("/api/plugins/import-fails") for p in paths)


@pytest.mark.parametrize(
    ("declared", "compatible"),
    [
        (">=1,<2", True),
        ("==1", True),
        ("~=1.0", True),
        (">=1", True),
        (">=2", False),
        ("<1", False),
        ("", False),
        ("one", False),
        (">=1,<1", False),
    ],
)
def test_plugin_api_ranges(declared: str, compatible: bool):
    assert (api_compatible(declared) is None) is compatible


@pytest.mark.parametrize(
    "path", ["../x.js", "/etc/passwd", "a/../../b", "a\\b.js", "", "a//b", "./a.js/.."]
)
def test_unsafe_static_paths_are_named(path: str):
    assert static_path_error(path) is not None


def test_a_declaration_is_checked_field_by_field():
    bad = Plugin(
        name="Bad Name",
        title=" ",
        plugin_api=">=1",
        permissions=["users:manage"],
        actions={"other:read": ["admin"], "Bad Name:x": ["root"]},
        frontend=Frontend(module="../escape.js"),
        migrations="no-colon",
    )
    problems = "\n".join(manifest_errors(bad, "bad"))
    for expected in (
        "name 'Bad Name' must match",
        "differs from the entry point name 'bad'",
        "title is required",
        "permission 'users:manage' cannot be requested",
        "action 'other:read' must start with",
        "names unknown roles ['root']",
        "frontend: '../escape.js' must be a relative path",
        "migrations must be 'package:folder'",
    ):
        assert expected in problems
    assert manifest_errors(object(), "x") == [
        "the entry point must name a deskboard.plugins.api.Plugin"
    ]
