"""Crude rates with exact Poisson or Byar's confidence limits (PHEindicatormethods
``phe_rate``)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from placeworks.engine import Engine
from placeworks.indicators import limits, options
from placeworks.indicators._frames import add_limits, totals


def phe_rate(
    frame: pd.DataFrame,
    x: str,
    n: str,
    *,
    by: Sequence[str] | str = (),
    type: str = "full",
    confidence: float | Sequence[float] = 0.95,
    multiplier: float = 100_000,
    engine: Engine | None = None,
) -> pd.DataFrame:
    """The rate ``x / n × multiplier`` of each group of ``by``, with Poisson limits.

    Events ``x`` and denominators ``n`` are summed per group on the engine (a group with a
    missing value gets a missing rate). Below 10 events the limits are exact,
    ``χ²((1 - c)/2; 2x) / 2n`` and ``χ²(1 - (1 - c)/2; 2x + 2) / 2n`` (method ``"Exact"``);
    from 10 events Byar's approximation (method ``"Byars"``). Columns: the grouping columns,
    ``x``, ``n``, ``value``, the limits, ``confidence``, ``statistic`` (``"rate per 100000"``) and
    ``method``.

    Breslow NE, Day NE (1987) for Byar's method; Armitage P, Berry G, Matthews JNS (2002) for
    the exact method; OHID *Technical Guide: Confidence intervals*.
    """
    by = options.check_by(frame, by)
    options.check_columns(frame, x=x, n=n)
    options.check_type(type)
    options.check_multiplier(multiplier)
    levels = options.confidence_levels(confidence)
    options.check_values(frame, x, "numerator", by)
    options.check_values(frame, n, "denominator", by, strict=True)

    result = totals(frame, by, [x, n], engine=engine, missing_makes_missing=True)
    events, population = result[x].to_numpy(), result[n].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        result["value"] = events / population * multiplier

        def rate_limits(level: float) -> tuple[np.ndarray, np.ndarray]:
            lower, upper = limits.poisson(events, level)
            return lower / population * multiplier, upper / population * multiplier

        add_limits(result, levels, rate_limits)
    result["confidence"] = options.confidence_label(levels)
    result["statistic"] = f"rate per {options.number_label(multiplier)}"
    result["method"] = limits.poisson_method(events)
    return options.select(result, by, levels, type)
