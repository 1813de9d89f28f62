"""Proportions with Wilson score limits against worked examples and edge cases."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from placeworks.indicators import phe_proportion

AREAS = pd.DataFrame(
    {
        "area": ["Pendle", "Burnley", "Burnley", "Hyndburn"],
        "x": [65, 81, 0, 0],
        "n": [100, 200, 63, 20],
    }
)


def _wilson(x: float, n: float, z: float) -> tuple[float, float]:
    """The Wilson score interval written out (Newcombe 1998, method 3)."""
    centre, root = 2 * x + z * z, z * math.sqrt(z * z + 4 * x * (1 - x / n))
    return (centre - root) / (2 * (n + z * z)), (centre + root) / (2 * (n + z * z))


def test_grouped_proportions_sum_then_take_wilson_limits():
    result = phe_proportion(AREAS, "x", "n", by="area")
    assert result.columns.tolist() == [
        "area",
        "x",
        "n",
        "value",
        "lowercl",
        "uppercl",
        "confidence",
        "statistic",
        "method",
    ]
    assert result["area"].tolist() == ["Burnley", "Hyndburn", "Pendle"]
    burnley = result.iloc[0]
    # Burnley: 81 + 0 of 200 + 63 = 263, Newcombe's example: 0.3080 (0.2553 to 0.3662).
    assert (burnley["x"], burnley["n"]) == (81, 263)
    assert burnley["value"] == pytest.approx(81 / 263)
    assert burnley["lowercl"] == pytest.approx(0.2553, abs=5e-5)
    assert burnley["uppercl"] == pytest.approx(0.3662, abs=5e-5)
    # Hyndburn: none of 20, limits 0 to 0.1611 (Newcombe 1998).
    assert result.iloc[1][["value", "lowercl"]].tolist() == [0, 0]
    assert result.iloc[1]["uppercl"] == pytest.approx(0.1611, abs=5e-5)
    assert result["confidence"].unique().tolist() == ["95%"]
    assert result["statistic"].unique().tolist() == ["proportion of 1"]
    assert result["method"].unique().tolist() == ["Wilson"]


def test_percentages_and_both_confidence_levels():
    result = phe_proportion(AREAS, "x", "n", by=["area"], multiplier=100, confidence=(0.95, 0.998))
    pendle = result.set_index("area").loc["Pendle"]
    low95, high95 = _wilson(65, 100, 1.959963984540054)
    low998, high998 = _wilson(65, 100, 3.090232306167813)
    assert pendle["value"] == pytest.approx(65)
    assert pendle["lower95_0cl"] == pytest.approx(low95 * 100)
    assert pendle["upper95_0cl"] == pytest.approx(high95 * 100)
    assert pendle["lower99_8cl"] == pytest.approx(low998 * 100)
    assert pendle["upper99_8cl"] == pytest.approx(high998 * 100)
    assert pendle["statistic"] == "percentage"
    assert pendle["confidence"] == "95%, 99.8%"
    per_thousand = phe_proportion(AREAS, "x", "n", by="area", multiplier=1000)
    assert per_thousand["statistic"].iloc[0] == "proportion of 1000"


def test_all_cases_give_an_upper_limit_of_one():
    result = phe_proportion(pd.DataFrame({"x": [20], "n": [20]}), "x", "n")
    assert result["value"].iloc[0] == 1
    assert result["uppercl"].iloc[0] == pytest.approx(1)
    assert result["lowercl"].iloc[0] == pytest.approx(_wilson(20, 20, 1.959963984540054)[0])


def test_without_by_the_whole_frame_is_one_group():
    result = phe_proportion(AREAS, "x", "n")
    assert len(result) == 1
    assert (result["x"].iloc[0], result["n"].iloc[0]) == (146, 383)


def test_a_missing_numerator_or_denominator_makes_its_group_missing():
    frame = pd.DataFrame(
        {"area": ["A", "A", "B", "C"], "x": [1.0, None, 5.0, 2.0], "n": [10, 10, 10, None]}
    )
    result = phe_proportion(frame, "x", "n", by="area").set_index("area")
    assert result.loc[["A", "C"], ["value", "lowercl", "uppercl"]].isna().all().all()
    assert result.loc["B", "value"] == 0.5


@pytest.mark.parametrize(
    ("type", "columns"),
    [
        ("standard", ["area", "x", "n", "value", "lowercl", "uppercl"]),
        ("value", ["area", "value"]),
        ("lower", ["area", "lowercl"]),
        ("upper", ["area", "uppercl"]),
    ],
)
def test_type_chooses_the_columns(type, columns):
    assert phe_proportion(AREAS, "x", "n", by="area", type=type).columns.tolist() == columns


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (
            pd.DataFrame({"area": ["A", "B"], "x": [1, -1], "n": [5, 5]}),
            r"numerator x must not be negative \(row 1, area 'B'\)",
        ),
        (
            pd.DataFrame({"area": ["A", "B"], "x": [0, 1], "n": [0, 5]}),
            r"denominator n must be greater than zero \(row 0, area 'A'\)",
        ),
        (
            pd.DataFrame({"area": ["A", "B"], "x": [1, 6], "n": [5, 5]}),
            r"numerator x must not exceed the denominator n \(row 1, area 'B'\)",
        ),
    ],
)
def test_invalid_inputs_are_refused_with_the_row(frame, message):
    with pytest.raises(ValueError, match=message):
        phe_proportion(frame, "x", "n", by="area")


def test_unknown_columns_and_options_are_refused():
    with pytest.raises(KeyError, match="x 'deaths'"):
        phe_proportion(AREAS, "deaths", "n")
    with pytest.raises(KeyError, match="by 'ward'"):
        phe_proportion(AREAS, "x", "n", by="ward")
    with pytest.raises(ValueError, match="type must be"):
        phe_proportion(AREAS, "x", "n", type="combined")
    with pytest.raises(ValueError, match=r"0\.95 and 0\.998"):
        phe_proportion(AREAS, "x", "n", confidence=(0.9, 0.95))


@settings(max_examples=25, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.integers(0, 3), st.integers(1, 10_000), st.floats(0, 1)),
        min_size=1,
        max_size=12,
    )
)
def test_limits_bracket_the_value_and_the_998_interval_contains_the_95(rows):
    frame = pd.DataFrame([{"g": g, "n": n, "x": math.floor(share * n)} for g, n, share in rows])
    result = phe_proportion(frame, "x", "n", by="g", confidence=(0.95, 0.998))
    tol = 1e-12
    assert np.all(result["lower99_8cl"] <= result["lower95_0cl"] + tol)
    assert np.all(result["lower95_0cl"] <= result["value"] + tol)
    assert np.all(result["value"] <= result["upper95_0cl"] + tol)
    assert np.all(result["upper95_0cl"] <= result["upper99_8cl"] + tol)
    assert result["g"].tolist() == sorted(set(frame["g"]))
