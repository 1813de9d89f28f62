"""Funnel plot control limits and the significance of each unit against them."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from placeworks.indicators import assign_funnel_significance, calculate_funnel_limits

Z975, Z999 = 1.959963984540054, 3.090232306167813  # normal tables: 1.96 and 3.09

AREAS = pd.DataFrame(
    {
        "area": ["A", "B", "C", "D"],
        "numerator": [10232, 12321, 15123, 13213],
        "denominator": [15232, 16123, 17932, 18475],
    }
)


def _ohid_quadratic(p: float, n: float, z: float, side: int) -> float:
    """The control limit as OHID's funnel plot guide writes it: a root of a quadratic in the
    count, over n."""
    z2 = z * z
    first = p * (n / z2 + 1)
    d = (8 * first) ** 2 - 64 * (1 / z2 + 1 / n) * p * (n * (p * (n / z2 + 2) - 1) + z2 * (p - 1))
    return (first + side * math.sqrt(d) / 8) / (1 / z2 + 1 / n) / n


def test_proportion_limits_at_100_populations():
    result = calculate_funnel_limits(
        AREAS, "numerator", "denominator", statistic="proportion", multiplier=100
    )
    assert result.columns.tolist() == [
        "Population",
        "lower_2s_limit",
        "upper_2s_limit",
        "lower_3s_limit",
        "upper_3s_limit",
        "baseline",
        "statistic",
    ]
    assert len(result) == 100
    # Denominators 15,232 to 18,475 (within a factor 2): the axis runs from 95% of the smallest
    # rounded down to its leading digit, 10,000, to 105% of the largest rounded up to two
    # digits, 20,000.
    assert result["Population"].iloc[0] == 10_000
    assert result["Population"].iloc[-1] == 20_000
    assert result["Population"].is_monotonic_increasing
    average = 50_889 / 67_762
    assert result["baseline"].unique().tolist() == pytest.approx([average * 100])
    for _, row in result.iloc[[0, 37, 99]].iterrows():
        n = row["Population"]
        assert row["lower_2s_limit"] == pytest.approx(100 * _ohid_quadratic(average, n, Z975, -1))
        assert row["upper_2s_limit"] == pytest.approx(100 * _ohid_quadratic(average, n, Z975, 1))
        assert row["lower_3s_limit"] == pytest.approx(100 * _ohid_quadratic(average, n, Z999, -1))
        assert row["upper_3s_limit"] == pytest.approx(100 * _ohid_quadratic(average, n, Z999, 1))
    assert result["statistic"].unique().tolist() == ["proportion"]


def test_a_wide_range_of_sizes_starts_the_axis_at_one_and_limits_stay_in_range():
    frame = pd.DataFrame({"x": [1, 90], "n": [3, 1000]})
    result = calculate_funnel_limits(
        frame, "x", "n", statistic="proportion", multiplier=1, type="standard"
    )
    assert "statistic" not in result.columns
    assert result["Population"].iloc[0] == 1
    assert result["Population"].iloc[-1] == 1100  # 1,050 rounded up to two digits
    assert result["lower_3s_limit"].min() == 0
    assert result["upper_3s_limit"].max() <= 1


def test_ratio_limits_put_the_observed_count_in_the_poisson_tails():
    frame = pd.DataFrame({"observed": [5, 20, 50, 120], "expected": [10, 15, 60, 100.0]})
    isr = calculate_funnel_limits(
        frame, "observed", "expected", statistic="ratio", ratio_type="isr"
    )
    assert isr["statistic"].iloc[0] == "ratio (isr)"
    assert isr["Observed_events"].iloc[0] == 1
    for _, row in isr.iloc[[0, 5, 60, 99]].iterrows():
        o = row["Observed_events"]
        # At the lower limit o is high for its expectation: P(X ≤ o) = 2.5% (0.1%).
        assert stats.poisson.cdf(o, o / (row["lower_2s_limit"] / 100)) == pytest.approx(0.025)
        assert stats.poisson.cdf(o, o / (row["lower_3s_limit"] / 100)) == pytest.approx(0.001)
        # At the upper limit o is low for its expectation: P(X ≥ o) = 2.5% (0.1%).
        assert stats.poisson.sf(o - 1, o / (row["upper_2s_limit"] / 100)) == pytest.approx(0.025)
        assert stats.poisson.sf(o - 1, o / (row["upper_3s_limit"] / 100)) == pytest.approx(0.001)
        assert row["lower_2s_exp_events"] == pytest.approx(o / (row["lower_2s_limit"] / 100))
    count = calculate_funnel_limits(
        frame, "observed", "expected", statistic="ratio", ratio_type="count"
    )
    assert count["statistic"].iloc[0] == "ratio (count)"
    assert count["upper_2s_limit"].to_numpy() == pytest.approx(
        isr["upper_2s_limit"].to_numpy() / 100 - 1
    )


def test_rate_limits_are_poisson_limits_over_the_average_rate():
    frame = pd.DataFrame({"events": [30, 60, 90], "pop": [30_000, 50_000, 70_000.0]})
    frame["rate"] = frame["events"] / frame["pop"] * 100_000
    result = calculate_funnel_limits(
        frame,
        "events",
        rate="rate",
        statistic="rate",
        rate_type="dsr",
        multiplier=100_000,
        years_of_data=3,
    )
    average = 180 / 150_000
    assert result["statistic"].iloc[0] == "rate (dsr per 100,000)"
    assert result["baseline"].iloc[0] == pytest.approx(average * 100_000)
    for _, row in result.iloc[[0, 50, 99]].iterrows():
        events = row["Events"]
        expected = stats.chi2.ppf(0.975, 2 * events + 2) / 2
        assert row["lower_2s_population_1_year"] == pytest.approx(expected / average / 3)
        assert row["lower_2s_limit"] == pytest.approx(events / (expected / average) * 100_000)
        assert row["upper_3s_limit"] > row["upper_2s_limit"] > row["lower_2s_limit"]


def test_each_group_gets_its_own_funnel():
    frame = pd.concat(
        [AREAS.assign(year=2023), AREAS.assign(year=2024, numerator=AREAS["numerator"] // 2)]
    )
    result = calculate_funnel_limits(
        frame, "numerator", "denominator", statistic="proportion", multiplier=100, by="year"
    )
    assert result.columns[0] == "year"
    assert result.groupby("year").size().tolist() == [100, 100]
    baselines = result.groupby("year")["baseline"].first()
    assert baselines.loc[2023] == pytest.approx(100 * 50_889 / 67_762)
    assert baselines.loc[2024] == pytest.approx(100 * (5116 + 6160 + 7561 + 6606) / 67_762)


def test_proportion_significance_against_the_limits_at_each_denominator():
    frame = pd.DataFrame(
        {
            "unit": list("abcdefg"),
            "x": [500, 500, 500, 500, 700, 300, 545],
            "n": [1000] * 7,
        }
    )
    result = assign_funnel_significance(frame, "x", "n", statistic="proportion")
    # Average p = 3,545 / 7,000 = 0.5064, se at n = 1,000 = √(p(1 - p)/1000) = 0.01581:
    # 95% limits 0.4754 to 0.5374, 99.8% limits 0.4576 to 0.5553; 0.545 is between the upper two.
    p = 3545 / 7000
    se = math.sqrt(p * (1 - p) / 1000)
    assert p + Z975 * se < 0.545 < p + Z999 * se
    assert result["significance"].tolist() == [
        "Not significant",
        "Not significant",
        "Not significant",
        "Not significant",
        "High (0.001)",
        "Low (0.001)",
        "High (0.025)",
    ]
    assert result["unit"].tolist() == list("abcdefg")


def test_ratio_significance_compares_the_limits_with_one():
    frame = pd.DataFrame({"o": [20, 50, 2, 15, 0], "e": [10.0, 20.0, 20.0, 15.0, 0.5]})
    result = assign_funnel_significance(frame, "o", "e", statistic="ratio")
    # 20 over 10: Byar lower 95% 12.2 (> 10), lower 99.8% 8.9 (< 10).
    assert result["significance"].tolist() == [
        "High (0.025)",
        "High (0.001)",
        "Low (0.001)",
        "Not significant",
        "Not significant",
    ]
    assert list(result["significance"].cat.categories) == [
        "High (0.001)",
        "High (0.025)",
        "Low (0.001)",
        "Low (0.025)",
        "Not significant",
        "Not applicable for events less than 10 for dsrs",
    ]


def test_rate_significance_and_small_dsrs():
    frame = pd.DataFrame({"events": [5, 20, 50, 400, 0], "pop": [1e4, 1.5e4, 6e4, 1e5, 3e3]})
    frame["rate"] = frame["events"] / frame["pop"] * 100_000
    dsr = assign_funnel_significance(
        frame, "events", "pop", rate="rate", statistic="rate", rate_type="dsr", multiplier=100_000
    )
    assert dsr["significance"].tolist()[0] == "Not applicable for events less than 10 for dsrs"
    assert dsr["significance"].tolist()[4] == "Not applicable for events less than 10 for dsrs"
    crude = assign_funnel_significance(
        frame,
        "events",
        "pop",
        rate="rate",
        statistic="rate",
        rate_type="crude",
        multiplier=100_000,
    )
    average = 475 / 188_000
    labels = crude["significance"].tolist()
    # 400 in 100,000 (0.004) is far above the average 0.0025: its 99.8% lower limit is too.
    assert labels[3] == "High (0.001)"
    assert average < 400 * (1 - 1 / 3600 - Z999 / (3 * 20)) ** 3 / 100_000
    # 50 in 60,000 (0.00083) is far below: upper 99.8% limit 72.5 / 60,000 < average.
    assert labels[2] == "Low (0.001)"


def test_invalid_inputs_are_refused():
    with pytest.raises(ValueError, match="statistic must be one of"):
        calculate_funnel_limits(AREAS, "numerator", "denominator", statistic="mean")
    with pytest.raises(ValueError, match="needs ratio_type"):
        calculate_funnel_limits(AREAS, "numerator", "denominator", statistic="ratio")
    with pytest.raises(ValueError, match="needs years_of_data"):
        calculate_funnel_limits(
            AREAS,
            "numerator",
            "denominator",
            rate="numerator",
            statistic="rate",
            rate_type="crude",
            multiplier=100,
        )
    with pytest.raises(ValueError, match="needs the multiplier"):
        calculate_funnel_limits(AREAS, "numerator", "denominator", statistic="proportion")
    with pytest.raises(ValueError, match=r"numerator x must not exceed the denominator n \(row 1"):
        assign_funnel_significance(
            pd.DataFrame({"x": [1, 5], "n": [2, 4]}), "x", "n", statistic="proportion"
        )
    with pytest.raises(ValueError, match="needs the denominator column for them"):
        assign_funnel_significance(
            pd.DataFrame({"x": [0, 5], "r": [0, 4.0]}),
            "x",
            rate="r",
            statistic="rate",
            rate_type="crude",
            multiplier=100,
        )
    with pytest.raises(ValueError, match="numerator x must not be missing"):
        assign_funnel_significance(
            pd.DataFrame({"x": [None, 5], "n": [2, 4]}), "x", "n", statistic="ratio"
        )
    assert np.isfinite(
        calculate_funnel_limits(
            AREAS, "numerator", "denominator", statistic="ratio", ratio_type="isr"
        )["upper_3s_limit"]
    ).all()


@settings(max_examples=15, deadline=None)
@given(
    units=st.lists(
        st.tuples(st.integers(1, 50_000), st.floats(0.01, 0.99)), min_size=2, max_size=8
    ),
    statistic=st.sampled_from(["proportion", "ratio", "rate"]),
)
def test_the_3_sigma_funnel_contains_the_2_sigma_funnel(units, statistic):
    frame = pd.DataFrame([{"n": n, "x": max(1, math.floor(share * n))} for n, share in units])
    frame["rate"] = frame["x"] / frame["n"] * 1000
    result = calculate_funnel_limits(
        frame,
        "x",
        "n",
        rate="rate",
        statistic=statistic,
        multiplier=1000,
        ratio_type="isr",
        rate_type="crude",
        years_of_data=1,
    )
    tol = 1e-9
    assert np.all(result["lower_3s_limit"] <= result["lower_2s_limit"] + tol)
    assert np.all(result["lower_2s_limit"] <= result["upper_2s_limit"] + tol)
    assert np.all(result["upper_2s_limit"] <= result["upper_3s_limit"] + tol)
    centre = 100 if statistic == "ratio" else result["baseline"]
    assert np.all(result["lower_2s_limit"] <= centre + tol)
    assert np.all(centre <= result["upper_2s_limit"] + tol)
