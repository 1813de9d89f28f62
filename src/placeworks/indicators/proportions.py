"""Proportions with Wilson score confidence limits (PHEindicatormethods ``phe_proportion``)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from placeworks.engine import Engine
from placeworks.indicators import limits, options
from placeworks.indicators._frames import add_limits, totals


def phe_proportion(
    frame: pd.DataFrame,
    x: str,
    n: str,
    *,
    by: Sequence[str] | str = (),
    type: str = "full",
    confidence: float | Sequence[float] = 0.95,
    multiplier: float = 1,
    engine: Engine | None = None,
) -> pd.DataFrame:
    """The proportion ``x / n`` of each group of ``by``, with Wilson score limits.

    ``x`` and ``n`` are summed per group on the engine (a group with a missing ``x`` or ``n``
    gets a missing proportion, as R's ``sum`` gives); the proportion and limits are then
    multiplied by ``multiplier`` (100 for a percentage). Columns: the grouping columns, ``x``,
    ``n``, ``value``, the limits (``lowercl``/``uppercl``, or both levels' columns),
    ``confidence``, ``statistic`` (``"proportion of 1"`` or ``"percentage"``) and ``method``
    (``"Wilson"``).

    Wilson score limits (Wilson 1927; Newcombe and Altman 2000), see
    :func:`placeworks.indicators.limits.wilson`; OHID *Technical Guide: Confidence intervals*.
    """
    by = options.check_by(frame, by)
    options.check_columns(frame, x=x, n=n)
    options.check_type(type)
    options.check_multiplier(multiplier)
    levels = options.confidence_levels(confidence)
    options.check_values(frame, x, "numerator", by)
    options.check_values(frame, n, "denominator", by, strict=True)
    options.check_not_above(frame, x, n, "numerator", by)

    result = totals(frame, by, [x, n], engine=engine, missing_makes_missing=True)
    counts, sizes = result[x].to_numpy(), result[n].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        result["value"] = counts / sizes * multiplier
    add_limits(
        result,
        levels,
        lambda level: tuple(  # type: ignore[return-value]
            limit * multiplier for limit in limits.wilson(counts, sizes, level)
        ),
    )
    result["confidence"] = options.confidence_label(levels)
    result["statistic"] = (
        "percentage" if multiplier == 100 else f"proportion of {options.number_label(multiplier)}"
    )
    result["method"] = "Wilson"
    return options.select(result, by, levels, type)
