"""Small areas assigned to quantiles (e.g. deprivation deciles) the way OHID assigns them.

The rule of PHE's technical guide "Assigning deprivation categories" and of PHEindicatormethods'
``phe_quantile``: within each group, with n the number of non-missing values and r a value's
rank (ties take the lowest rank; with ``invert`` the ranks run from the highest value),

    quantile = floor((nquantiles + 1) - ceiling(((n + 1) - r) / (n / nquantiles)))

with 0 raised to 1. Missing values get no quantile. Areas tied on a boundary all land in the
same quantile, so quantiles can hold unequal numbers of areas (the guide advises reviewing
such ties by hand). A group with fewer values than quantiles still gets quantiles, spread over
the range 1..nquantiles with gaps, as the package does.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from placeworks.engine import Engine
from placeworks.indicators import options
from placeworks.indicators._frames import groups
from placeworks.indicators.grouped import group_sums

LOWEST_HIGH = "lowest quantile represents highest values"
LOWEST_LOW = "lowest quantile represents lowest values"


def assign_quantiles(
    values: Sequence[float], nquantiles: int, invert: bool, n: int | None = None
) -> np.ndarray:
    """The quantile of each value (NaN for a missing value) within one group of ``n`` values."""
    series = pd.Series(values, dtype=float)
    n = int(series.notna().sum()) if n is None else int(n)
    ranks = (-series if invert else series).rank(method="min").to_numpy()
    out = np.full(len(series), np.nan)
    for i, rank in enumerate(ranks):
        if not math.isnan(rank):
            q = math.floor((nquantiles + 1) - math.ceil(((n + 1) - rank) / (n / nquantiles)))
            out[i] = max(q, 1)
    return out


def phe_quantile(
    frame: pd.DataFrame,
    values: str,
    *,
    by: Sequence[str] = (),
    nquantiles: int = 10,
    invert: bool | str = True,
    type: str = "full",
    engine: Engine | None = None,
) -> pd.DataFrame:
    """``frame`` with each row's ``quantile`` of ``values`` within its group of ``by``.

    ``invert=True`` (the default) puts the highest values in quantile 1; ``invert`` may also
    name a column of booleans, constant within each group. ``by`` plays the part of the
    package's ``highergeog`` (and of a grouped data frame). For ``type="full"`` the result also
    has ``nquantiles``, ``groupvars`` (the grouping columns, comma separated) and
    ``qinverted``. Rows are sorted by ``by`` and keep their order within a group; the numbers of
    values per group are counted on ``engine``.
    """
    options.check_type(type, options.FULL_OR_STANDARD)
    if isinstance(nquantiles, bool) or not isinstance(nquantiles, int) or nquantiles < 1:
        raise ValueError("nquantiles must be a positive whole number")
    by = list(by)
    options.require_columns(frame, values, *by, *([invert] if isinstance(invert, str) else []))
    options.require_numeric(frame, values)
    data = frame.copy()
    if isinstance(invert, str):
        if not data[invert].dropna().isin([True, False]).all() or data[invert].isna().any():
            raise ValueError(f"column {invert} must hold True or False in every row")
        flags = data[invert].astype(bool)
    elif isinstance(invert, bool | np.bool_):
        flags = pd.Series(bool(invert), index=data.index)
    else:
        raise ValueError("invert must be True, False or the name of a column")

    counts = group_sums(data[[*by, values]], by, {}, engine=engine, count_missing=[values])
    counts["n"] = counts["rows"] - counts[f"{values}_missing"]
    sizes = {tuple(row[:-1]): row[-1] for row in counts[[*by, "n"]].itertuples(index=False)}

    data["quantile"] = np.nan
    data["_invert"] = flags
    for key, group in groups(data, by):
        index = group.index
        group_flags = group["_invert"].unique()
        if len(group_flags) > 1:
            name = ", ".join(str(k) for k in key)
            raise ValueError(f"column {invert} must take one value in group {name}")
        data.loc[index, "quantile"] = assign_quantiles(
            data.loc[index, values].to_numpy(dtype=float),
            nquantiles,
            bool(group_flags[0]),
            sizes[key],
        )
    data["quantile"] = data["quantile"].astype("Int64")
    if type == "full":
        data["nquantiles"] = nquantiles
        data["groupvars"] = ", ".join(by)
        data["qinverted"] = np.where(data["_invert"], LOWEST_HIGH, LOWEST_LOW)
    data = data.drop(columns="_invert")
    if by:
        data = data.sort_values(by, kind="stable")
    return data.reset_index(drop=True)
