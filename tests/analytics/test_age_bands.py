"""Ageing with the caller's own band boundaries (`bands=`), against the hand-counted desk.

Open tickets of the desk by age in whole UTC days: t1 0, t2 1, t3 5, t6 45 (t4 and t5 are done).
"""

from datetime import timedelta

import pytest

from deskboard.analytics.counts import age_bands
from tests.analytics.helpers import get_json, listed_ids

OPEN = ["new", "open", "pending"]


def _counts(answer: dict) -> dict[str, int]:
    return {band["key"]: band["count"] for band in answer["bands"]}


async def test_custom_bands_count_keys_labels_and_drill_downs(desk):
    answer = await get_json(desk.agent, "/api/analytics/ageing", bands="2,5,40")
    assert _counts(answer) == {"lt_2d": 2, "2_5d": 0, "5_40d": 1, "gt_40d": 1}
    assert [band["label"] for band in answer["bands"]] == [
        "< 2 days",
        "2-5 days",
        "5-40 days",
        "> 40 days",
    ]
    assert answer["total"] == 4
    today = desk.today.date()

    def ago(days: int) -> str:
        return (today - timedelta(days=days)).isoformat()

    assert [band["filter"] for band in answer["bands"]] == [
        {"status": OPEN, "created": {"from": ago(1)}},
        {"status": OPEN, "created": {"from": ago(4), "to": ago(2)}},
        {"status": OPEN, "created": {"from": ago(39), "to": ago(5)}},
        {"status": OPEN, "created": {"to": ago(40)}},
    ]


async def test_one_boundary_and_eight_boundaries(desk):
    one = await get_json(desk.agent, "/api/analytics/ageing", bands="1")
    assert _counts(one) == {"lt_1d": 1, "gt_1d": 3}
    assert [band["label"] for band in one["bands"]] == ["< 1 day", "> 1 day"]

    eight = await get_json(desk.agent, "/api/analytics/ageing", bands="1,2,3,4,5,6,7,60")
    assert _counts(eight) == {
        "lt_1d": 1,
        "1_2d": 1,
        "2_3d": 0,
        "3_4d": 0,
        "4_5d": 0,
        "5_6d": 1,
        "6_7d": 0,
        "7_60d": 1,
        "gt_60d": 0,
    }


async def test_the_default_bands_are_the_widgets_default(desk):
    default = await get_json(desk.agent, "/api/analytics/ageing")
    explicit = await get_json(desk.agent, "/api/analytics/ageing", bands="1,3,7,30")
    blank = await get_json(desk.agent, "/api/analytics/ageing", bands="")
    assert default == explicit == blank
    keys = [band["key"] for band in default["bands"]]
    assert keys == ["lt_1d", "1_3d", "3_7d", "7_30d", "gt_30d"]
    assert [band["label"] for band in default["bands"]] == [
        "< 1 day",
        "1-3 days",
        "3-7 days",
        "7-30 days",
        "> 30 days",
    ]


async def test_the_cache_keeps_answers_of_different_bands_apart(desk):
    default = await get_json(desk.agent, "/api/analytics/ageing")
    custom = await get_json(desk.agent, "/api/analytics/ageing", bands="10")
    assert _counts(custom) == {"lt_10d": 3, "gt_10d": 1}
    assert len(default["bands"]) == 5
    assert await get_json(desk.agent, "/api/analytics/ageing") == default


async def test_custom_bands_under_a_filter_and_for_a_requester(desk):
    today = desk.today.date()
    since = {"created": {"from": (today - timedelta(days=10)).isoformat()}}
    answer = await get_json(desk.agent, "/api/analytics/ageing", bands="2,40", filter=since)
    assert _counts(answer) == {"lt_2d": 2, "2_40d": 1, "gt_40d": 0}
    assert answer["bands"][-1]["filter"] is None  # no ticket can be both

    # The requester (U1) has t1 and t2 open.
    mine = await get_json(desk.requester, "/api/analytics/ageing", bands="1,2")
    assert _counts(mine) == {"lt_1d": 1, "1_2d": 1, "gt_2d": 0}


async def test_summary_and_counted_paths_agree_on_custom_bands(desk):
    """On PostgreSQL a plain staff filter reads the summary; a requester filter counts tickets."""
    everyone = [desk.requester.user.id, desk.other_requester_id]
    for bands in ("2,5,40", "1,6,45,46", "365"):
        for base in ({}, {"priority": ["normal", "urgent"]}):
            summary = await get_json(desk.agent, "/api/analytics/ageing", bands=bands, filter=base)
            counted = await get_json(
                desk.agent,
                "/api/analytics/ageing",
                bands=bands,
                filter={**base, "requester_id": everyone},
            )
            assert _counts(summary) == _counts(counted), (bands, base)
    assert _counts(await get_json(desk.agent, "/api/analytics/ageing", bands="1,6,45,46")) == {
        "lt_1d": 1,
        "1_6d": 2,
        "6_45d": 0,
        "45_46d": 1,
        "gt_46d": 0,
    }


BASE_FILTERS = [
    {},
    {"status": ["open", "new", "resolved"]},
    {"priority": ["normal", "urgent"], "overdue": False},
    {"assignee_id": ["me", "none"]},
    {"created": {"from": "2000-01-01", "to": None}, "overdue": True},
]


@pytest.mark.parametrize("bands", ["2,5,40", "1,2,3,4,5,6,7,60", "45"])
@pytest.mark.parametrize("base", BASE_FILTERS, ids=[str(f) for f in BASE_FILTERS])
@pytest.mark.parametrize("who", ["agent", "requester"])
async def test_each_custom_band_count_equals_the_rows_its_filter_lists(desk, who, base, bands):
    http = desk.agent if who == "agent" else desk.requester
    answer = await get_json(http, "/api/analytics/ageing", filter=base, bands=bands)
    for band in answer["bands"]:
        if band["filter"] is None:
            assert band["count"] == 0, band
            continue
        assert band["count"] == len(await listed_ids(http, band["filter"])), band


@pytest.mark.parametrize(
    "bands",
    [
        "0,3",  # below 1
        "1,366",  # above 365
        "1.5",  # not whole
        "1,a",
        "1,,3",
        "-1",
        "1,2,3,4,5,6,7,8,9",  # more than 8
        "01,3",  # a leading zero
        " 1,3",  # spaces
        "1,3,",
    ],
)
async def test_bad_bands_are_422_naming_the_field(as_agent, bands):
    response = await as_agent.get("/api/analytics/ageing", params={"bands": bands})
    assert response.status_code == 422, response.text
    assert [error["loc"] for error in response.json()["detail"]] == [["query", "bands"]]


async def test_bands_in_any_order_and_repeated_are_sorted_and_deduplicated(as_agent):
    response = await as_agent.get("/api/analytics/ageing", params={"bands": "30,3,7,3"})
    assert response.status_code == 200, response.text
    ordered = await as_agent.get("/api/analytics/ageing", params={"bands": "3,7,30"})
    assert response.json()["bands"] == ordered.json()["bands"]


def test_age_bands_refuses_boundaries_it_cannot_cut():
    for boundaries in ([], [3, 1], [1, 1], [0, 2]):
        with pytest.raises(ValueError):
            age_bands(boundaries)
    assert [(b.youngest, b.oldest) for b in age_bands([1, 3])] == [(0, 0), (1, 2), (3, None)]
