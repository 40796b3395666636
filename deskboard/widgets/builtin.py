"""The built-in widget types, registered through the entry point exactly as a plugin would."""

from typing import Any

from deskboard.tickets.filters import MAX_ID, TicketPriority
from deskboard.widgets.registry import Size, WidgetRegistry, WidgetType
from deskboard.widgets.settings import (
    RANGE_DAYS,
    TICKET_COLUMN_LABELS,
    TICKET_COLUMNS,
    TICKET_SORT_LABELS,
    TICKET_SORTS,
    labelled_enum,
    settings_schema,
)

CHART_KINDS = ["by-status", "by-priority", "created-vs-resolved", "backlog"]
KPI_METRICS = [
    "open",
    "unassigned",
    "overdue",
    "first-response-median",
    "resolution-median",
    "sla-within",
]
CHART_KIND_LABELS = {
    "by-status": "Tickets by status",
    "by-priority": "Tickets by priority",
    "created-vs-resolved": "Created versus resolved per day",
    "backlog": "Open tickets at the end of each day",
}
KPI_METRIC_LABELS = {
    "open": "Open tickets",
    "unassigned": "Unassigned tickets",
    "overdue": "Overdue tickets",
    "first-response-median": "Median first response",
    "resolution-median": "Median resolution time",
    "sla-within": "% within SLA",
}
SLA_SHOW_LABELS = {
    "at_risk_and_breached": "At risk and breached",
    "breached": "Breached only",
}
FILTER_FIELDS = [
    "status",
    "priority",
    "assignee_id",
    "requester_id",
    "team_id",
    "tag",
    "q",
    "created",
    "overdue",
    "channel",
]
FILTER_FIELD_LABELS = {
    "status": "Status",
    "priority": "Priority",
    "assignee_id": "Assignee",
    "requester_id": "Requester",
    "team_id": "Team",
    "tag": "Tag",
    "q": "Text search",
    "created": "Created",
    "overdue": "Overdue",
    "channel": "Channel",
}

# Chart settings, type_version 1: {"chart_type": "status|priority|trend|backlog", "days": N}.
_CHART_V1_KINDS = {
    "status": "by-status",
    "priority": "by-priority",
    "trend": "created-vs-resolved",
    "backlog": "backlog",
}


def chart_v1_to_v2(settings: dict[str, Any]) -> dict[str, Any]:
    """Rename chart_type/days to kind/range_days (left alone when already renamed)."""
    upgraded = dict(settings)
    if "chart_type" in upgraded:
        old = upgraded.pop("chart_type")
        upgraded.setdefault("kind", _CHART_V1_KINDS.get(old, old))
    if "days" in upgraded:
        upgraded.setdefault("range_days", upgraded.pop("days"))
    return upgraded


def _ticket_list() -> WidgetType:
    return WidgetType(
        type="ticket-list",
        title="Ticket list",
        description="Tickets matching a filter, with the columns and order you choose.",
        icon="list",
        category="tickets",
        default_size=Size(6, 4),
        min_size=Size(3, 2),
        max_size=Size(12, 16),
        settings_schema=settings_schema(
            {
                "columns": {
                    "type": "array",
                    "items": labelled_enum(TICKET_COLUMNS, TICKET_COLUMN_LABELS),
                    "uniqueItems": True,
                    "minItems": 1,
                    "maxItems": len(TICKET_COLUMNS),
                },
                "sort": labelled_enum(TICKET_SORTS, TICKET_SORT_LABELS),
                "page_size": {"type": "integer", "minimum": 5, "maximum": 100},
                # A saved view (/api/views) whose filter and sort the list shows: the list asks
                # GET /api/tickets?view_id=, which applies the reader's own visibility.
                # `x-deskboard-source` tells the settings editor where the choices come from
                # (a select of GET /api/views); validators ignore the annotation.
                "view_id": {
                    "type": ["integer", "null"],
                    "minimum": 1,
                    "maximum": MAX_ID,
                    "x-deskboard-source": "views",
                },
            },
            reads_tickets=True,
        ),
    )


def _ticket_detail() -> WidgetType:
    return WidgetType(
        type="ticket-detail",
        title="Ticket detail",
        description="One ticket with its conversation; can follow the ticket picked in a list.",
        icon="ticket",
        category="tickets",
        default_size=Size(6, 6),
        min_size=Size(3, 3),
        max_size=Size(12, 16),
        settings_schema=settings_schema(
            {
                "ticket_id": {"type": ["integer", "null"], "minimum": 1},
                "follow_selection": {"type": "boolean"},
            }
        ),
    )


def _new_ticket() -> WidgetType:
    return WidgetType(
        type="new-ticket",
        title="New ticket",
        description="A form to open a ticket without leaving the dashboard.",
        icon="plus",
        category="tickets",
        default_size=Size(4, 4),
        min_size=Size(3, 3),
        max_size=Size(12, 10),
        settings_schema=settings_schema(
            {
                "default_priority": labelled_enum(
                    [p.value for p in TicketPriority],
                    {p.value: p.value.capitalize() for p in TicketPriority},
                ),
                "default_tags": {
                    "type": "array",
                    "items": {"type": "string", "minLength": 1, "maxLength": 40},
                    "maxItems": 20,
                },
            }
        ),
    )


