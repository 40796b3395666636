"""The bad-document table: each case is refused with 422 naming the widget and the field,
and the stored layout stays exactly as it was."""

import copy
from collections.abc import Callable
from typing import Any

import pytest

from tests.layouts.helpers import document, many_widgets, starter, widget

Doc = dict[str, Any]


def _set(path: tuple[Any, ...], value: Any) -> Callable[[Doc], None]:
    def mutate(doc: Doc) -> None:
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _delete(path: tuple[Any, ...]) -> Callable[[Doc], None]:
    def mutate(doc: Doc) -> None:
        target = doc
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return mutate


def _replace(new: Doc) -> Callable[[Doc], None]:
    def mutate(doc: Doc) -> None:
        doc.clear()
        doc.update(copy.deepcopy(new))

    return mutate


W = "widgets"
S = "settings"
# (case, mutation of the starter document, loc the first error starts with, widget id named)
CASES: list[tuple[str, Callable[[Doc], None], list[Any], str | None]] = [
    ("unknown type", _set((W, 1, "type"), "pie-chart"), [W, 1, "type"], "w2"),
    ("bad color", _set((W, 2, S, "color"), "blue"), [W, 2, S, "color"], "w3"),
    ("title over 80", _set((W, 0, S, "title"), "x" * 81), [W, 0, S, "title"], "w1"),
    ("unknown setting", _set((W, 2, S, "font"), "serif"), [W, 2, S], "w3"),
    ("chart without kind", _delete((W, 1, S, "kind")), [W, 1, S], "w2"),
    ("chart kind unknown", _set((W, 1, S, "kind"), "pie"), [W, 1, S, "kind"], "w2"),
    ("chart range too long", _set((W, 1, S, "range_days"), 400), [W, 1, S, "range_days"], "w2"),
    (
        "filter status unknown",
        _set((W, 0, S, "filters"), {"status": ["lost"]}),
        [W, 0, S, "filters", "status"],
        "w1",
    ),
    (
        "filter field unknown",
        _set((W, 0, S, "filters"), {"colour": "red"}),
        [W, 0, S, "filters"],
        "w1",
    ),
    (
        "filter date malformed",
        _set((W, 0, S, "filters"), {"created": {"from": "yesterday"}}),
        [W, 0, S, "filters", "created"],
        "w1",
    ),
    ("follow not boolean", _set((W, 1, S, "follow_filter_panel"), "yes"), [W, 1, S], "w2"),
    ("column unknown", _set((W, 0, S, "columns"), ["title", "mood"]), [W, 0, S, "columns"], "w1"),
    ("page size zero", _set((W, 0, S, "page_size"), 0), [W, 0, S, "page_size"], "w1"),
    ("note too long", _set((W, 2, S, "markdown"), "x" * 20_001), [W, 2, S, "markdown"], "w3"),
    ("settings not object", _set((W, 2, S), ["x"]), [W, 2, S], "w3"),
    ("x negative", _set((W, 2, "x"), -1), [W, 2, "x"], "w3"),
    ("past the right edge", _set((W, 2, "x"), 10), [W, 2, "x"], "w3"),
    ("below min width", _set((W, 2, "w"), 1), [W, 2, "w"], "w3"),
    ("above max height", _set((W, 2, "h"), 13), [W, 2, "h"], "w3"),
    ("past the last row", _set((W, 2, "y"), 198), [W, 2, "y"], "w3"),
    ("x not integer", _set((W, 2, "x"), 1.5), [W, 2, "x"], "w3"),
    ("y boolean", _set((W, 2, "y"), True), [W, 2, "y"], "w3"),
    ("h missing", _delete((W, 2, "h")), [W, 2, "h"], "w3"),
    ("overlap", _set((W, 2, "y"), 3), [W, 2], "w3"),
    ("duplicate id", _set((W, 2, "id"), "w1"), [W, 2, "id"], "w1"),
    ("id with space", _set((W, 2, "id"), "my note"), [W, 2, "id"], "my note"),
    ("id too long", _set((W, 2, "id"), "n" * 65), [W, 2, "id"], "n" * 65),
    ("id missing", _delete((W, 2, "id")), [W, 2, "id"], None),
    ("unknown widget field", _set((W, 2, "z"), 1), [W, 2, "z"], "w3"),
    ("type version unknown", _set((W, 1, "type_version"), 9), [W, 1, "type_version"], "w2"),
    ("widget not object", _set((W, 2), "note"), [W, 2], None),
    ("widgets not list", _set((W,), {"w1": {}}), [W], None),
    ("widgets missing", _delete((W,)), [W], None),
    ("over 100 widgets", _replace(many_widgets(101)), [W], None),
    ("grid columns", _set(("grid", "columns"), 16), ["grid", "columns"], None),
    ("row height", _set(("grid", "row_height"), 5), ["grid", "row_height"], None),
    ("unknown grid field", _set(("grid", "gap"), 4), ["grid", "gap"], None),
    ("unknown document field", _set(("owner",), 3), ["owner"], None),
    ("schema version unknown", _set(("schema_version",), 3), ["schema_version"], None),
]


@pytest.mark.parametrize(
    ("mutate", "loc", "widget_id"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
async def test_bad_document_is_refused_and_nothing_changes(as_user, mutate, loc, widget_id):
    saved = (await as_user.post("/api/layout/me", json=starter())).json()
    bad = starter() | {"version": 1}
    mutate(bad)
    bad["version"] = 1
    response = await as_user.put("/api/layout/me", json=bad)
    assert response.status_code == 422, response.text
    first = response.json()["detail"][0]
    assert first["loc"][: len(loc) + 1] == ["body", *loc]
    assert first["msg"]
    assert first.get("widget_id") == widget_id
    assert (await as_user.get("/api/layout/me")).json() == saved
    history = (await as_user.get("/api/layout/me/history")).json()["items"]
    assert [entry["version"] for entry in history] == [1]


async def test_bad_first_document_saves_nothing(as_user):
    response = await as_user.post("/api/layout/me", json=document(widget("a", "nope")))
    assert response.status_code == 422
    assert (await as_user.get("/api/layout/me")).status_code == 404


async def test_every_problem_is_listed_not_just_the_first(as_user):
    bad = document(
        widget("a", "note", color="red"),
        widget("b", "kpi", 4, 0, 1, 2, metric="open"),
    )
    response = await as_user.post("/api/layout/me", json=bad)
    assert response.status_code == 422
    named = {(e["widget_id"], e["loc"][-1]) for e in response.json()["detail"]}
    assert named == {("a", "color"), ("b", "w")}


@pytest.mark.parametrize("body", [[], "layout", 3, None], ids=["list", "string", "number", "null"])
async def test_body_that_is_not_an_object_is_422(as_user, body):
    response = await as_user.post("/api/layout/me", json=body)
    assert response.status_code == 422


async def test_exactly_100_widgets_and_edges_of_the_grid_are_accepted(as_user):
    full = many_widgets(100)
    assert (await as_user.post("/api/layout/me", json=full)).status_code == 201
    edge = document(widget("right", "note", 10, 197, 2, 3), version=1)
    assert (await as_user.put("/api/layout/me", json=edge)).status_code == 200
