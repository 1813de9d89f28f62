"""Slope and relative index of inequality against hand regressions and the analytic variance."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from placeworks.indicators import phe_sii
from placeworks.indicators.inequality import INCOMPLETE, fit, midpoints


def quintiles(values, pops=(100,) * 5, area="A", **extra) -> pd.DataFrame:
    return pd.DataFrame(
        {"area": area, "q": range(1, 6), "pop": list(pops), "value": list(values), **extra}
    )


def test_a_straight_line_gives_its_slope_ratio_and_intercept():
    # equal fifths: midpoints b = 0.1, 0.3, 0.5, 0.7, 0.9; y = 10 + 5b lies on the line, so
    # SII = 5, intercept = 10 and RII = (10 + 5) / 10 = 1.5; with no sampling error (se = 0)
    # every simulated SII is 5 too.
    frame = quintiles([10.5, 11.5, 12.5, 13.5, 14.5], se=[0.0] * 5)
    result = phe_sii(
        frame,
        "q",
        "pop",
        value="value",
        se="se",
        rii=True,
        intercept=True,
        seed=1,
        repetitions=1000,
    )
    row = result.iloc[0]
    assert row["sii"] == pytest.approx(5)
    assert row["rii"] == pytest.approx(1.5)
    assert row["intercept"] == pytest.approx(10)
    assert row["sii_lower95_0cl"] == pytest.approx(5)
    assert row["sii_upper95_0cl"] == pytest.approx(5)
    assert row["CI_confidence"] == "95%"
    assert row["CI_method"] == "simulation 1000 reps"
    assert row["indicator_type"] == "normal"


def test_unequal_populations_use_population_midpoints():
    # populations 100, 300, 100, 200, 300 of 1,000: shares 0.1, 0.3, 0.1, 0.2, 0.3 and
    # midpoints 0.05, 0.25, 0.45, 0.6, 0.85; y = 2 + 4b lies on the line: SII 4, intercept 2.
    share, mid = midpoints([100, 300, 100, 200, 300])
    assert mid == pytest.approx([0.05, 0.25, 0.45, 0.6, 0.85])
    assert share == pytest.approx([0.1, 0.3, 0.1, 0.2, 0.3])
    y = 2 + 4 * mid
    assert fit([100, 300, 100, 200, 300], y) == pytest.approx([2, 4])


def test_off_the_line_the_fit_is_weighted_least_squares():
    # y = (1, 3, 2, 5, 4) on equal fifths is an ordinary regression on b = 0.1..0.9:
    # mean b = 0.5, mean y = 3, Sxy = sum (b - 0.5)(y - 3) = 0.8 + 0 + 0 + 0.4 + 0.4 = 1.6,
    # Sxx = 0.16 + 0.04 + 0 + 0.04 + 0.16 = 0.4, slope 4, intercept 3 - 4 × 0.5 = 1
    assert fit([1] * 5, np.array([1, 3, 2, 5, 4])) == pytest.approx([1, 4])


def test_a_negative_multiplier_flips_the_sii_and_inverts_the_rii():
    frame = quintiles([10.5, 11.5, 12.5, 13.5, 14.5], se=[0.0] * 5)
    result = phe_sii(
        frame,
        "q",
        "pop",
        value="value",
        se="se",
        rii=True,
        multiplier=-100,
        seed=1,
        repetitions=1000,
    ).iloc[0]
    assert result["sii"] == pytest.approx(-500)
    assert result["rii"] == pytest.approx(1 / 1.5)
    assert result["sii_lower95_0cl"] == pytest.approx(-500)
    assert result["multiplier"] == -100


def test_simulated_limits_match_the_analytic_variance():
    # For a normal indicator the fitted slope is linear in the values: β = S y with
    # S = (X'X)⁻¹X' diag(√a), so Var(β1) = sum S_1i² se_i², and the 95% limits approach
    # SII ± 1.959964 √Var(β1).
    pops = [500, 700, 900, 800, 600]
    se = np.array([1.5, 1.2, 1.0, 1.1, 1.4])
    frame = quintiles([70, 72, 75, 77, 80], pops=pops, se=se)
    result = phe_sii(frame, "q", "pop", value="value", se="se", seed=20240101).iloc[0]
    share, mid = midpoints(pops)
    root = np.sqrt(share)
    design = np.column_stack([root, mid * root])
    s = np.linalg.solve(design.T @ design, design.T) * root
    sd = np.sqrt((s[1] ** 2 * se**2).sum())
    assert result["sii_lower95_0cl"] == pytest.approx(result["sii"] - 1.959964 * sd, rel=0.01)
    assert result["sii_upper95_0cl"] == pytest.approx(result["sii"] + 1.959964 * sd, rel=0.01)


def test_standard_errors_from_limits_on_the_log_scale_for_rates():
    # rates with 95% limits v × exp(∓1.959964 × 0.1) have se 0.1 on the log scale; the run
    # with those limits and the run with the implied se agree draw for draw.
    values = np.array([300.0, 260, 240, 210, 180])
    frame = quintiles(
        values, lo=values * np.exp(-1.959964 * 0.1), hi=values * np.exp(1.959964 * 0.1)
    )
    from_limits = phe_sii(
        frame,
        "q",
        "pop",
        value="value",
        value_type=1,
        lower_cl="lo",
        upper_cl="hi",
        seed=7,
        repetitions=2000,
        rii=True,
    ).iloc[0]
    frame["se"] = 0.1
    from_se = phe_sii(
        frame,
        "q",
        "pop",
        value="value",
        value_type=1,
        se="se",
        seed=7,
        repetitions=2000,
        rii=True,
    ).iloc[0]
    assert from_limits["sii_lower95_0cl"] == pytest.approx(from_se["sii_lower95_0cl"], rel=1e-6)
    assert from_limits["indicator_type"] == "rate"
    assert from_limits["sii"] < 0 < from_limits["rii"] < 1


def test_proportions_from_counts_summed_over_rows():
    # counts arrive split over two rows per quintile; x/pop = 0.1, 0.2, 0.3, 0.4, 0.5 on
    # equal fifths is 0.05 + 0.5b: SII 0.5, intercept 0.05.
    half = pd.DataFrame(
        {
            "q": list(range(1, 6)) * 2,
            "pop": [500] * 10,
            "x": [50, 100, 150, 200, 250] * 2,
            "lo": [0.09, 0.19, 0.29, 0.39, 0.49] * 2,
        }
    )
    half["hi"] = half["lo"] + 0.02
    with pytest.raises(ValueError, match="more than one row of lo, hi"):
        phe_sii(half, "q", "pop", x="x", value_type=2, lower_cl="lo", upper_cl="hi", seed=1)
    summed = half.groupby("q", as_index=False)[["pop", "x"]].sum()
    summed["lo"] = [0.09, 0.19, 0.29, 0.39, 0.49]
    summed["hi"] = summed["lo"] + 0.02
    result = phe_sii(
        summed,
        "q",
        "pop",
        x="x",
        value_type=2,
        lower_cl="lo",
        upper_cl="hi",
        seed=1,
        intercept=True,
        repetitions=1000,
    ).iloc[0]
    assert result["sii"] == pytest.approx(0.5)
    assert result["intercept"] == pytest.approx(0.05)
    assert result["indicator_type"] == "proportion"


def test_the_seed_makes_runs_repeatable():
    frame = quintiles([70, 72, 75, 77, 80], se=[1.0] * 5)
    runs = [
        phe_sii(frame, "q", "pop", value="value", se="se", seed=s, repetitions=1000)
        for s in (3, 3, 4)
    ]
    assert runs[0].equals(runs[1])
    assert runs[0]["sii_lower95_0cl"].item() != runs[2]["sii_lower95_0cl"].item()
    generator = np.random.default_rng(3)
    same = phe_sii(frame, "q", "pop", value="value", se="se", seed=generator, repetitions=1000)
    assert same.equals(runs[0])


def test_groups_two_levels_reliability_and_an_incomplete_group():
    frame = pd.concat(
        [
            quintiles([70, 72, 75, 77, 80], area="B", se=[1.0] * 5),
            quintiles([60, 65, 70, 75, 80], area="A", se=[1.0] * 5),
            quintiles([60, 65, 70, 75, 80], area="C", se=[1.0] * 5).iloc[:4],
        ]
    )
    result = phe_sii(
        frame,
        "q",
        "pop",
        by=["area"],
        value="value",
        se="se",
        seed=11,
        repetitions=2000,
        confidence=[95, 99.8],
        rii=True,
        reliability_stat=True,
        type="standard",
    )
    assert result["area"].tolist() == ["A", "B", "C"]
    # A: y = 57.5 + 25b exactly
    assert result["sii"].iloc[0] == pytest.approx(25)
    assert list(result.columns) == [
        "area", "sii", "rii",
        "sii_lower95_0cl", "sii_upper95_0cl", "sii_lower99_8cl", "sii_upper99_8cl",
        "rii_lower95_0cl", "rii_upper95_0cl", "rii_lower99_8cl", "rii_upper99_8cl",
        "sii_mad95_0", "sii_mad99_8", "rii_mad95_0", "rii_mad99_8", "reason",
    ]  # fmt: skip
    assert (result["sii_mad95_0"].iloc[:2] > 0).all()
    assert result["sii"].isna().iloc[2]
    assert result["reason"].tolist() == [None, None, INCOMPLETE]


def test_validation_names_columns_and_rows():
    frame = quintiles([1, 2, 3, 4, 5], se=[1.0] * 5)
    bad = frame.assign(pop=[100, 0, 100, 100, 100])
    with pytest.raises(ValueError, match=r"column pop must be more than zero.*rows 1"):
        phe_sii(bad, "q", "pop", value="value", se="se", seed=1)
    with pytest.raises(ValueError, match=r"column se must be zero or more.*rows 4"):
        phe_sii(frame.assign(se=[1, 1, 1, 1, -1]), "q", "pop", value="value", se="se", seed=1)
    with pytest.raises(ValueError, match="between 0 and 1"):
        phe_sii(frame, "q", "pop", value="value", value_type=2, se="se", seed=1)
    with pytest.raises(ValueError, match="between 5 and 100 quantiles"):
        phe_sii(frame.iloc[:4], "q", "pop", value="value", se="se", seed=1)
    with pytest.raises(ValueError, match="lower_cl and upper_cl, or se"):
        phe_sii(frame, "q", "pop", value="value", seed=1)
    with pytest.raises(ValueError, match="1000 or more"):
        phe_sii(frame, "q", "pop", value="value", se="se", seed=1, repetitions=999)
    with pytest.raises(TypeError):
        phe_sii(frame, "q", "pop", value="value", se="se")  # no seed


@settings(max_examples=15, deadline=None)
@given(
    st.lists(st.floats(min_value=10, max_value=100), min_size=5, max_size=5),
    st.lists(st.floats(min_value=0.1, max_value=5), min_size=5, max_size=5),
    st.integers(min_value=0, max_value=2**32 - 1),
)
def test_limits_bracket_the_sii_and_nest(values, ses, seed):
    frame = quintiles(values, se=ses)
    row = phe_sii(
        frame,
        "q",
        "pop",
        value="value",
        se="se",
        seed=seed,
        repetitions=2000,
        confidence=[0.95, 0.998],
        rii=True,
    ).iloc[0]
    assert row["sii_lower99_8cl"] <= row["sii_lower95_0cl"] <= row["sii_upper95_0cl"]
    assert row["sii_upper95_0cl"] <= row["sii_upper99_8cl"]
    # the simulated median sits near the fitted value, so the 95% interval holds it
    assert row["sii_lower95_0cl"] <= row["sii"] <= row["sii_upper95_0cl"]
    assert row["rii_lower99_8cl"] <= row["rii_lower95_0cl"] <= row["rii_upper95_0cl"]
