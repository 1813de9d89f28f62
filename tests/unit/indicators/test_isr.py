"""Indirectly standardised ratios and rates."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from placeworks.indicators import calculate_ISRate, calculate_ISRatio

Z95 = 1.959963984540054
REFERENCE = {"x_ref": [5, 10, 200, 300], "n_ref": [1000, 1000, 2000, 1000]}
FRAME = pd.DataFrame(
    {
        "area": ["A"] * 4 + ["B"] * 4,
        "band": [0, 1, 2, 3] * 2,
        "x": [1, 2, 30, 40, 0, 1, 2, 3],
        "n": [100, 200, 300, 400] * 2,
        "x_ref": REFERENCE["x_ref"] * 2,
        "n_ref": REFERENCE["n_ref"] * 2,
    }
)
# Expected events of each area: 100·0.005 + 200·0.01 + 300·0.1 + 400·0.3 = 152.5.
EXPECTED = 100 * 0.005 + 200 * 0.01 + 300 * 0.1 + 400 * 0.3


def test_ratio_with_byars_limits_by_hand():
    result = calculate_ISRatio(FRAME, "x", "n", "x_ref", "n_ref", by="area")
    assert result.columns.tolist() == [
        "area",
        "observed",
        "expected",
        "value",
        "lowercl",
        "uppercl",
        "confidence",
        "statistic",
        "method",
    ]
    a = result.set_index("area").loc["A"]
    o = 73
    low = o * (1 - 1 / (9 * o) - Z95 / (3 * math.sqrt(o))) ** 3
    high = (o + 1) * (1 - 1 / (9 * (o + 1)) + Z95 / (3 * math.sqrt(o + 1))) ** 3
    assert (a["observed"], a["expected"]) == (73, pytest.approx(EXPECTED))
    assert a["value"] == pytest.approx(73 / EXPECTED)
    assert a["lowercl"] == pytest.approx(low / EXPECTED)
    assert a["uppercl"] == pytest.approx(high / EXPECTED)
    assert (a["statistic"], a["method"]) == ("indirectly standardised ratio x 1", "Byars")


def test_small_counts_get_exact_limits_and_refvalue_scales():
    result = calculate_ISRatio(FRAME, "x", "n", "x_ref", "n_ref", by="area", refvalue=100)
    b = result.set_index("area").loc["B"]
    assert b["observed"] == 6
    assert b["value"] == pytest.approx(600 / EXPECTED)
    assert b["lowercl"] == pytest.approx(stats.chi2.ppf(0.025, 12) / 2 / EXPECTED * 100)
    assert b["uppercl"] == pytest.approx(stats.chi2.ppf(0.975, 14) / 2 / EXPECTED * 100)
    assert (b["statistic"], b["method"]) == ("indirectly standardised ratio x 100", "Exact")


def test_reference_rates_give_the_same_ratios_as_counts_and_populations():
    by_counts = calculate_ISRatio(FRAME, "x", "n", "x_ref", "n_ref", by="area")
    by_rates = calculate_ISRatio(
        FRAME.assign(rate=FRAME["x_ref"] / FRAME["n_ref"]), "x", "n", ref_rate="rate", by="area"
    )
    pd.testing.assert_frame_equal(by_counts, by_rates)


def test_observed_totals_replace_the_row_counts():
    totals = pd.DataFrame({"area": ["A", "B"], "deaths": [80, 0]})
    result = calculate_ISRatio(
        FRAME.drop(columns="x"), "deaths", "n", "x_ref", "n_ref", by="area", observed_totals=totals
    ).set_index("area")
    assert result["observed"].tolist() == [80, 0]
    assert result.loc["B", "value"] == 0
    assert result.loc["B", "lowercl"] == 0
    assert result.loc["B", "uppercl"] == pytest.approx(stats.chi2.ppf(0.975, 2) / 2 / EXPECTED)


def test_missing_counts_are_skipped_and_missing_populations_expect_nothing():
    frame = FRAME.assign(
        x=[1, None, 30, 40, 0, 1, 2, 3], n=[100, 200, 300, 400, 100, None, 300, 400]
    )
    result = calculate_ISRatio(frame, "x", "n", "x_ref", "n_ref", by="area").set_index("area")
    assert result.loc["A", "observed"] == 71
    assert result.loc["B", "expected"] == pytest.approx(EXPECTED - 2)


def test_rate_is_the_ratio_times_the_reference_rate():
    ratio = calculate_ISRatio(
        FRAME, "x", "n", "x_ref", "n_ref", by="area", confidence=(0.95, 0.998)
    )
    rate = calculate_ISRate(FRAME, "x", "n", "x_ref", "n_ref", by="area", confidence=(0.95, 0.998))
    # The reference rate: 515 events in 5,000 people, per 100,000.
    assert rate["ref_rate"].tolist() == pytest.approx([10_300, 10_300])
    for column in ("value", "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"):
        assert rate[column].to_numpy() == pytest.approx(ratio[column].to_numpy() * 10_300)
    assert rate.columns.tolist()[:5] == ["area", "observed", "expected", "ref_rate", "value"]
    assert rate["statistic"].iloc[0] == "indirectly standardised rate per 100000"
    assert rate["confidence"].iloc[0] == "95%, 99.8%"


def test_invalid_inputs_are_refused():
    with pytest.raises(ValueError, match=r"numerator x must not be negative \(row 0, area 'A'\)"):
        calculate_ISRatio(
            FRAME.assign(x=[-1, *FRAME["x"][1:]]), "x", "n", "x_ref", "n_ref", by="area"
        )
    with pytest.raises(ValueError, match="reference denominator n_ref must be greater than zero"):
        calculate_ISRatio(FRAME.assign(n_ref=0), "x", "n", "x_ref", "n_ref")
    with pytest.raises(ValueError, match="x_ref and n_ref columns, or as ref_rate"):
        calculate_ISRatio(FRAME, "x", "n")
    with pytest.raises(ValueError, match="refvalue must be a positive number"):
        calculate_ISRatio(FRAME, "x", "n", "x_ref", "n_ref", refvalue=0)
    with pytest.raises(ValueError, match="one row per group"):
        calculate_ISRatio(
            FRAME,
            "x",
            "n",
            "x_ref",
            "n_ref",
            by="area",
            observed_totals=pd.DataFrame({"area": ["A", "A"], "x": [1, 2]}),
        )


@settings(max_examples=20, deadline=None)
@given(
    observed=st.lists(st.integers(0, 500), min_size=4, max_size=4),
    populations=st.lists(st.integers(1, 5000), min_size=4, max_size=4),
)
def test_limits_bracket_the_ratio_and_widen_at_998(observed, populations):
    frame = FRAME.iloc[:4].assign(x=observed, n=populations)
    row = calculate_ISRatio(frame, "x", "n", "x_ref", "n_ref", confidence=(0.95, 0.998)).iloc[0]
    assert row["lower99_8cl"] <= row["lower95_0cl"] <= row["value"]
    assert row["value"] <= row["upper95_0cl"] <= row["upper99_8cl"]
    assert np.isfinite(row["upper99_8cl"])
