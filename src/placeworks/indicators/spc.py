"""XmR statistical process control charts as NHS England's "Making Data Count" reads them.

NHS England / NHS Improvement, *Making Data Count: getting started* (2019) and *Strengthening
your decisions* (2019), as the NHS-R Community's NHSRplotthedots package implements them. Per
group and per segment between rebase points (from the first ``fix_after_n_points`` values when
given):

    mean     = the mean of the values
    mR_t     = |x_t - x_(t-1)|, moving ranges over 3.267 × mean(mR) screened out, then
    mean mR  = the mean of the remaining moving ranges
    limits   = mean ± 2.66 × mean mR        (3 sigma: 2.66 = 3 / d2, d2 = 1.128)
    near     = mean ± (2/3) × 2.66 × mean mR (2 sigma)

Special cause variation, in order of precedence: a point outside the process limits; a trend of
``trend_points`` (7) points each higher (or lower) than the last; two of three consecutive
points on the same side of the mean beyond the 2-sigma line (the points beyond it flagged); a
shift of ``shift_points`` (7) consecutive points on one side of the mean. With an improvement
direction, special causes become improvement or concern; a neutral measure has high or low.
Against a ``target``, the last segment's limits give the assurance: a target outside the limits
is always met (``consistent_pass``) or always missed (``consistent_fail``); inside them it is
hit and miss (``inconsistent``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from placeworks.engine import Engine
from placeworks.indicators import options
from placeworks.indicators._frames import groups, none_for_missing
from placeworks.indicators.grouped import group_sums

LIMIT = 2.66
NEAR = 2 * LIMIT / 3
SCREEN = 3.267
DIRECTIONS = {"increase": 1, "decrease": -1, "neutral": 0}


def _runs(mask: np.ndarray, length: int) -> np.ndarray:
    """Points inside a window of ``length`` consecutive True values."""
    out = np.zeros(len(mask), dtype=bool)
    run = 0
    for i, flag in enumerate(mask):
        run = run + 1 if flag else 0
        if run >= length:
            out[i - length + 1 : i + 1] = True
    return out


def special_causes(
    y: np.ndarray,
    mean: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    near_lower: np.ndarray,
    near_upper: np.ndarray,
    *,
    shift_points: int = 7,
    trend_points: int = 7,
) -> list[str]:
    """The special cause type of each point of one segment (NHSRplotthedots' labels)."""
    side = np.sign(y - mean)
    outside = (y > upper) | (y < lower)
    close = ~outside & ((y < near_lower) | (y > near_upper))
    step = np.sign(np.diff(y))
    rising = _runs(np.concatenate([[False], step > 0]), trend_points - 1)
    falling = _runs(np.concatenate([[False], step < 0]), trend_points - 1)
    # a run of k rising steps covers the k + 1 points from the one before its first step
    rising = rising | np.concatenate([rising[1:], [False]])
    falling = falling | np.concatenate([falling[1:], [False]])
    two_of_three = np.zeros(len(y), dtype=bool)
    for start in range(len(y) - 2):
        window = slice(start, start + 3)
        if close[window].sum() >= 2 and abs(side[window].sum()) == 3:
            two_of_three[window] |= close[window]
    above = _runs(side > 0, shift_points)
    below = _runs(side < 0, shift_points)
    labels = []
    for i in range(len(y)):
        where = "Above" if side[i] > 0 else "Below"
        if outside[i]:
            labels.append("Above UCL" if side[i] > 0 else "Below LCL")
        elif rising[i] or falling[i]:
            up = rising[i] if rising[i] != falling[i] else y[i + 1] > y[i]
            labels.append(f"{trend_points} Point Trend ({'In' if up else 'De'}creasing)")
        elif two_of_three[i]:
            labels.append(f"2 in 3 {where} CL")
        elif above[i] or below[i]:
            labels.append(f"{shift_points} Points {where} CL")
        else:
            labels.append("Common Cause")
    return labels


def point_type(special_cause_type: str, improvement_direction: str) -> str:
    """special_cause_improvement / _concern (or _neutral_high / _low) / common_cause."""
    high = any(w in special_cause_type for w in ("Above", "Increasing"))
    low = any(w in special_cause_type for w in ("Below", "Decreasing"))
    sense = DIRECTIONS[improvement_direction]
    if not (high or low):
        return "common_cause"
    if sense == 0:
        return "special_cause_neutral_high" if high else "special_cause_neutral_low"
    return (
        "special_cause_improvement" if (1 if high else -1) * sense > 0 else "special_cause_concern"
    )


def assurance(
    target: float | None, lower: float, upper: float, improvement_direction: str
) -> str | None:
    """Whether the process will meet ``target``: consistent_pass, consistent_fail, inconsistent."""
    if target is None or improvement_direction == "neutral":
        return None
    increasing = improvement_direction == "increase"
    if target > upper:
        return "consistent_fail" if increasing else "consistent_pass"
    if target < lower:
        return "consistent_pass" if increasing else "consistent_fail"
    return "inconsistent"


def _segment(y: np.ndarray, fix_after_n_points: int | None, screen_outliers: bool) -> dict:
    base = y[:fix_after_n_points] if fix_after_n_points else y
    mean = base.mean()
    ranges = np.abs(np.diff(base))
    mean_range = ranges.mean() if len(ranges) else np.nan
    # with no variation at all (mean mR 0) nothing is screened, so the limits sit on the mean
    if screen_outliers and len(ranges) and mean_range > 0:
        kept = ranges[ranges < SCREEN * mean_range]
        mean_range = kept.mean() if len(kept) else np.nan
    return {
        "mean": mean,
        "lpl": mean - LIMIT * mean_range,
        "upl": mean + LIMIT * mean_range,
        "near_lpl": mean - NEAR * mean_range,
        "near_upl": mean + NEAR * mean_range,
    }


def spc_xmr(
    frame: pd.DataFrame,
    value: str,
    x: str,
    *,
    by: Sequence[str] = (),
    improvement_direction: str = "increase",
    target: float | None = None,
    rebase: Sequence[object] = (),
    fix_after_n_points: int | None = None,
    screen_outliers: bool = True,
    shift_points: int = 7,
    trend_points: int = 7,
    engine: Engine | None = None,
) -> pd.DataFrame:
    """An XmR chart of ``value`` over ``x`` (a date or period), per group of ``by``.

    Rows of the same group and ``x`` are totalled on ``engine`` first (so events can be given
    one per row); a period whose values are all missing is an error. ``rebase`` lists the
    ``x`` values where the limits are recalculated (a new segment starts). Returns one row per
    group and ``x``, sorted, with ``rebase_group``, ``mean``, ``lpl``, ``upl`` (the process
    limits), ``near_lpl``, ``near_upl`` (2 sigma), ``moving_range``, ``relative_to_mean``,
    ``outside_limits``, ``close_to_limits``, ``special_cause_type`` (e.g. "Above UCL",
    "7 Point Trend (Increasing)", "2 in 3 Below CL", "7 Points Above CL", "Common Cause"),
    ``special_cause_flag``, ``point_type`` and, per group, ``target`` and ``assurance_type``.
    """
    if improvement_direction not in DIRECTIONS:
        raise ValueError('improvement_direction must be "increase", "decrease" or "neutral"')
    if fix_after_n_points is not None and fix_after_n_points < 2:
        raise ValueError("fix_after_n_points must be 2 or more")
    if shift_points < 2 or trend_points < 3:
        raise ValueError("shift_points must be 2 or more and trend_points 3 or more")
    by = list(by)
    options.require_columns(frame, value, x, *by)
    options.require_numeric(frame, value)
    if frame[x].isna().any():
        raise ValueError(f"column {x} must not be missing (row {frame.index[frame[x].isna()][0]})")
    sums = group_sums(
        frame[[*by, x, value]], [*by, x], {value: value}, engine=engine, count_missing=[value]
    )
    empty = sums[sums[f"{value}_missing"] == sums["rows"]]
    if len(empty):
        where = ", ".join(str(v) for v in empty[[*by, x]].iloc[0])
        raise ValueError(f"column {value} is missing in every row of {where}")
    starts = set(rebase)
    if target is not None and not np.isfinite(target):
        raise ValueError("target must be a finite number")
    pieces = []
    for _, table in groups(sums, by):
        table = table.sort_values(x).reset_index(drop=True)
        y = table[value].to_numpy(dtype=float)
        segment = np.cumsum([i > 0 and v in starts for i, v in enumerate(table[x])])
        table["rebase_group"] = segment
        stats = pd.DataFrame(
            index=table.index, columns=["mean", "lpl", "upl", "near_lpl", "near_upl"], dtype=float
        )
        labels: list[str] = []
        moving = np.full(len(y), np.nan)
        for group in np.unique(segment):
            where = np.flatnonzero(segment == group)
            limits = _segment(y[where], fix_after_n_points, screen_outliers)
            for name, number in limits.items():
                stats.loc[where, name] = number
            moving[where[1:]] = np.abs(np.diff(y[where]))
            labels += special_causes(
                y[where],
                *(stats.loc[where, c].to_numpy() for c in stats.columns),
                shift_points=shift_points,
                trend_points=trend_points,
            )
        table = pd.concat([table, stats], axis=1)
        table["moving_range"] = moving
        side = np.sign(y - table["mean"].to_numpy())
        table["relative_to_mean"] = side.astype(int)
        table["outside_limits"] = (y > table["upl"]) | (y < table["lpl"])
        table["close_to_limits"] = ~table["outside_limits"] & (
            (y < table["near_lpl"]) | (y > table["near_upl"])
        )
        table["special_cause_type"] = labels
        table["special_cause_flag"] = table["special_cause_type"] != "Common Cause"
        table["point_type"] = [point_type(t, improvement_direction) for t in labels]
        table["improvement_direction"] = improvement_direction
        table["target"] = np.nan if target is None else float(target)
        last = table.iloc[-1]
        table["assurance_type"] = assurance(target, last["lpl"], last["upl"], improvement_direction)
        pieces.append(table)
    result = pd.concat(pieces, ignore_index=True)
    result["assurance_type"] = none_for_missing(result["assurance_type"])
    return result.drop(columns=[f"{value}_missing", "rows"])
