"""Sums and counts: money is int64 micro-units (millionths of a pound), so sums are exact."""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

MICRO = 10**6

# England's registered population, as a money total: £63,849,324 in micro-units, split three ways
# into amounts no float adds back exactly.
ENGLAND = 63_849_324 * MICRO
SHARES = [21_283_108_333_333, 21_283_108_333_333, 21_283_107_333_334]


def test_grouped_integer_sums_are_exact(engine):
    frame = pd.DataFrame(
        {
            "place": ["Lancashire", "Blackpool", "Lancashire", "South Cumbria", "Blackpool"],
            "amount": pd.array([SHARES[0], SHARES[1], 1, SHARES[2], -1], dtype="Int64"),
        }
    )
    t = engine.table("allocations", frame)
    result = engine.execute(t.group_by("place").aggregate(total=t.amount.sum()).order_by("place"))
    expected = pd.DataFrame(
        {
            "place": ["Blackpool", "Lancashire", "South Cumbria"],
            "total": pd.array([SHARES[1] - 1, SHARES[0] + 1, SHARES[2]], dtype="Int64"),
        }
    )
    assert_frame_equal(result, expected)
    assert engine.execute(t.amount.sum()).iat[0, 0] == ENGLAND


def test_ten_pence_ten_times_is_exactly_one_pound(engine):
    t = engine.table("pence", pd.DataFrame({"amount": [MICRO // 10] * 10}))
    assert engine.execute(t.amount.sum()).iat[0, 0] == MICRO


def test_sums_beyond_two_to_the_53_are_exact(engine):
    """£200bn is 2e17 micro-units: past float64's exact integers, well inside int64's."""
    frame = pd.DataFrame(
        {
            "region": ["North", "North", "South", "South"],
            "amount": pd.array([100_000_000_000 * MICRO, 1, 2**53, None], dtype="Int64"),
        }
    )
    t = engine.table("budgets", frame)
    result = engine.execute(t.group_by("region").aggregate(total=t.amount.sum()).order_by("region"))
    expected = pd.DataFrame(
        {
            "region": ["North", "South"],
            "total": pd.array([100_000_000_000 * MICRO + 1, 2**53], dtype="Int64"),
        }
    )
    assert_frame_equal(result, expected)


def test_counts_rows_values_and_distinct_values(engine):
    frame = pd.DataFrame(
        {
            "pcn": ["U1", "U1", "U2", "U2", "U2", None],
            "practice": ["P1", "P2", "P3", "P3", None, "P9"],
        }
    )
    t = engine.table("practices", frame)
    result = engine.execute(
        t.group_by("pcn")
        .aggregate(
            rows=t.count(),
            practices=t.practice.count(),
            distinct=t.practice.nunique(),
        )
        .order_by("pcn")
    )
    expected = pd.DataFrame(
        {
            "pcn": ["U1", "U2", None],
            "rows": pd.array([2, 3, 1], dtype="Int64"),
            "practices": pd.array([2, 2, 1], dtype="Int64"),
            "distinct": pd.array([2, 1, 1], dtype="Int64"),
        }
    )
    assert_frame_equal(result, expected)


def test_a_sum_past_int64_raises_rather_than_wrapping(engine):
    t = engine.table("huge", pd.DataFrame({"amount": pd.array([2**62] * 3, dtype="Int64")}))
    with pytest.raises(Exception, match=r"(?i)out of bounds|overflow"):
        engine.execute(t.amount.sum())
