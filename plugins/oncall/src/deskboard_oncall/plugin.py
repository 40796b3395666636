"""The declaration Deskboard loads through the `deskboard.widgets` entry point."""

from deskboard.plugins.api import Frontend, Plugin, Size, WidgetType, settings_schema
from deskboard_oncall.router import router

ROSTER = WidgetType(
    type="oncall-roster",
    title="On call",
    description="Who is on call now and next; admins edit the rota.",
    icon="phone",
    category="team",
    default_size=Size(3, 3),
    min_size=Size(2, 2),
    max_size=Size(6, 8),
    settings_schema=settings_schema({"show_next": {"type": "boolean"}}),
)

plugin = Plugin(
    name="oncall",
    title="On-call roster",
    description="A rota of who is on call, shown live on the dashboard.",
    plugin_api=">=1,<2",
    widget_types=[ROSTER],
    actions={"oncall:read": ["admin", "agent", "user", "guest"], "oncall:edit": ["admin"]},
    router=router,
    frontend=Frontend(module="oncall.js", css=["oncall.css"]),
    iframe=False,
    migrations="deskboard_oncall:migrations",
)
