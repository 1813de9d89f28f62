"""XmR charts and the Making Data Count rules against hand-worked series."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from placeworks.indicators import spc_xmr
from placeworks.indicators.spc import assurance, point_type, special_causes


def series(values, **extra) -> pd.DataFrame:
    return pd.DataFrame({"month": range(len(values)), "count": values, **extra})


def test_limits_screened_moving_ranges_and_the_rules_by_hand():
    # y = 10 11 9 10 11 9 10 30: mean 100/8 = 12.5; moving ranges 1 2 1 1 2 1 20, mean 4;
    # 20 is over 3.267 × 4 = 13.07 and is screened out: mean mR = 8/6 = 1.3333.
    # Limits 12.5 ∓ 2.66 × 1.3333 = 8.9533 and 16.0467; 2 sigma 12.5 ∓ 1.7733 × 1.3333 =
    # 10.1356 and 14.8644.
    result = spc_xmr(series([10, 11, 9, 10, 11, 9, 10, 30]), "count", "month")
    assert result["mean"].iloc[0] == pytest.approx(12.5)
    assert result["lpl"].iloc[0] == pytest.approx(12.5 - 2.66 * 8 / 6)
    assert result["upl"].iloc[0] == pytest.approx(16.046667, abs=1e-6)
    assert result["near_lpl"].iloc[0] == pytest.approx(10.135556, abs=1e-6)
    # 30 is above the upper limit; the 10s and 9s lie beyond the lower 2-sigma line, two in
    # every three consecutive points below the mean; the 11s are not beyond it but sit in a run
    # of 7 below the mean.
    assert result["special_cause_type"].tolist() == [
        "2 in 3 Below CL", "7 Points Below CL", "2 in 3 Below CL", "2 in 3 Below CL",
        "7 Points Below CL", "2 in 3 Below CL", "2 in 3 Below CL", "Above UCL",
    ]  # fmt: skip
    assert result["point_type"].tolist() == ["special_cause_concern"] * 7 + [
        "special_cause_improvement"
    ]
    assert result["outside_limits"].tolist() == [False] * 7 + [True]


def test_a_trend_of_seven_points():
    # y = 3 1 2 3 4 5 6 7 2: 1..7 rise at every step (7 points); mean 33/9 = 3.667, mean mR
    # (2+1+1+1+1+1+1+5)/8 = 1.625 (5 < 3.267 × 1.625 = 5.31 is kept): limits -0.656, 7.989.
    result = spc_xmr(
        series([3, 1, 2, 3, 4, 5, 6, 7, 2]), "count", "month", improvement_direction="decrease"
    )
    assert result["upl"].iloc[0] == pytest.approx(33 / 9 + 2.66 * 1.625)
    types = result["special_cause_type"].tolist()
    assert types == ["Common Cause", *["7 Point Trend (Increasing)"] * 7, "Common Cause"]
    assert result["point_type"].iloc[1] == "special_cause_concern"
    assert result["point_type"].iloc[0] == "common_cause"
    # six rising points are not a trend
    six = spc_xmr(series([3, 1, 2, 3, 4, 5, 6, 2, 3]), "count", "month")
    assert "Trend" not in " ".join(six["special_cause_type"])


def test_a_falling_trend_and_neutral_direction():
    result = spc_xmr(
        series([5, 9, 8, 7, 6, 5, 4, 3, 6]), "count", "month", improvement_direction="neutral"
    )
    assert result["special_cause_type"].iloc[1:8].tolist() == ["7 Point Trend (Decreasing)"] * 7
    assert result["point_type"].iloc[1] == "special_cause_neutral_low"
    assert result["assurance_type"].isna().all()


def test_six_points_on_one_side_are_not_a_shift_seven_are():
    base = [14, 10, 14, 10, 14, 10]
    six = spc_xmr(series([*base, 13, 13, 13, 13, 13, 13]), "count", "month")
    assert "Points" not in " ".join(six["special_cause_type"])
    seven = spc_xmr(series([*base, *[13] * 7]), "count", "month")
    # mean (6 × 12 + 7 × 13) / 13 = 12.54; the seven 13s lie above it, after a 10 below it
    assert seven["special_cause_type"].iloc[6:].tolist() == ["7 Points Above CL"] * 7
    shorter = spc_xmr(series([*base, *[13] * 6]), "count", "month", shift_points=6)
    assert shorter["special_cause_type"].iloc[6:].tolist() == ["6 Points Above CL"] * 6


def test_rebase_recalculates_the_limits_from_that_point():
    values = [1, 2, 1, 2, 1, 11, 12, 11, 12, 11]
    result = spc_xmr(series(values), "count", "month", rebase=[5])
    # 1 2 1 2 1: mean 1.4, mR 1 1 1 1 -> limits 1.4 ∓ 2.66; 11 12 11 12 11: mean 11.4
    assert result["rebase_group"].tolist() == [0] * 5 + [1] * 5
    assert result["mean"].tolist() == pytest.approx([1.4] * 5 + [11.4] * 5)
    assert result["upl"].iloc[0] == pytest.approx(4.06)
    assert result["upl"].iloc[9] == pytest.approx(14.06)
    # the jump between segments is not a moving range of either
    assert result["moving_range"].iloc[5] != result["moving_range"].iloc[5]
    assert not result["special_cause_flag"].any()
    assert (
        not spc_xmr(series(values), "count", "month")["special_cause_flag"].iloc[5:].eq(False).all()
    )


def test_fix_after_n_points_uses_the_first_points_only():
    # limits from 1 2 1 2 1 (mean 1.4, mean mR 1); the 9 that follows is above 4.06
    result = spc_xmr(series([1, 2, 1, 2, 1, 9]), "count", "month", fix_after_n_points=5)
    assert result["mean"].iloc[0] == pytest.approx(1.4)
    assert result["special_cause_type"].iloc[5] == "Above UCL"
    unscreened = spc_xmr(series([10, 11, 9, 10, 11, 9, 10, 30]), "count", "month",
                         screen_outliers=False)  # fmt: skip
    assert unscreened["upl"].iloc[0] == pytest.approx(12.5 + 2.66 * 4)


@pytest.mark.parametrize(
    ("direction", "target", "expected"),
    [
        ("increase", 20, "consistent_fail"),
        ("increase", 0, "consistent_pass"),
        ("increase", 12, "inconsistent"),
        ("decrease", 20, "consistent_pass"),
        ("decrease", 0, "consistent_fail"),
        ("neutral", 12, None),
        ("increase", None, None),
    ],
)
def test_assurance_against_a_target(direction, target, expected):
    # the process limits are 8.9533 and 16.0467 (see above)
    result = spc_xmr(
        series([10, 11, 9, 10, 11, 9, 10, 30]), "count", "month",
        improvement_direction=direction, target=target,
    )  # fmt: skip
    assert set(result["assurance_type"]) == {expected}
    assert assurance(target, 8.95, 16.05, direction) == expected


def test_point_types():
    assert point_type("Above UCL", "increase") == "special_cause_improvement"
    assert point_type("Above UCL", "decrease") == "special_cause_concern"
    assert point_type("2 in 3 Below CL", "decrease") == "special_cause_improvement"
    assert point_type("7 Points Above CL", "neutral") == "special_cause_neutral_high"
    assert point_type("Common Cause", "increase") == "common_cause"


def test_groups_are_charted_apart_and_rows_are_totalled():
    events = pd.DataFrame(
        {
            "site": ["B"] * 4 + ["A"] * 6,
            "month": [0, 0, 1, 2, 0, 1, 1, 2, 2, 2],
            "count": [1, 2, 4, 3, 5, None, 6, 1, 1, 1],
        }
    )
    result = spc_xmr(events, "count", "month", by=["site"])
    assert result[["site", "month"]].values.tolist() == [
        ["A", 0], ["A", 1], ["A", 2], ["B", 0], ["B", 1], ["B", 2],
    ]  # fmt: skip
    assert result["count"].tolist() == [5, 6, 3, 3, 4, 3]
    assert result["mean"].tolist() == pytest.approx([14 / 3] * 3 + [10 / 3] * 3)


def test_validation():
    with pytest.raises(ValueError, match="improvement_direction"):
        spc_xmr(series([1, 2, 3]), "count", "month", improvement_direction="up")
    with pytest.raises(KeyError, match="no column week"):
        spc_xmr(series([1, 2, 3]), "count", "week")
    with pytest.raises(ValueError, match="column count is missing in every row of 1"):
        spc_xmr(series([1, None, 3]), "count", "month")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(min_value=-1e3, max_value=1e3), min_size=3, max_size=40))
def test_limits_are_symmetric_about_the_mean(values):
    result = spc_xmr(series(values), "count", "month")
    mean, lower, upper = (result[c].to_numpy() for c in ("mean", "lpl", "upl"))
    assert np.allclose(upper - mean, mean - lower)
    assert (lower <= mean + 1e-9).all()
    assert (mean <= upper + 1e-9).all()
    assert (result["near_lpl"] >= lower - 1e-9).all()
    flagged = result["outside_limits"]
    assert (result.loc[flagged, "special_cause_type"].isin(["Above UCL", "Below LCL"])).all()


def _rules(values):
    # mean 0, process limits ∓3, 2-sigma lines ∓2
    y = np.array(values, dtype=float)
    ones = np.ones(len(y))
    return special_causes(y, 0 * ones, -3 * ones, 3 * ones, -2 * ones, 2 * ones)


def test_two_in_three_flags_only_the_points_beyond_two_sigma():
    cc, above = "Common Cause", "2 in 3 Above CL"
    # 2.5 and 2.5 in the window (2.5, 0.5, 2.5), all three above the mean
    assert _rules([-0.5, 0.5, 2.5, 0.5, 2.5, -0.5, 0.5]) == [cc, cc, above, cc, above, cc, cc]
    # the first 2.5 has no partner within three points; the last two do
    assert _rules([2.5, 0.5, 0.5, 2.5, 2.5]) == [cc, cc, cc, above, above]
    # a window straddling the mean does not count
    assert _rules([2.5, -0.5, 2.5]) == [cc, cc, cc]
    assert _rules([-2.5, -2.1, -1]) == ["2 in 3 Below CL", "2 in 3 Below CL", cc]
    assert _rules([-2.5, -2.1, 1]) == [cc, cc, cc]
