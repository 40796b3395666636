"""The widget registry: entry point loading, the catalogue endpoint, plugin rules."""

from importlib.metadata import EntryPoint

import pytest

from deskboard.widgets import registry as registry_module
from deskboard.widgets.builtin import chart_v1_to_v2
from deskboard.widgets.registry import Size, WidgetRegistry, WidgetType, load_registry

BUILTIN = [
    "ticket-list",
    "ticket-detail",
    "new-ticket",
    "filter-panel",
    "notifications",
    "chart",
    "kpi",
    "workload",
    "sla",
    "ageing",
    "activity",
    "note",
]
CATALOGUE_KEYS = {
    "type",
    "title",
    "description",
    "icon",
    "category",
    "default_size",
    "min_size",
    "max_size",
    "settings_schema",
    "type_version",
    "source",  # "builtin", or the plugin's name (whose types also carry "frontend")
}


def test_builtin_types_load_through_the_installed_entry_point():
    entry_points = registry_module.entry_points(group="deskboard.widgets")
    assert "deskboard.widgets.builtin:register" in {ep.value for ep in entry_points}
    registry = load_registry()
    assert [t.type for t in registry if registry.source(t.type) == "builtin"] == BUILTIN


def _plugin(registry: WidgetRegistry) -> None:
    registry.register(
        WidgetType(
            type="weather",
            title="Weather",
            description="The forecast",
            icon="sun",
            category="fun",
            default_size=Size(2, 2),
            min_size=Size(1, 1),
            max_size=Size(4, 4),
            settings_schema={"type": "object", "properties": {"city": {"type": "string"}}},
        )
    )


def test_an_undeclared_register_callable_is_refused_and_the_rest_loads(monkeypatch, caplog):
    """A third-party `register(registry)` without a Plugin declaration names no plugin API:
    refused (see tests/plugins for declared plugins), the built-ins still load."""
    real = registry_module.entry_points
    extra = [EntryPoint("weather", f"{__name__}:_plugin", "deskboard.widgets")]
    monkeypatch.setattr(registry_module, "entry_points", lambda group: [*real(group=group), *extra])
    registry = load_registry()
    assert "weather" not in registry
    assert [t.type for t in registry if registry.source(t.type) == "builtin"] == BUILTIN
    assert "plugin weather refused (incompatible): declares no plugin_api" in caplog.text


def test_duplicate_or_badly_named_types_are_refused():
    registry = WidgetRegistry()
    _plugin(registry)
    with pytest.raises(ValueError, match="already registered"):
        _plugin(registry)
    bad = WidgetType(
        type="Bad Name",
        title="",
        description="",
        icon="",
        category="",
        default_size=Size(1, 1),
        min_size=Size(1, 1),
        max_size=Size(1, 1),
        settings_schema={"type": "object"},
    )
    with pytest.raises(ValueError, match="invalid widget type name"):
        registry.register(bad)


def test_a_type_needs_steps_for_every_older_version_and_ordered_sizes():
    common = dict(title="t", description="d", icon="i", category="c", settings_schema={})
    with pytest.raises(ValueError, match="lacks settings steps"):
        WidgetType(type="x", default_size=Size(2, 2), min_size=Size(1, 1), max_size=Size(3, 3),
                   type_version=2, **common)  # fmt: skip
    with pytest.raises(ValueError, match="min_size"):
        WidgetType(type="x", default_size=Size(5, 2), min_size=Size(1, 1), max_size=Size(3, 3),
                   **common)  # fmt: skip


def test_chart_step_renames_and_leaves_current_settings_alone():
    assert chart_v1_to_v2({"chart_type": "status", "days": 14, "title": "t"}) == {
        "kind": "by-status",
        "range_days": 14,
        "title": "t",
    }
    assert chart_v1_to_v2({"kind": "backlog"}) == {"kind": "backlog"}


async def test_catalogue_endpoint_lists_every_type(as_guest):
    response = await as_guest.get("/api/widgets")
    assert response.status_code == 200
    catalogue = response.json()
    assert [entry["type"] for entry in catalogue] == BUILTIN
    for entry in catalogue:
        assert set(entry) == CATALOGUE_KEYS
        schema = entry["settings_schema"]
        assert schema["additionalProperties"] is False
        assert {"title", "color"} <= set(schema["properties"])
        assert entry["min_size"]["w"] <= entry["default_size"]["w"] <= entry["max_size"]["w"]
    by_type = {entry["type"]: entry for entry in catalogue}
    assert by_type["chart"]["type_version"] == 2
    assert by_type["chart"]["settings_schema"]["properties"]["kind"]["enum"] == [
        "by-status",
        "by-priority",
        "created-vs-resolved",
        "backlog",
    ]
    assert by_type["kpi"]["settings_schema"]["properties"]["metric"]["enum"] == [
        "open",
        "unassigned",
        "overdue",
        "first-response-median",
        "resolution-median",
        "sla-within",
    ]
    ticket_list = by_type["ticket-list"]["settings_schema"]
    assert {"filters", "follow_filter_panel", "columns", "sort", "page_size", "view_id"} <= set(
        ticket_list["properties"]
    )
    assert "TicketFilter" in ticket_list["$defs"]
    assert "filters" not in by_type["note"]["settings_schema"]["properties"]
    assert by_type["note"]["settings_schema"]["properties"]["markdown"]["maxLength"] == 20_000


def test_remembered_valid_settings_never_hide_an_error():
    kpi = load_registry().get("kpi")
    assert kpi is not None
    good = {"metric": "open", "follow_filter_panel": True}
    assert kpi.settings_errors(good) == []
    assert kpi.settings_errors(dict(good)) == []  # served from the remembered set
    # equal in Python (1 == True) but not the same JSON: still checked, still refused
    assert kpi.settings_errors({"metric": "open", "follow_filter_panel": 1})
    bad = {"metric": "mood"}
    assert kpi.settings_errors(bad) and kpi.settings_errors(bad)


def test_view_id_names_its_source_and_validators_ignore_the_annotation():
    ticket_list = load_registry().get("ticket-list")
    assert ticket_list is not None
    view_id = ticket_list.settings_schema["properties"]["view_id"]
    assert view_id["x-deskboard-source"] == "views"
    assert ticket_list.settings_errors({"view_id": 4}) == []
    assert ticket_list.settings_errors({"view_id": None}) == []
    assert ticket_list.settings_errors({"view_id": 0})
    assert ticket_list.settings_errors({"view_id": "4"})


def test_ticket_lists_show_the_channel_and_the_filter_panel_narrows_by_it():
    registry = load_registry()
    ticket_list, panel = registry.get("ticket-list"), registry.get("filter-panel")
    assert ticket_list is not None and panel is not None
    assert ticket_list.settings_errors({"columns": ["number", "title", "channel"]}) == []
    assert ticket_list.settings_errors({"columns": ["number", "via"]})
    assert panel.settings_errors({"fields": ["status", "channel"]}) == []
    assert panel.settings_errors({"fields": ["medium"]})
