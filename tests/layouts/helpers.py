"""Documents and small helpers shared by the layout tests."""

from typing import Any


def widget(widget_id: str, widget_type: str = "note", x: int = 0, y: int = 0, w: int = 3,
           h: int = 3, **settings: Any) -> dict[str, Any]:  # fmt: skip
    return {"id": widget_id, "type": widget_type, "x": x, "y": y, "w": w, "h": h,
            "settings": settings}  # fmt: skip


def document(*widgets: dict[str, Any], version: int | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "schema_version": 2,
        "grid": {"columns": 12, "row_height": 80},
        "widgets": list(widgets),
    }
    if version is not None:
        body["version"] = version
    return body


def starter() -> dict[str, Any]:
    """Three widgets side by side: a ticket list, a chart and a note."""
    return document(
        widget("w1", "ticket-list", 0, 0, 6, 4, title="Open", filters={"status": ["open"]}),
        widget("w2", "chart", 6, 0, 6, 4, kind="by-status"),
        widget("w3", "note", 0, 4, 3, 3, markdown="hello"),
    )


def many_widgets(count: int) -> dict[str, Any]:
    """`count` 2x2 KPI widgets packed row by row (six per row)."""
    return document(
        *(
            widget(f"k{i}", "kpi", (i % 6) * 2, (i // 6) * 2, 2, 2, metric="open")
            for i in range(count)
        )
    )
