"""The declaration Deskboard loads through the `deskboard.widgets` entry point."""

from deskboard.plugins.api import Frontend, Plugin, Size, WidgetType, settings_schema
from deskboard_heatmap.router import router

HEATMAP = WidgetType(
    type="ticket-heatmap",
    title="Ticket heat map",
    description="Tickets created per weekday and hour; pick a cell to list its tickets.",
    icon="grid",
    category="analytics",
    default_size=Size(6, 4),
    min_size=Size(4, 3),
    max_size=Size(12, 8),
    settings_schema=settings_schema(
        {"days": {"type": "integer", "minimum": 7, "maximum": 365}}, reads_tickets=True
    ),
)

plugin = Plugin(
    name="heatmap",
    title="Ticket heat map",
    description="When tickets arrive: a weekday by hour grid with a drill-down.",
    plugin_api=">=1,<2",
    widget_types=[HEATMAP],
    permissions=["tickets:read"],
    actions={"heatmap:read": ["admin", "agent", "user", "guest"]},
    router=router,
    frontend=Frontend(module="heatmap.js", css=["heatmap.css"]),
    iframe=True,  # runs in a sandboxed frame: data reaches it only through the SDK bridge
)
