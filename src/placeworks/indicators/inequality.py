"""Slope and relative index of inequality across quantiles, as OHID computes them.

Low A and Low A, "Measuring the gap: quantifying and comparing local health inequalities",
J Public Health 2004;26:388-395, and OHID's technical guide "Calculating the slope index of
inequality", as PHEindicatormethods' ``phe_sii`` implements them. For quantiles 1..k ordered
from most to least deprived, with population shares a_i and values y_i:

    b_i = a_1 + ... + a_(i-1) + a_i / 2          (the midpoint of the quantile's population)
    y_i √a_i = β0 √a_i + β1 b_i √a_i + ε_i       (least squares, no constant term)

SII = β1 (the fitted gap between b = 1 and b = 0), times ``multiplier``; the intercept is β0
and RII = (β0 + β1) / β0 (its inverse when the multiplier is negative).

Confidence limits come by simulation: each quantile's value is drawn ``repetitions`` times from
a normal distribution around it with its standard error (on the log scale for rates,
``value_type=1``, and the logit scale for proportions, ``value_type=2``, then transformed back);
the regression is refitted to every draw and the limits are the order statistics at positions
round(R (1 - c) / 2) and round(R (1 + c) / 2) of the sorted results. The standard error is
given, or comes from the 95% limits as (upper - lower) / (2 × 1.959964) on the transformed
scale. The draws need an explicit ``seed`` (an int or a ``numpy.random.Generator``), so a run can
be repeated exactly; the limits agree with R's only in distribution, not draw for draw.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from placeworks.engine import Engine
from placeworks.indicators import options
from placeworks.indicators._frames import groups, none_for_missing
from placeworks.indicators.grouped import group_sums
from placeworks.indicators.limits import z_value

INDICATOR_TYPES = {0: "normal", 1: "rate", 2: "proportion"}
INCOMPLETE = "not every quantile has data"


def _to_scale(values: np.ndarray, value_type: int) -> np.ndarray:
    if value_type == 1:
        return np.log(values)
    if value_type == 2:
        return np.log(values / (1 - values))
    return values


def _from_scale(values: np.ndarray, value_type: int) -> np.ndarray:
    if value_type == 1:
        return np.exp(values)
    if value_type == 2:
        return 1 / (1 + np.exp(-values))
    return values


def midpoints(population: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """Each quantile's share a_i of the population and the midpoint b_i of its range."""
    pop = np.asarray(population, dtype=float)
    share = pop / pop.sum()
    return share, np.cumsum(share) - share / 2


def fit(population: Sequence[float], values: np.ndarray) -> np.ndarray:
    """(β0, β1) of the weighted regression, for one set of values or one set per column."""
    share, mid = midpoints(population)
    root = np.sqrt(share)
    design = np.column_stack([root, mid * root])
    solve = np.linalg.solve(design.T @ design, design.T)
    values = np.asarray(values, dtype=float)
    weighted = values.T * root[:, None] if values.ndim > 1 else values * root
    return solve @ weighted


def _positions(repetitions: int, level: float) -> tuple[int, int]:
    upper = level + (1 - level) / 2
    return round(repetitions * (1 - upper)) - 1, round(repetitions * upper) - 1


