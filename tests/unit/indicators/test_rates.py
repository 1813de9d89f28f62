"""Crude rates with exact Poisson (under 10 events) or Byar's limits."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from placeworks.indicators import phe_rate

Z95 = 1.959963984540054

FRAME = pd.DataFrame(
    {
        "area": ["Burnley", "Burnley", "Pendle", "Hyndburn", "Rossendale"],
        "deaths": [60, 40, 5, 0, 9],
        "pop": [30_000, 20_000, 10_000, 2_000, 10_000],
    }
)


def test_byars_limits_from_ten_events():
    result = phe_rate(FRAME, "deaths", "pop", by="area").set_index("area")
    burnley = result.loc["Burnley"]
    assert (burnley["deaths"], burnley["pop"]) == (100, 50_000)
    assert burnley["value"] == pytest.approx(200)
    # Byar: O_L = O (1 - 1/9O - z/3√O)³, O_U = (O+1)(1 - 1/9(O+1) + z/3√(O+1))³, per 100,000.
    o = 100
    lower = o * (1 - 1 / (9 * o) - Z95 / (3 * math.sqrt(o))) ** 3
    upper = (o + 1) * (1 - 1 / (9 * (o + 1)) + Z95 / (3 * math.sqrt(o + 1))) ** 3
    assert burnley["lowercl"] == pytest.approx(lower / 50_000 * 100_000)
    assert burnley["uppercl"] == pytest.approx(upper / 50_000 * 100_000)
    # The exact limits of 100 events are 81.36 to 121.63 (tables): Byar agrees to 0.1%.
    assert burnley["lowercl"] == pytest.approx(81.36 * 2, rel=1e-3)
    assert burnley["uppercl"] == pytest.approx(121.63 * 2, rel=1e-3)
    assert burnley["method"] == "Byars"
    assert burnley["statistic"] == "rate per 100000"
    assert burnley["confidence"] == "95%"


def test_exact_limits_below_ten_events_including_none():
    result = phe_rate(FRAME, "deaths", "pop", by="area").set_index("area")
    # Five events: exact 95% limits 1.624 to 11.668 (Garwood's tables), over 10,000 people.
    pendle = result.loc["Pendle"]
    assert pendle["lowercl"] == pytest.approx(16.24, abs=0.01)
    assert pendle["uppercl"] == pytest.approx(116.68, abs=0.01)
    assert pendle["method"] == "Exact"
    # No events: 0 to 3.689 (the "rule of 3.7"), over 2,000 people.
    hyndburn = result.loc["Hyndburn"]
    assert hyndburn[["value", "lowercl"]].tolist() == [0, 0]
    assert hyndburn["uppercl"] == pytest.approx(3.689 / 2_000 * 100_000, abs=0.05)
    # Nine events: χ²(0.025; 18)/2 and χ²(0.975; 20)/2.
    rossendale = result.loc["Rossendale"]
    assert rossendale["lowercl"] == pytest.approx(stats.chi2.ppf(0.025, 18) / 2 / 10_000 * 1e5)
    assert rossendale["uppercl"] == pytest.approx(stats.chi2.ppf(0.975, 20) / 2 / 10_000 * 1e5)


def test_both_levels_and_a_multiplier():
    result = phe_rate(FRAME, "deaths", "pop", by="area", confidence=[95, 99.8], multiplier=1000)
    assert result.columns.tolist()[4:] == [
        "lower95_0cl",
        "upper95_0cl",
        "lower99_8cl",
        "upper99_8cl",
        "confidence",
        "statistic",
        "method",
    ]
    assert result["statistic"].iloc[0] == "rate per 1000"
    assert result["confidence"].iloc[0] == "95%, 99.8%"
    # Hyndburn has no events: both lower limits are 0.
    assert np.all(result["lower99_8cl"] <= result["lower95_0cl"])
    assert np.all((result["lower99_8cl"] < result["lower95_0cl"]) | (result["deaths"] == 0))
    assert np.all(result["upper99_8cl"] > result["upper95_0cl"])


def test_missing_rows_make_the_group_missing():
    frame = pd.DataFrame({"g": ["a", "a", "b"], "x": [3.0, None, 20.0], "n": [10, 10, 100]})
    result = phe_rate(frame, "x", "n", by="g").set_index("g")
    assert result.loc["a", ["value", "lowercl", "uppercl"]].isna().all()
    assert pd.isna(result.loc["a", "method"])
    assert result.loc["b", "value"] == pytest.approx(20_000)


def test_invalid_inputs_are_refused():
    with pytest.raises(ValueError, match=r"numerator deaths must not be negative \(row 1"):
        phe_rate(FRAME.assign(deaths=[1, -1, 0, 0, 0]), "deaths", "pop", by="area")
    with pytest.raises(ValueError, match=r"denominator pop must be greater than zero \(row 4"):
        phe_rate(FRAME.assign(pop=[1, 1, 1, 1, 0]), "deaths", "pop", by="area")
    with pytest.raises(ValueError, match="multiplier must be a positive number"):
        phe_rate(FRAME, "deaths", "pop", multiplier=-1)


@settings(max_examples=25, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, 5_000), st.integers(1, 10**6)),
        min_size=1,
        max_size=10,
    )
)
def test_limits_bracket_the_rate_and_widen_at_998(rows):
    frame = pd.DataFrame(rows, columns=["g", "x", "n"])
    result = phe_rate(frame, "x", "n", by="g", confidence=(0.95, 0.998))
    assert np.all(result["lower99_8cl"] <= result["lower95_0cl"])
    assert np.all(result["lower95_0cl"] <= result["value"])
    assert np.all(result["value"] <= result["upper95_0cl"])
    assert np.all(result["upper95_0cl"] <= result["upper99_8cl"])
