"""Nulls: missing amounts are left out of sums and counts, never read as zero."""

from __future__ import annotations

import pandas as pd
from pandas.testing import assert_frame_equal


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "place": ["A", "A", "B", "C", None],
            "amount": pd.array([5, None, None, 0, 7], dtype="Int64"),
        }
    )


def test_null_amounts_are_left_out_of_sums(engine):
    t = engine.table("amounts", frame())
    result = engine.execute(
        t.group_by("place")
        .aggregate(total=t.amount.sum(), known=t.amount.count())
        .order_by("place")
    )
    expected = pd.DataFrame(
        {
            "place": ["A", "B", "C", None],
            "total": pd.array([5, None, 0, 7], dtype="Int64"),
            "known": pd.array([1, 0, 1, 1], dtype="Int64"),
        }
    )
    assert_frame_equal(result, expected)


def test_a_sum_of_no_rows_is_null(engine):
    t = engine.table("amounts", frame())
    result = engine.execute(t.filter(t.place == "Z").amount.sum())
    assert result.iat[0, 0] is pd.NA


def test_comparisons_with_null_select_nothing(engine):
    t = engine.table("amounts", frame())
    kept = engine.execute(t.filter(t.amount >= 0).order_by("amount"))
    assert kept["amount"].tolist() == [0, 5, 7]


def test_fill_null_then_sum(engine):
    t = engine.table("amounts", frame())
    result = engine.execute(t.amount.fill_null(0).sum())
    assert result.iat[0, 0] == 12
