"""Means with Student's t limits."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from placeworks.indicators import phe_mean

T975_3 = 3.182446305284263  # t(0.975; 3), from t tables as 3.182


def test_mean_of_four_values_by_hand():
    result = phe_mean(pd.DataFrame({"v": [30, 40, 50, 60]}), "v")
    assert result.columns.tolist() == [
        "value_sum",
        "value_count",
        "stdev",
        "value",
        "lowercl",
        "uppercl",
        "confidence",
        "statistic",
        "method",
    ]
    row = result.iloc[0]
    # Σ = 180, n = 4, mean 45, s² = (225 + 25 + 25 + 225) / 3.
    sd = math.sqrt(500 / 3)
    assert (row["value_sum"], row["value_count"], row["value"]) == (180, 4, 45)
    assert row["stdev"] == pytest.approx(sd)
    assert row["lowercl"] == pytest.approx(45 - T975_3 * sd / 2)
    assert row["uppercl"] == pytest.approx(45 + T975_3 * sd / 2)
    assert (row["confidence"], row["statistic"], row["method"]) == (
        "95%",
        "mean",
        "Student's t-distribution",
    )


def test_a_missing_value_makes_its_group_missing_and_single_values_have_no_limits():
    frame = pd.DataFrame(
        {
            "area": ["A", "A", "A", "B", "B", "C", "D"],
            "v": [20.0, 30.0, 40.0, 200.0, None, None, 7.0],
        }
    )
    result = phe_mean(frame, "v", by="area", confidence=(0.95, 0.998)).set_index("area")
    assert result.loc["A", "value"] == 30
    assert result.loc["A", "stdev"] == pytest.approx(10)
    # t(0.975; 2) = 4.303 (tables).
    assert result.loc["A", "lower95_0cl"] == pytest.approx(
        30 - 4.302652729911275 * 10 / math.sqrt(3)
    )
    assert result.loc["B", "value_count"] == 2
    assert result.loc["B", ["value_sum", "value", "stdev", "lower95_0cl"]].isna().all()
    assert result.loc["C", "value_count"] == 1
    assert math.isnan(result.loc["C", "value"])
    assert result.loc["D", ["value_sum", "value_count", "value"]].tolist() == [7, 1, 7]
    assert result.loc["D", ["stdev", "lower95_0cl", "upper99_8cl"]].isna().all()


def test_standard_deviation_keeps_its_precision_far_from_zero():
    values = 1e9 + np.array([1.0, 2.0, 3.0, 4.0])
    result = phe_mean(pd.DataFrame({"v": values}), "v")
    assert result["stdev"].iloc[0] == pytest.approx(np.std([1, 2, 3, 4], ddof=1), rel=1e-9)


def test_type_value_and_bad_confidence():
    frame = pd.DataFrame({"g": [1, 1], "v": [1.0, 2.0]})
    assert phe_mean(frame, "v", by="g", type="value").columns.tolist() == ["g", "value"]
    with pytest.raises(ValueError, match=r"at least 0\.9"):
        phe_mean(frame, "v", confidence=0.5)


@settings(max_examples=25, deadline=None)
@given(
    values=st.lists(
        st.tuples(st.integers(0, 2), st.floats(-1e6, 1e6, allow_nan=False)),
        min_size=2,
        max_size=15,
    )
)
def test_limits_bracket_the_mean_and_widen_at_998(values):
    frame = pd.DataFrame(values, columns=["g", "v"])
    result = phe_mean(frame, "v", by="g", confidence=(0.95, 0.998)).dropna()
    expected = frame.groupby("g")["v"].mean()
    assert np.allclose(result["value"], expected.loc[result["g"]].to_numpy(), rtol=1e-9, atol=1e-6)
    tol = 1e-6
    assert np.all(result["lower99_8cl"] <= result["lower95_0cl"] + tol)
    assert np.all(result["lower95_0cl"] <= result["value"] + tol)
    assert np.all(result["value"] <= result["upper95_0cl"] + tol)
    assert np.all(result["upper95_0cl"] <= result["upper99_8cl"] + tol)
