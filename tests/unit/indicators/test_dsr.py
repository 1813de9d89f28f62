"""Directly standardised rates with Dobson limits, and the ESP 2013 they default to."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from placeworks.indicators import calculate_dsr, esp2013

Z95 = 1.959963984540054


def _byars(o: float, z: float = Z95) -> tuple[float, float]:
    low = o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3
    high = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * math.sqrt(o + 1))) ** 3
    return low, high


def test_esp2013_has_19_bands_summing_to_100000():
    table = esp2013()
    assert len(table) == 19
    assert table["weight"].sum() == 100_000
    assert table["ageband"].tolist()[:2] == ["0-4", "5-9"]
    assert table["ageband"].iloc[-1] == "90+"
    # Eurostat 2013: 5,000 aged 0-4, 7,000 in each band from 35 to 54, 1,000 aged 90+.
    weights = dict(zip(table["ageband"], table["weight"], strict=True))
    assert weights["0-4"] == 5000
    assert [weights[b] for b in ("35-39", "40-44", "45-49", "50-54")] == [7000] * 4
    assert weights["90+"] == 1000


THREE_BANDS = pd.DataFrame(
    {
        "area": ["A", "A", "A"],
        "band": [0, 1, 2],
        "x": [10, 20, 30],
        "n": [1000, 2000, 1500],
        "w": [100, 200, 300],
    }
)


def test_dsr_and_dobson_limits_by_hand():
    result = calculate_dsr(THREE_BANDS, "x", "n", by="area", stdpop="w")
    assert result.columns.tolist() == [
        "area",
        "total_count",
        "total_pop",
        "value",
        "lowercl",
        "uppercl",
        "confidence",
        "statistic",
        "method",
    ]
    row = result.iloc[0]
    # Σ w x / n = 100·10/1000 + 200·20/2000 + 300·30/1500 = 9 over Σ w = 600.
    rate = 9 / 600
    variance = (10 * 0.1**2 + 20 * 0.1**2 + 30 * 0.2**2) / 600**2
    low, high = _byars(60)
    scale = math.sqrt(variance / 60)
    assert (row["total_count"], row["total_pop"]) == (60, 4500)
    assert row["value"] == pytest.approx(rate * 100_000)
    assert row["lowercl"] == pytest.approx((rate + scale * (low - 60)) * 100_000)
    assert row["uppercl"] == pytest.approx((rate + scale * (high - 60)) * 100_000)
    assert (row["confidence"], row["statistic"], row["method"]) == (
        "95%",
        "dsr per 100000",
        "Dobson",
    )


def test_missing_events_count_as_none_and_small_totals_are_suppressed():
    frame = pd.concat(
        [
            THREE_BANDS,
            THREE_BANDS.assign(area="B", x=[4.0, None, 5.0]),
        ],
        ignore_index=True,
    )
    result = calculate_dsr(frame, "x", "n", by="area", stdpop="w", confidence=(0.95, 0.998))
    b = result.set_index("area").loc["B"]
    assert b["total_count"] == 9
    assert b[["value", "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]].isna().all()
    assert b["statistic"] == "dsr NA for total count < 10"
    a = result.set_index("area").loc["A"]
    assert a["statistic"] == "dsr per 100000"
    assert a["confidence"] == "95%, 99.8%"
    assert a["lower99_8cl"] < a["lower95_0cl"] < a["value"] < a["upper95_0cl"] < a["upper99_8cl"]


def test_the_esp2013_is_the_default_standard_by_label_or_lower_age():
    table = esp2013()
    frame = pd.DataFrame(
        {
            "ageband": table["ageband"],
            "lower": table["lower_age"],
            "x": np.arange(1, 20) * 10,
            "n": np.full(19, 10_000),
        }
    )
    by_label = calculate_dsr(frame, "x", "n", ageband="ageband")
    by_age = calculate_dsr(frame, "x", "n", ageband="lower")
    explicit = calculate_dsr(frame.assign(w=table["weight"]), "x", "n", stdpop="w")
    expected = (frame["x"] / frame["n"] * table["weight"]).sum() / 100_000 * 100_000
    assert by_label["value"].iloc[0] == pytest.approx(expected)
    pd.testing.assert_frame_equal(by_label, by_age)
    pd.testing.assert_frame_equal(by_label, explicit)
    with pytest.raises(ValueError, match=r"'95-99' .* is not an ESP 2013 band"):
        calculate_dsr(
            frame.assign(ageband=["95-99", *frame["ageband"][1:]]), "x", "n", ageband="ageband"
        )
    with pytest.raises(ValueError, match="give stdpop"):
        calculate_dsr(frame, "x", "n")


NON_INDEPENDENT = pd.DataFrame(
    {
        "area": ["A"] * 4,
        "band": ["a", "a", "b", "b"],
        "freq": [1, 2, 1, 2],
        "people": [8, 3, 10, 2],
        "n": [1000, 1000, 2000, 2000],
        "w": [100, 100, 300, 300],
    }
)


def test_non_independent_events_widen_the_limits_by_hand():
    result = calculate_dsr(
        NON_INDEPENDENT,
        "people",
        "n",
        by="area",
        stdpop="w",
        independent_events=False,
        eventfreq="freq",
        ageband="band",
    )
    row = result.iloc[0]
    # Events: band a 8 + 2·3 = 14, band b 10 + 2·2 = 14; DSR (14·0.1 + 14·0.15) / 400.
    rate = (14 * 100 / 1000 + 14 * 300 / 2000) / 400
    # Variance: Σ_f f² Σ people (w/n)² / (Σ w)²,
    # f = 1: 8·0.01 + 10·0.0225; f = 2: 3·0.01 + 2·0.0225.
    variance = (1 * (8 * 0.01 + 10 * 0.0225) + 4 * (3 * 0.01 + 2 * 0.0225)) / 400**2
    low, high = _byars(28)
    scale = math.sqrt(variance / 28)
    assert (row["total_count"], row["total_pop"]) == (28, 3000)
    assert row["value"] == pytest.approx(rate * 100_000)
    assert row["lowercl"] == pytest.approx((rate + scale * (low - 28)) * 100_000)
    assert row["uppercl"] == pytest.approx((rate + scale * (high - 28)) * 100_000)
    assert row["method"] == "Dobson, with confidence adjusted for non-independent events"
    whole = calculate_dsr(
        NON_INDEPENDENT,
        "people",
        "n",
        stdpop="w",
        independent_events=False,
        eventfreq="freq",
        ageband="band",
    )
    pd.testing.assert_series_equal(whole.iloc[0], row.drop("area"), check_names=False)
    # The same events counted as independent: same rate, narrower limits.
    events = pd.DataFrame({"area": "A", "x": [14, 14], "n": [1000, 2000], "w": [100, 300]})
    independent = calculate_dsr(events, "x", "n", by="area", stdpop="w").iloc[0]
    assert independent["value"] == pytest.approx(row["value"])
    assert independent["lowercl"] > row["lowercl"]
    assert independent["uppercl"] < row["uppercl"]


def test_one_event_each_is_the_independent_case():
    frame = pd.concat([THREE_BANDS, THREE_BANDS.assign(area="B", x=[5, 50, 7])])
    independent = calculate_dsr(frame, "x", "n", by="area", stdpop="w", type="standard")
    adjusted = calculate_dsr(
        frame.assign(f=1),
        "x",
        "n",
        by="area",
        stdpop="w",
        independent_events=False,
        eventfreq="f",
        ageband="band",
        type="standard",
    )
    pd.testing.assert_frame_equal(independent, adjusted)


def test_invalid_inputs_are_refused():
    with pytest.raises(ValueError, match=r"denominator n must not be missing \(row 1"):
        calculate_dsr(THREE_BANDS.assign(n=[1.0, None, 2.0]), "x", "n", stdpop="w")
    with pytest.raises(ValueError, match=r"numerator x must not be negative \(row 2, area 'A'\)"):
        calculate_dsr(THREE_BANDS.assign(x=[1, 2, -3]), "x", "n", by="area", stdpop="w")
    with pytest.raises(ValueError, match="standard population w must not be negative"):
        calculate_dsr(THREE_BANDS.assign(w=[1, -2, 3]), "x", "n", stdpop="w")
    with pytest.raises(ValueError, match="needs the eventfreq and ageband"):
        calculate_dsr(THREE_BANDS, "x", "n", stdpop="w", independent_events=False)
    with pytest.raises(ValueError, match="n must be the same on every event frequency row"):
        calculate_dsr(
            NON_INDEPENDENT.assign(n=[1000, 1001, 2000, 2000]),
            "people",
            "n",
            stdpop="w",
            independent_events=False,
            eventfreq="freq",
            ageband="band",
        )
    with pytest.raises(ValueError, match="event frequency f must not be missing"):
        calculate_dsr(
            THREE_BANDS.assign(f=[1, None, 2]),
            "x",
            "n",
            stdpop="w",
            independent_events=False,
            eventfreq="f",
            ageband="band",
        )


@settings(max_examples=20, deadline=None)
@given(
    counts=st.lists(st.integers(0, 400), min_size=19, max_size=19),
    populations=st.lists(st.integers(1, 50_000), min_size=19, max_size=19),
)
def test_limits_bracket_the_dsr_and_widen_at_998(counts, populations):
    frame = pd.DataFrame({"band": esp2013()["ageband"], "x": counts, "n": populations})
    row = calculate_dsr(frame, "x", "n", ageband="band", confidence=(0.95, 0.998)).iloc[0]
    if row["total_count"] < 10:
        assert math.isnan(row["value"])
        return
    assert row["lower99_8cl"] <= row["lower95_0cl"] <= row["value"]
    assert row["value"] <= row["upper95_0cl"] <= row["upper99_8cl"]