def _filter_panel() -> WidgetType:
    return WidgetType(
        type="filter-panel",
        title="Filter panel",
        description="One filter that narrows every widget set to follow it.",
        icon="filter",
        category="tickets",
        default_size=Size(3, 4),
        min_size=Size(2, 2),
        max_size=Size(12, 12),
        settings_schema=settings_schema(
            {
                "fields": {
                    "type": "array",
                    "items": labelled_enum(FILTER_FIELDS, FILTER_FIELD_LABELS),
                    "uniqueItems": True,
                    "maxItems": len(FILTER_FIELDS),
                }
            },
            reads_tickets=True,
        ),
    )


def _notifications() -> WidgetType:
    return WidgetType(
        type="notifications",
        title="Notifications",
        description="Your latest notifications, live.",
        icon="bell",
        category="personal",
        default_size=Size(3, 4),
        min_size=Size(2, 2),
        max_size=Size(6, 12),
        settings_schema=settings_schema(
            {
                "unread_only": {"type": "boolean"},
                "limit": {"type": "integer", "minimum": 5, "maximum": 50},
            }
        ),
    )


def _chart() -> WidgetType:
    return WidgetType(
        type="chart",
        title="Chart",
        description="Tickets by status or priority, created versus resolved, or the backlog.",
        icon="chart",
        category="analytics",
        default_size=Size(6, 4),
        min_size=Size(3, 3),
        max_size=Size(12, 10),
        type_version=2,
        settings_steps={1: chart_v1_to_v2},
        settings_schema=settings_schema(
            {"kind": labelled_enum(CHART_KINDS, CHART_KIND_LABELS), "range_days": RANGE_DAYS},
            reads_tickets=True,
            required=["kind"],
        ),
    )


def _kpi() -> WidgetType:
    return WidgetType(
        type="kpi",
        title="KPI",
        description="One number: open, unassigned, overdue, or a median response time.",
        icon="gauge",
        category="analytics",
        default_size=Size(2, 2),
        min_size=Size(2, 2),
        max_size=Size(4, 4),
        settings_schema=settings_schema(
            {"metric": labelled_enum(KPI_METRICS, KPI_METRIC_LABELS), "range_days": RANGE_DAYS},
            reads_tickets=True,
            required=["metric"],
        ),
    )


def _workload() -> WidgetType:
    return WidgetType(
        type="workload",
        title="Workload",
        description="Open tickets per agent.",
        icon="users",
        category="analytics",
        default_size=Size(4, 4),
        min_size=Size(3, 3),
        max_size=Size(12, 10),
        settings_schema=settings_schema(
            {"include_unassigned": {"type": "boolean"}}, reads_tickets=True
        ),
    )


def _sla() -> WidgetType:
    return WidgetType(
        type="sla",
        title="SLA",
        description="Tickets at risk of breaching their SLA, or breached, with a live countdown.",
        icon="alarm-clock",
        category="tickets",
        default_size=Size(4, 4),
        min_size=Size(3, 3),
        max_size=Size(12, 10),
        settings_schema=settings_schema(
            {"show": labelled_enum(["at_risk_and_breached", "breached"], SLA_SHOW_LABELS)},
            reads_tickets=True,
        ),
    )


def _ageing() -> WidgetType:
    return WidgetType(
        type="ageing",
        title="Ageing",
        description="Open tickets by how long they have waited.",
        icon="hourglass",
        category="analytics",
        default_size=Size(4, 4),
        min_size=Size(3, 3),
        max_size=Size(12, 10),
        settings_schema=settings_schema(
            {
                "buckets_days": {
                    "type": "array",
                    "description": (
                        "Where each age band starts, in days: 1, 3, 7, 30 shows < 1 day, "
                        "1-3 days, 3-7 days, 7-30 days and > 30 days"
                    ),
                    "items": {"type": "integer", "minimum": 1, "maximum": 365},
                    "minItems": 1,
                    "maxItems": 8,
                    "uniqueItems": True,
                }
            },
            reads_tickets=True,
        ),
    )


def _activity() -> WidgetType:
    return WidgetType(
        type="activity",
        title="Activity",
        description="What changed recently on the tickets you can see.",
        icon="activity",
        category="tickets",
        default_size=Size(4, 5),
        min_size=Size(3, 3),
        max_size=Size(12, 16),
        settings_schema=settings_schema(
            {"limit": {"type": "integer", "minimum": 5, "maximum": 100}}, reads_tickets=True
        ),
    )


def _note() -> WidgetType:
    return WidgetType(
        type="note",
        title="Note",
        description="Your own text, in markdown.",
        icon="note",
        category="personal",
        default_size=Size(3, 3),
        min_size=Size(2, 2),
        max_size=Size(12, 12),
        settings_schema=settings_schema({"markdown": {"type": "string", "maxLength": 20_000}}),
    )


BUILTIN_TYPES = (
    _ticket_list,
    _ticket_detail,
    _new_ticket,
    _filter_panel,
    _notifications,
    _chart,
    _kpi,
    _workload,
    _sla,
    _ageing,
    _activity,
    _note,
)


def register(registry: WidgetRegistry) -> None:
    """Entry point `deskboard.widgets:builtin`: add every built-in type."""
    for make in BUILTIN_TYPES:
        registry.register(make())
