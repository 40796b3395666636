"""Prometheus figures of the realtime hub (served by GET /metrics)."""

from prometheus_client import Counter, Gauge

CONNECTIONS = Gauge("deskboard_ws_connections", "Authenticated WebSocket connections open")
EVENTS_PUBLISHED = Counter(
    "deskboard_ws_events_published_total", "Events this process handed to the hub", ["type"]
)
EVENTS_DELIVERED = Counter(
    "deskboard_ws_events_delivered_total", "Event messages queued to sockets (one per recipient)"
)
PUBLISH_FAILURES = Counter(
    "deskboard_ws_publish_failures_total", "Events the backend could not take (e.g. Redis down)"
)
CLOSED = Counter(
    "deskboard_ws_closed_total", "Sockets closed by the server, by close code", ["code"]
)
REFUSED = Counter(
    "deskboard_ws_refused_total", "Sockets refused before they were served, by close code", ["code"]
)
