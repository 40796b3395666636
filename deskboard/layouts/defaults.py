"""The built-in starting layout of each role, used until an admin saves a template for it."""

from typing import Any

from deskboard.auth.roles import Role
from deskboard.layouts.formats import DEFAULT_GRID

OPEN_STATUSES = ["new", "open", "pending"]


def _widget(
    widget_id: str, widget_type: str, x: int, y: int, w: int, h: int, **settings: Any
) -> dict[str, Any]:
    return {"id": widget_id, "type": widget_type, "x": x, "y": y, "w": w, "h": h,
            "settings": settings}  # fmt: skip


def _kpi(widget_id: str, metric: str, title: str, x: int, y: int) -> dict[str, Any]:
    return _widget(widget_id, "kpi", x, y, 2, 2, title=title, metric=metric)


def _agent_widgets() -> list[dict[str, Any]]:
    return [
        _widget(
            "queue",
            "ticket-list",
            0,
            0,
            8,
            6,
            title="My queue",
            filters={"status": OPEN_STATUSES, "assignee_id": ["me", "none"]},
            columns=[
                "number",
                "title",
                "status",
                "priority",
                "requester",
                "assignee",
                "updated_at",
            ],
            sort="-priority",
            page_size=25,
        ),  # fmt: skip
        _kpi("kpi-open", "open", "Open", 8, 0),
        _kpi("kpi-unassigned", "unassigned", "Unassigned", 10, 0),
        _kpi("kpi-overdue", "overdue", "Overdue", 8, 2),
        _kpi("kpi-first-response", "first-response-median", "First response", 10, 2),
        _widget("notifications", "notifications", 8, 4, 4, 4, title="Notifications"),
        _widget("workload", "workload", 0, 6, 4, 4, title="Workload", include_unassigned=True),
        _widget(
            "by-status",
            "chart",
            4,
            6,
            4,
            4,
            title="Open by status",
            kind="by-status",
            filters={"status": OPEN_STATUSES},
            follow_filter_panel=False,
        ),  # fmt: skip
    ]


def _admin_widgets() -> list[dict[str, Any]]:
    return [
        *_agent_widgets(),
        _widget("ageing", "ageing", 0, 10, 6, 4, title="Ageing", buckets_days=[1, 3, 7, 30]),
        _widget("activity", "activity", 6, 10, 6, 5, title="Recent activity", limit=20),
    ]


def _user_widgets() -> list[dict[str, Any]]:
    return [
        _widget(
            "my-tickets",
            "ticket-list",
            0,
            0,
            8,
            6,
            title="My tickets",
            filters={"requester_id": ["me"]},
            columns=["number", "title", "status", "priority", "updated_at"],
            sort="-updated_at",
            page_size=25,
        ),  # fmt: skip
        _widget("new-ticket", "new-ticket", 8, 0, 4, 6, title="Ask for help"),
        _widget("notifications", "notifications", 0, 6, 6, 4, title="Notifications"),
    ]


def _guest_widgets() -> list[dict[str, Any]]:
    return [
        _widget(
            "tickets",
            "ticket-list",
            0,
            0,
            8,
            6,
            title="Tickets",
            columns=["number", "title", "status", "updated_at"],
            sort="-updated_at",
            page_size=25,
        ),  # fmt: skip
        _widget(
            "welcome",
            "note",
            8,
            0,
            4,
            4,
            title="Welcome",
            markdown="You are signed in as a **guest**: you can look around, not change things.",
        ),  # fmt: skip
    ]


_BUILDERS = {
    Role.admin: _admin_widgets,
    Role.agent: _agent_widgets,
    Role.user: _user_widgets,
    Role.guest: _guest_widgets,
}


def default_template(role: Role) -> dict[str, Any]:
    """A fresh copy of the built-in content ({"grid", "widgets"}) for a role."""
    return {"grid": dict(DEFAULT_GRID), "widgets": _BUILDERS[role]()}
