"""The grouped sums under every indicator agree with a hand count on every engine."""

from __future__ import annotations

import pandas as pd
import pytest

from placeworks.indicators.grouped import group_sums

FRAME = pd.DataFrame(
    {
        "area": ["Burnley", "Burnley", "Pendle", "Pendle", "Pendle"],
        "x": [3.0, None, 2.0, 5.0, 1.0],
        "n": [100.0, 50.0, 40.0, 60.0, 20.0],
        "w": [0.5, 2.0, 1.0, 3.0, 1.0],
    }
)


def test_sums_terms_per_group_and_counts_missing(engine):
    result = group_sums(
        FRAME,
        ["area"],
        {"x": "x", "n": "n", "wx2": lambda t: t.x * t.w**2},
        engine=engine,
        count_missing=["x"],
    )
    assert result["area"].tolist() == ["Burnley", "Pendle"]
    assert result["x"].tolist() == [3.0, 8.0]
    assert result["n"].tolist() == [150.0, 120.0]
    # 3 × 0.5² = 0.75; 2 × 1 + 5 × 9 + 1 × 1 = 48
    assert result["wx2"].tolist() == [0.75, 48.0]
    assert result["x_missing"].tolist() == [1, 0]
    assert result["rows"].tolist() == [2, 3]


def test_no_grouping_gives_one_row(engine):
    result = group_sums(FRAME, [], {"n": "n"}, engine=engine)
    assert result["n"].tolist() == [270.0]


def test_unknown_column_is_named():
    with pytest.raises(KeyError, match="no column deaths"):
        group_sums(FRAME, ["area"], {"d": "deaths"})