def phe_sii(
    frame: pd.DataFrame,
    quantile: str,
    population: str,
    *,
    seed: int | np.random.Generator,
    by: Sequence[str] = (),
    x: str | None = None,
    value: str | None = None,
    value_type: int = 0,
    lower_cl: str | None = None,
    upper_cl: str | None = None,
    se: str | None = None,
    multiplier: float = 1,
    repetitions: int = 100_000,
    confidence: float | Sequence[float] = 0.95,
    rii: bool = False,
    intercept: bool = False,
    reliability_stat: bool = False,
    type: str = "full",
    engine: Engine | None = None,
) -> pd.DataFrame:
    """The SII (and optionally RII and intercept) with simulated limits, per group of ``by``.

    One row per group and quantile: ``population``, and either ``value`` or (for proportions)
    the count ``x``, with ``se`` or the 95% ``lower_cl`` and ``upper_cl``. Rows of the same
    group and quantile are totalled on ``engine`` (only counts and populations may be split over
    several rows). Returns one row per group, sorted, with ``sii``, ``sii_lower95_0cl``,
    ``sii_upper95_0cl`` (one pair per level), the same for ``rii`` when asked, ``sii_mad95_0``
    (and ``rii_mad95_0``) with ``reliability_stat``, ``intercept`` when asked, and for
    ``type="full"`` ``indicator_type``, ``multiplier``, ``transform``, ``CI_confidence`` and
    ``CI_method``. A group lacking a quantile that others have gets missing results and a
    ``reason``.
    """
    options.check_type(type, options.FULL_OR_STANDARD)
    if value is None and x is None:
        raise ValueError("phe_sii needs a value column, or x for a proportion")
    if value is None and value_type != 2:
        raise ValueError("x without value is only for proportions (value_type=2)")
    if se is None and (lower_cl is None or upper_cl is None):
        raise ValueError("phe_sii needs lower_cl and upper_cl, or se")
    if value_type not in INDICATOR_TYPES:
        raise ValueError("value_type must be 0, 1 or 2")
    if repetitions < 1000:
        raise ValueError("repetitions must be 1000 or more")
    levels = options.confidence_levels(confidence)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    by = list(by)
    inputs = [c for c in (x, value, lower_cl, upper_cl, se) if c is not None]
    options.require_columns(frame, quantile, population, *by, *inputs)
    options.require_numeric(frame, population, *inputs)

    def bad_rows(mask: pd.Series, column: str, problem: str) -> None:
        if mask.any():
            rows = ", ".join(str(r) for r in frame.index[mask.to_numpy()][:5])
            raise ValueError(f"column {column} {problem} (rows {rows})")

    bad_rows(
        frame[population].isna() | (frame[population] <= 0),
        population,
        "must be more than zero and not missing",
    )
    if se is not None:
        bad_rows(frame[se].isna() | (frame[se] < 0), se, "must be zero or more and not missing")
    else:
        for column in (lower_cl, upper_cl):
            bad_rows(frame[column].isna(), column, "must not be missing")
    if value_type == 2:
        for column in (value, lower_cl, upper_cl):
            if column is not None:
                outside = (frame[column] < 0) | (frame[column] > 1)
                bad_rows(outside, column, "must hold proportions between 0 and 1")
        if value is None:
            bad_rows(frame[x].isna() | (frame[x] <= 0), x, "must be more than zero")
    quantiles = sorted(frame[quantile].dropna().unique().tolist())
    if not 5 <= len(quantiles) <= 100:
        raise ValueError(f"column {quantile} must hold between 5 and 100 quantiles")

    sums = group_sums(
        frame[[*by, quantile, population, *inputs]],
        [*by, quantile],
        {column: column for column in (population, *inputs)},
        engine=engine,
        count_missing=[population],
    )
    single = [c for c in (value, lower_cl, upper_cl, se) if c is not None]
    if single and (sums["rows"] > 1).any():
        where = sums.loc[sums["rows"] > 1, [*by, quantile]].iloc[0].tolist()
        raise ValueError(
            f"group and quantile {', '.join(map(str, where))} have more than one row of "
            f"{', '.join(single)}; give one row per quantile"
        )

    # the package names the SII's limits by their level even when there is only one
    names = [(level, f"lower{level.tag}cl", f"upper{level.tag}cl") for level in levels]
    z95 = z_value(0.95)
    rows = []
    for key, table in groups(sums, by):
        row: dict[str, object] = dict(zip(by, key, strict=True))
        table = table.sort_values(quantile)
        if len(table) != len(quantiles):
            row["reason"] = INCOMPLETE
            rows.append(row)
            continue
        pop = table[population].to_numpy(dtype=float)
        if value is not None:
            y = table[value].to_numpy(dtype=float)
        else:
            y = table[x].to_numpy(dtype=float) / pop
        centre = _to_scale(y, value_type)
        if se is not None:
            sd = table[se].to_numpy(dtype=float)
        else:
            lo = _to_scale(table[lower_cl].to_numpy(dtype=float), value_type)
            hi = _to_scale(table[upper_cl].to_numpy(dtype=float), value_type)
            sd = (hi - lo) / z95 / 2
        beta0, beta1 = fit(pop, y)
        ratio = (beta0 + beta1) / beta0
        row["sii"] = multiplier * beta1
        row["rii"] = 1 / ratio if multiplier < 0 else ratio
        samples = 10 if reliability_stat else 1
        draws = rng.normal(centre, sd, size=(samples * repetitions, len(y)))
        params = fit(pop, _from_scale(draws, value_type))
        sims = {"sii": multiplier * params[1]}
        ratios = (params[0] + params[1]) / params[0]
        sims["rii"] = 1 / ratios if multiplier < 0 else ratios
        for stat in ("sii", "rii") if rii else ("sii",):
            runs = np.sort(sims[stat].reshape(samples, repetitions), axis=1)
            for level, lower, upper in names:
                low, high = _positions(repetitions, level.confidence)
                row[f"{stat}_{lower}"] = runs[0, low]
                row[f"{stat}_{upper}"] = runs[0, high]
                if reliability_stat:
                    diffs = np.abs(runs[1:, [low, high]] - runs[0, [low, high]])
                    row[f"{stat}_mad{level.tag}"] = diffs.mean()
        row["intercept"] = beta0
        rows.append(row)

    result = pd.DataFrame(rows)
    columns = [*by, "sii"]
    if rii:
        columns.append("rii")
    for stat in ("sii", "rii") if rii else ("sii",):
        for _, lower, upper in names:
            columns += [f"{stat}_{lower}", f"{stat}_{upper}"]
    if reliability_stat:
        for stat in ("sii", "rii") if rii else ("sii",):
            columns += [f"{stat}_mad{level.tag}" for level in levels]
    if intercept:
        columns.append("intercept")
    result = result.reindex(columns=[*columns, "reason"])
    result[columns[len(by) :]] = result[columns[len(by) :]].astype(float)
    result["reason"] = none_for_missing(result["reason"])
    if type == "full":
        result["indicator_type"] = INDICATOR_TYPES[value_type]
        result["multiplier"] = multiplier
        result["transform"] = "none"
        result["CI_confidence"] = options.confidence_label(levels)
        result["CI_method"] = f"simulation {repetitions} reps"
    return result
