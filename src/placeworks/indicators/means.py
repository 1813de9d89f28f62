"""Means with Student's t confidence limits (PHEindicatormethods ``phe_mean``)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from placeworks.engine import Engine
from placeworks.indicators import limits, options
from placeworks.indicators._frames import add_limits
from placeworks.indicators.grouped import group_sums

_MEAN = "__group_mean"


def phe_mean(
    frame: pd.DataFrame,
    x: str,
    *,
    by: Sequence[str] | str = (),
    type: str = "full",
    confidence: float | Sequence[float] = 0.95,
    engine: Engine | None = None,
) -> pd.DataFrame:
    """The mean of the row values ``x`` in each group of ``by``, with Student's t limits.

    A group with a missing value gets a missing sum, mean, deviation and limits, as R's ``sum``
    and ``sd`` give; ``value_count`` counts its rows. The sums run on the engine in two passes,
    the second summing squared deviations from each group's mean so the standard deviation
    keeps its precision.
    ``mean ∓ t(1 - (1 - c)/2; n - 1) · s / √n``; a group of one value has no limits. Columns:
    the grouping columns, ``value_sum``, ``value_count``, ``stdev``, ``value``, the limits,
    ``confidence``, ``statistic`` (``"mean"``) and ``method`` (``"Student's t-distribution"``).

    OHID *Technical Guide: Confidence intervals* (means); Student (1908).
    """
    by = options.check_by(frame, by)
    options.check_columns(frame, x=x)
    options.check_type(type)
    levels = options.confidence_levels(confidence)
    options.check_values(frame, x, "value", by, minimum=-np.inf)

    data = frame[[*by, x]].copy()
    data[x] = data[x].astype("float64")
    first = group_sums(data, by, {"value_sum": x}, engine=engine, count_missing=[x])
    complete = (first[f"{x}_missing"] == 0).to_numpy()
    first["value_sum"] = first["value_sum"].astype("float64").where(complete)
    first["value_count"] = first["rows"].astype("int64")
    first = first.drop(columns=[f"{x}_missing", "rows"])
    with np.errstate(invalid="ignore", divide="ignore"):
        first["value"] = first["value_sum"] / first["value_count"]
    if by:
        data = data.merge(first[[*by, "value"]].rename(columns={"value": _MEAN}), on=by)
    else:
        data[_MEAN] = first["value"].iloc[0]
    second = group_sums(data, by, {"squares": lambda t: (t[x] - t[_MEAN]) ** 2}, engine=engine)
    squares = second["squares"].astype("float64").to_numpy()
    result = first
    count = result["value_count"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        stdev = np.sqrt(squares / (count - 1))
    stdev[(count < 2) | ~complete] = np.nan
    result.insert(len(by) + 2, "stdev", stdev)
    add_limits(
        result,
        levels,
        lambda level: limits.student_t(result["value"], stdev, count, level),
    )
    result["confidence"] = options.confidence_label(levels)
    result["statistic"] = "mean"
    result["method"] = "Student's t-distribution"
    return options.select(result, by, levels, type)
