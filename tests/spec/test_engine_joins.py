"""Joins: practices to their PCNs, with and without a match."""

from __future__ import annotations

import ibis
import pandas as pd
from pandas.testing import assert_frame_equal

PRACTICES = pd.DataFrame(
    {
        "practice": ["P1", "P2", "P3", "P4"],
        "pcn": ["U1", "U1", "U2", "U9"],
        "registered": pd.array([9_000, 6_000, 12_000, 500], dtype="Int64"),
    }
)
PCNS = pd.DataFrame({"pcn": ["U1", "U2", "U3"], "place": ["Lancashire", "Blackpool", "Blackpool"]})


def test_inner_join_keeps_matches_only(engine):
    practices = engine.table("practices", PRACTICES)
    pcns = engine.table("pcns", PCNS)
    joined = practices.join(pcns, "pcn")
    result = engine.execute(
        joined.group_by("place").aggregate(registered=joined.registered.sum()).order_by("place")
    )
    expected = pd.DataFrame(
        {
            "place": ["Blackpool", "Lancashire"],
            "registered": pd.array([12_000, 15_000], dtype="Int64"),
        }
    )
    assert_frame_equal(result, expected)


def test_left_join_keeps_every_row_with_nulls_for_no_match(engine):
    practices = engine.table("practices", PRACTICES)
    pcns = engine.table("pcns", PCNS)
    joined = practices.left_join(pcns, "pcn").select("practice", "place")
    result = engine.execute(joined.order_by("practice"))
    expected = pd.DataFrame(
        {
            "practice": ["P1", "P2", "P3", "P4"],
            "place": ["Lancashire", "Lancashire", "Blackpool", None],
        }
    )
    assert_frame_equal(result, expected)


def test_join_to_an_in_memory_table(engine):
    practices = engine.table("practices", PRACTICES)
    weights = ibis.memtable({"pcn": ["U1", "U2"], "weight": [2, 3]})
    joined = practices.join(weights, "pcn")
    result = engine.execute(
        joined.select("practice", weighted=joined.registered * joined.weight).order_by("practice")
    )
    expected = pd.DataFrame(
        {
            "practice": ["P1", "P2", "P3"],
            "weighted": pd.array([18_000, 12_000, 36_000], dtype="Int64"),
        }
    )
    assert_frame_equal(result, expected)
