"""Every indicator method gives the same results on every engine, and the hand values."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from placeworks.indicators import (
    assign_funnel_significance,
    calculate_dsr,
    calculate_funnel_limits,
    calculate_ISRate,
    calculate_ISRatio,
    esp2013,
    phe_mean,
    phe_proportion,
    phe_rate,
)

Z95 = 1.959963984540054
BOTH = (0.95, 0.998)

AREAS = pd.DataFrame(
    {
        "area": ["Pendle", "Burnley", "Burnley", "Hyndburn", "Pendle"],
        "sex": ["F", "F", "F", "M", "F"],
        "x": [40, 81, 0, 5, None],
        "n": [60, 200, 63, 2000, 40],
        "v": [1.5, 2.0, 4.0, 3.0, None],
    }
)

BANDS = pd.DataFrame(
    {
        "area": ["A"] * 19 + ["B"] * 19,
        "ageband": list(esp2013()["ageband"]) * 2,
        "x": [*range(1, 20), *([0] * 18), 3],
        "n": [10_000 + 100 * i for i in range(19)] * 2,
    }
)


def _same(result: pd.DataFrame, reference: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(result, reference, check_dtype=False, rtol=1e-9)


def test_proportions(engine):
    result = phe_proportion(AREAS, "x", "n", by=["area", "sex"], confidence=BOTH, engine=engine)
    _same(result, phe_proportion(AREAS, "x", "n", by=["area", "sex"], confidence=BOTH))
    burnley = result.set_index("area").loc["Burnley"]
    # 81 of 263: Newcombe (1998) gives 0.2553 to 0.3662.
    assert burnley["lower95_0cl"] == pytest.approx(0.2553, abs=5e-5)
    assert burnley["upper95_0cl"] == pytest.approx(0.3662, abs=5e-5)
    assert math.isnan(result.set_index("area").loc["Pendle", "value"])  # a missing x


def test_rates(engine):
    result = phe_rate(AREAS, "x", "n", by="area", engine=engine)
    _same(result, phe_rate(AREAS, "x", "n", by="area"))
    hyndburn = result.set_index("area").loc["Hyndburn"]
    # 5 events: exact limits 1.624 to 11.668 (tables), over 2,000 people per 100,000.
    assert hyndburn["lowercl"] == pytest.approx(81.2, abs=0.05)
    assert hyndburn["uppercl"] == pytest.approx(583.4, abs=0.05)
    assert result["method"].tolist()[:2] == ["Byars", "Exact"]


def test_means(engine):
    result = phe_mean(AREAS, "v", by="area", engine=engine)
    _same(result, phe_mean(AREAS, "v", by="area"))
    burnley = result.set_index("area").loc["Burnley"]
    # 2 and 4: mean 3, s = √2, n = 2, t(0.975; 1) = 12.706 (tables).
    assert burnley["lowercl"] == pytest.approx(3 - 12.706204736)  # s / √n = 1


def test_directly_standardised_rates(engine):
    result = calculate_dsr(BANDS, "x", "n", by="area", ageband="ageband", engine=engine)
    _same(result, calculate_dsr(BANDS, "x", "n", by="area", ageband="ageband"))
    weights = esp2013()["weight"].to_numpy()
    a = BANDS[BANDS["area"] == "A"]
    rate = (a["x"].to_numpy() / a["n"].to_numpy() * weights).sum() / 100_000
    assert result["value"].iloc[0] == pytest.approx(rate * 100_000)
    assert result["statistic"].tolist() == ["dsr per 100000", "dsr NA for total count < 10"]
    people = BANDS.assign(f=1)
    adjusted = calculate_dsr(
        people,
        "x",
        "n",
        by="area",
        ageband="ageband",
        independent_events=False,
        eventfreq="f",
        engine=engine,
    )
    _same(adjusted.drop(columns="method"), result.drop(columns="method"))


def test_indirectly_standardised_ratios_and_rates(engine):
    frame = BANDS.assign(x_ref=[*range(100, 2000, 100)] * 2, n_ref=[200_000] * 38)
    ratio = calculate_ISRatio(frame, "x", "n", "x_ref", "n_ref", by="area", engine=engine)
    _same(ratio, calculate_ISRatio(frame, "x", "n", "x_ref", "n_ref", by="area"))
    expected = (frame["n"] * frame["x_ref"] / frame["n_ref"])[:19].sum()
    assert ratio["expected"].iloc[0] == pytest.approx(expected)
    assert ratio["value"].iloc[0] == pytest.approx(190 / expected)
    rate = calculate_ISRate(frame, "x", "n", "x_ref", "n_ref", by="area", engine=engine)
    _same(rate, calculate_ISRate(frame, "x", "n", "x_ref", "n_ref", by="area"))


def test_funnels(engine):
    units = pd.DataFrame(
        {
            "year": [2023] * 7 + [2024] * 3,
            "x": [500, 500, 500, 500, 700, 300, 545, 10, 20, 30],
            "n": [1000] * 7 + [100, 100, 100],
        }
    )
    options = {"statistic": "proportion", "by": "year"}
    significance = assign_funnel_significance(units, "x", "n", engine=engine, **options)
    _same(significance, assign_funnel_significance(units, "x", "n", **options))
    assert significance["significance"].tolist()[4:7] == [
        "High (0.001)",
        "Low (0.001)",
        "High (0.025)",
    ]
    limits = calculate_funnel_limits(units, "x", "n", multiplier=100, engine=engine, **options)
    _same(limits, calculate_funnel_limits(units, "x", "n", multiplier=100, **options))
    assert limits.groupby("year")["baseline"].first().tolist() == pytest.approx(
        [100 * 3545 / 7000, 20]
    )
