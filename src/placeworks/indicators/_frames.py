"""Shared steps of the methods: totals per group from the engine, limits as columns, groups."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np
import pandas as pd

from placeworks.engine import Engine
from placeworks.indicators.grouped import group_sums
from placeworks.indicators.options import Level


def totals(
    frame: pd.DataFrame,
    by: Sequence[str],
    columns: Sequence[str],
    *,
    engine: Engine | None,
    missing_makes_missing: bool,
) -> pd.DataFrame:
    """One row per group with the float sum of each of ``columns``.

    With ``missing_makes_missing`` a group with any missing value in a column gets a missing
    total for it (R's ``sum`` without ``na.rm``); otherwise missing values are skipped and a
    group with none present totals 0.
    """
    sums = group_sums(
        frame[[*by, *dict.fromkeys(columns)]],
        by,
        {column: column for column in columns},
        engine=engine,
        count_missing=columns,
    )
    for column in columns:
        total = sums[column].astype("float64")
        if missing_makes_missing:
            total = total.where(sums[f"{column}_missing"] == 0)
        else:
            total = total.fillna(0.0)
        sums[column] = total
    return sums.drop(columns=[*(f"{c}_missing" for c in columns), "rows"])


def add_limits(
    result: pd.DataFrame,
    levels: Sequence[Level],
    limits: Callable[[float], tuple[np.ndarray, np.ndarray]],
) -> pd.DataFrame:
    """Add each level's lower and upper limit columns, computed by ``limits(confidence)``."""
    for level in levels:
        lower, upper = limits(level.confidence)
        result[level.lower] = lower
        result[level.upper] = upper
    return result


def groups(frame: pd.DataFrame, by: Sequence[str]) -> Iterable[tuple[tuple, pd.DataFrame]]:
    """``(key, rows)`` for each group of ``by`` in sorted order (the whole frame without ``by``)."""
    if not by:
        return [((), frame)]
    return frame.groupby(list(by), sort=True, dropna=False)


def none_for_missing(values: pd.Series) -> pd.Series:
    """``values`` as objects with ``None`` where one is missing (a text column such as a reason)."""
    return values.astype(object).where(values.notna(), None)
