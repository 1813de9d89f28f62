"""Funnel plot control limits and the significance of each point (PHEindicatormethods
``calculate_funnel_limits`` and ``assign_funnel_significance``).

A funnel plot shows each unit's value against its size with control limits around the
average of all units: 2 sigma (95%) and 3 sigma (99.8%). Proportions use the limits
``p ∓ z √(p(1 - p)/n)`` that Wilson's score interval implies; ratios of observed to expected
counts and rates use exact Poisson limits of the count (OHID Fingertips technical guidance,
*Funnel plots*; Spiegelhalter DJ. Funnel plots for comparing institutional performance. Stat
Med 2005;24:1185-1202).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from placeworks.engine import Engine
from placeworks.indicators import limits, options
from placeworks.indicators.grouped import group_sums

STATISTICS = ("proportion", "ratio", "rate")
RATIO_TYPES = ("count", "isr")
RATE_TYPES = ("dsr", "crude")
#: One-sided tail probabilities of the 2 sigma (95%) and 3 sigma (99.8%) limits.
TWO_SIGMA, THREE_SIGMA = 0.025, 0.001
POINTS = 100
SIGNIFICANCE = (
    "High (0.001)",
    "High (0.025)",
    "Low (0.001)",
    "Low (0.025)",
    "Not significant",
    "Not applicable for events less than 10 for dsrs",
)
_DENOMINATOR = "__denominator"


def _check(
    frame: pd.DataFrame,
    numerator: str,
    denominator: str | None,
    rate: str | None,
    statistic: str,
    by: list[str],
    ratio_type: str | None,
    rate_type: str | None,
    multiplier: float | None,
) -> None:
    if statistic not in STATISTICS:
        raise ValueError(f"statistic must be one of {', '.join(STATISTICS)}, not {statistic!r}")
    options.check_columns(frame, numerator=numerator, denominator=denominator, rate=rate)
    options.check_values(frame, numerator, "numerator", by, missing=False)
    if denominator is not None:
        options.check_values(frame, denominator, "denominator", by, strict=True, missing=False)
    if statistic in ("proportion", "ratio") and denominator is None:
        raise ValueError(f"a {statistic} funnel needs the denominator column")
    if statistic == "proportion":
        options.check_not_above(frame, numerator, denominator, "numerator", by)  # type: ignore[arg-type]
    if statistic == "ratio" and ratio_type is not None and ratio_type not in RATIO_TYPES:
        raise ValueError(f"ratio_type must be one of {', '.join(RATIO_TYPES)}")
    if statistic in ("proportion", "rate"):
        if multiplier is None:
            raise ValueError(f"a {statistic} funnel needs the multiplier")
        options.check_multiplier(multiplier)
    if statistic == "rate":
        if rate is None:
            raise ValueError("a rate funnel needs the rate column")
        if rate_type not in RATE_TYPES:
            raise ValueError(f"rate_type must be one of {', '.join(RATE_TYPES)}")
        if denominator is None and (frame[numerator] == 0).any():
            raise ValueError(
                "a rate funnel with units of no events needs the denominator column for them"
            )
        if denominator is None or rate_type == "dsr":
            options.check_values(frame, rate, "rate", by, missing=False)


def _rows(frame, numerator, denominator, rate, statistic, rate_type, multiplier, by, zero):
    """The grouping columns, the numerator as floats and the (derived) denominator."""
    data = frame[list(dict.fromkeys([*by, numerator]))].copy()
    data[numerator] = data[numerator].astype("float64")
    data[_DENOMINATOR] = _derived_denominator(
        frame,
        numerator,
        denominator,
        rate,
        statistic,
        rate_type,
        multiplier,
        zero_events_use_denominator=zero,
    )
    return data


def _derived_denominator(
    frame: pd.DataFrame,
    numerator: str,
    denominator: str | None,
    rate: str | None,
    statistic: str,
    rate_type: str | None,
    multiplier: float | None,
    *,
    zero_events_use_denominator: bool,
) -> pd.Series:
    """Each unit's denominator: given, or for a rate ``multiplier × events / rate``."""
    if statistic != "rate":
        return frame[denominator].astype("float64")  # type: ignore[index]
    events = frame[numerator].astype("float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        derived = multiplier * events / frame[rate].astype("float64")  # type: ignore[operator,index]
    if rate_type == "dsr":
        return derived.where(events != 0)
    if denominator is None:
        return derived
    if zero_events_use_denominator:
        return derived.where(events != 0, frame[denominator].astype("float64"))
    return frame[denominator].astype("float64")


def _averages(
    data: pd.DataFrame, numerator: str, by: list[str], engine: Engine | None
) -> pd.DataFrame:
    sums = group_sums(data, by, {"events": numerator, "size": _DENOMINATOR}, engine=engine)
    sums["average"] = sums["events"].astype("float64") / sums["size"].astype("float64")
    return sums


def _floor_neatly(value: float) -> float:
    """Round down to the leading digit of 95% of ``value`` (the axis start)."""
    if value == 0:
        return 0.0
    shrunk = value * 0.95
    power = len(str(math.floor(shrunk))) - 1
    return math.floor(shrunk / 10**power) * 10**power


def _ceil_neatly(value: float) -> float:
    """Round up to two leading digits of 105% of ``value`` (the axis end)."""
    if value == 0:
        return 0.0
    grown = value * 1.05
    power = len(str(math.ceil(grown))) - 2
    return math.ceil(grown / 10.0**power) * 10.0**power


def _axis(
    smallest: float, largest: float, average: float, statistic: str, years: float | None
) -> list[int]:
    """The 100 sizes (populations, observed or expected events) the limits are drawn at,
    spaced geometrically from about the smallest unit to beyond the largest."""
    per_year = years if statistic == "rate" else 1
    wide = largest > 2 * smallest
    start = 0.0 if wide else _floor_neatly(smallest / per_year) * per_year  # type: ignore[operator]
    end = _ceil_neatly(largest / per_year) * per_year  # type: ignore[operator]
    if statistic == "rate":
        start, end = math.floor(start * average), math.ceil(end * average)
    sizes = [max(1, start)]
    for j in range(2, POINTS + 1):
        step = j - 1 if statistic == "ratio" else j
        previous = sizes[-1]
        sizes.append(max(round((end / previous) ** (1 / (101 - step)) * previous), previous + 1))
    return [int(size) for size in sizes]


def calculate_funnel_limits(
    frame: pd.DataFrame,
    numerator: str,
    denominator: str | None = None,
    *,
    statistic: str,
    rate: str | None = None,
    by: Sequence[str] | str = (),
    type: str = "full",
    multiplier: float | None = None,
    ratio_type: str | None = None,
    rate_type: str | None = None,
    years_of_data: float | None = None,
    engine: Engine | None = None,
) -> pd.DataFrame:
    """The funnel's control limits at 100 sizes, for each group of ``by`` (one funnel each).

    The average is the units' total numerator over their total denominator (summed on the
    engine). ``statistic``:

    - ``"proportion"``: sizes are populations (``Population``); the limits are
      ``p ∓ z √(p(1 - p)/n)`` times ``multiplier``, kept within 0 and ``multiplier``.
    - ``"ratio"`` (observed over expected events, ``ratio_type`` ``"count"`` or ``"isr"``):
      sizes are observed events (``Observed_events``); the limit is the observed count over the
      expected count at which it sits in the 2.5% (0.1%) Poisson tail, minus 1 for ``count`` or
      times 100 for ``isr``.
    - ``"rate"`` (``rate_type`` ``"dsr"`` or ``"crude"``, the ``rate`` column per
      ``multiplier``, over ``years_of_data`` years): each unit's denominator is
      ``multiplier × events / rate`` (or the ``denominator`` column for a crude rate); sizes
      are events (``Events``), with the one-year populations at each limit.

    Columns: the grouping columns, the size column, ``lower_2s_limit``, ``upper_2s_limit``,
    ``lower_3s_limit``, ``upper_3s_limit``, ``baseline`` (proportions and rates; the expected
    counts or yearly populations at each limit for ratios and rates) and, for ``type="full"``,
    ``statistic``.
    """
    by = options.check_by(frame, by)
    options.check_type(type, options.FULL_OR_STANDARD)
    _check(frame, numerator, denominator, rate, statistic, by, ratio_type, rate_type, multiplier)
    if statistic == "ratio" and ratio_type is None:
        raise ValueError("a ratio funnel needs ratio_type: count or isr")
    if statistic == "rate" and (years_of_data is None or years_of_data <= 0):
        raise ValueError("a rate funnel needs years_of_data, a positive number")
    data = _rows(frame, numerator, denominator, rate, statistic, rate_type, multiplier, by, False)
    sums = _averages(data, numerator, by, engine)
    spread = (
        data.groupby(by, dropna=False, sort=True)[_DENOMINATOR].agg(["min", "max"]).reset_index()
        if by
        else pd.DataFrame({"min": [data[_DENOMINATOR].min()], "max": [data[_DENOMINATOR].max()]})
    )
    sums = sums.merge(spread, on=by) if by else pd.concat([sums, spread], axis=1)

    funnels = []
    for _, group in sums.iterrows():
        table = _funnel(
            float(group["average"]),
            float(group["min"]),
            float(group["max"]),
            statistic,
            multiplier,
            ratio_type,
            years_of_data,
        )
        for position, name in enumerate(by):
            table.insert(position, name, group[name])
        funnels.append(table)
    result = pd.concat(funnels, ignore_index=True)
    if type == "full":
        if statistic == "ratio":
            result["statistic"] = f"ratio ({ratio_type})"
        elif statistic == "rate":
            result["statistic"] = f"rate ({rate_type} per {multiplier:,.0f})"
        else:
            result["statistic"] = "proportion"
    return result


def _funnel(
    average: float,
    smallest: float,
    largest: float,
    statistic: str,
    multiplier: float | None,
    ratio_type: str | None,
    years: float | None,
) -> pd.DataFrame:
    sizes = np.array(_axis(smallest, largest, average, statistic, years), dtype="float64")
    if statistic == "proportion":
        table = pd.DataFrame({"Population": sizes.astype("int64")})
        for name, tail in (("2s", TWO_SIGMA), ("3s", THREE_SIGMA)):
            lower, upper = limits.proportion_control_limits(average, sizes, 1 - tail)
            table[f"lower_{name}_limit"] = np.clip(lower * multiplier, 0, multiplier)
            table[f"upper_{name}_limit"] = np.clip(upper * multiplier, 0, multiplier)
        table["baseline"] = average * multiplier  # type: ignore[operator]
        return table
    column = "Observed_events" if statistic == "ratio" else "Events"
    table = pd.DataFrame({column: sizes.astype("int64")})
    for name, tail in (("2s", TWO_SIGMA), ("3s", THREE_SIGMA)):
        # The lower limit is where the count is high for its expectation, and so on.
        for side, bound in (("lower", "high"), ("upper", "low")):
            expected = limits.poisson_expected_for_tail(sizes, tail, bound)
            with np.errstate(divide="ignore"):
                ratio = sizes / expected
            if statistic == "ratio":
                table[f"{side}_{name}_exp_events"] = expected
                table[f"{side}_{name}_limit"] = ratio - 1 if ratio_type == "count" else ratio * 100
            else:
                population = expected / average
                table[f"{side}_{name}_population_1_year"] = population / years  # type: ignore[operator]
                table[f"{side}_{name}_limit"] = sizes / population * multiplier  # type: ignore[operator]
    if statistic == "rate":
        table["baseline"] = average * multiplier  # type: ignore[operator]
    return table


def assign_funnel_significance(
    frame: pd.DataFrame,
    numerator: str,
    denominator: str | None = None,
    *,
    statistic: str,
    rate: str | None = None,
    by: Sequence[str] | str = (),
    rate_type: str | None = None,
    multiplier: float | None = None,
    engine: Engine | None = None,
) -> pd.DataFrame:
    """``frame`` with ``significance``: where each unit falls against its group's funnel.

    ``"High (0.001)"`` / ``"Low (0.001)"``: outside the 3 sigma (99.8%) limits, above or below;
    ``"High (0.025)"`` / ``"Low (0.025)"``: outside the 2 sigma (95%) limits only;
    ``"Not significant"``: within them. A proportion is compared with the control limits at
    its denominator; a ratio's 95% and 99.8% Poisson limits (exact below 10 events, Byar's
    from 10) over its expected count are compared with 1; a rate's with the group's average
    rate. A directly standardised rate of fewer than 10 events is ``"Not applicable for events
    less than 10 for dsrs"``. The averages are summed per group of ``by`` on the engine.
    """
    by = options.check_by(frame, by)
    multiplier = 1 if statistic == "proportion" and multiplier is None else multiplier
    _check(frame, numerator, denominator, rate, statistic, by, None, rate_type, multiplier)
    data = _rows(frame, numerator, denominator, rate, statistic, rate_type, multiplier, by, True)
    if by:
        sums = _averages(data, numerator, by, engine)
        average = data[by].merge(sums[[*by, "average"]], on=by, how="left")["average"]
        average = average.to_numpy()
    else:
        average = np.full(len(data), _averages(data, numerator, by, engine)["average"].iloc[0])
    events = data[numerator].to_numpy()
    size = data[_DENOMINATOR].to_numpy()
    labels = np.full(len(data), "Not significant", dtype=object)
    if statistic == "proportion":
        value = events / size
        outer = limits.proportion_control_limits(average, size, 1 - THREE_SIGMA)
        inner = limits.proportion_control_limits(average, size, 1 - TWO_SIGMA)
        checks = [
            (value < outer[0], "Low (0.001)"),
            (value < inner[0], "Low (0.025)"),
            (value > outer[1], "High (0.001)"),
            (value > inner[1], "High (0.025)"),
        ]
    else:
        target = np.ones(len(data)) if statistic == "ratio" else average
        with np.errstate(invalid="ignore", divide="ignore"):
            outer = [limit / size for limit in limits.poisson(events, 1 - 2 * THREE_SIGMA)]
            inner = [limit / size for limit in limits.poisson(events, 1 - 2 * TWO_SIGMA)]
        checks = [
            (outer[0] > target, "High (0.001)"),
            (inner[0] > target, "High (0.025)"),
            (outer[1] < target, "Low (0.001)"),
            (inner[1] < target, "Low (0.025)"),
        ]
    for mask, label in reversed(checks):
        labels[np.nan_to_num(mask, nan=0).astype(bool)] = label
    if statistic == "rate" and rate_type == "dsr":
        labels[events < limits.SMALL_COUNT] = SIGNIFICANCE[-1]
    result = frame.copy()
    result["significance"] = pd.Categorical(labels, categories=list(SIGNIFICANCE))
    return result
