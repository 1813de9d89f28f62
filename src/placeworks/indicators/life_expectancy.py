"""Life expectancy from an abridged life table: Chiang's method with Silcocks' variance.

The method of OHID's (formerly PHE's) life expectancy calculator and of PHEindicatormethods'
``phe_life_expectancy``. For age bands i = 0..k (start ages x_i, widths n_i, deaths D_i,
person-years P_i, mortality M_i = D_i / P_i; a_i = 0.1 for the band starting at 0, else 0.5):

    q_i = M_i n_i / (1 + M_i n_i (1 - a_i))      (1 when D_i > P_i / n_i / a_i; q_k = 1)
    l_0 = 100,000,  l_i = l_(i-1) (1 - q_(i-1)),  d_i = l_i - l_(i+1)  (d_k = l_k)
    L_i = n_i (l_(i+1) + a_i d_i),  L_k = l_k / M_k
    T_i = sum of L_j for j >= i,  e_i = T_i / l_i            (life expectancy at x_i)

Chiang (Chiang CL, *The life table and its construction*, 1968/1984) gives the variance of e_i
from the variance of each q_j, s²(q_j) = q_j² (1 - q_j) / D_j; Silcocks et al. (Silcocks PBS,
Jenner DA, Reza R, J Epidemiol Community Health 2001;55:38-43) add the open last band, whose
life expectancy 1 / M_k has variance 4 / (D_k M_k²) weighted by (l_k / 2)²:

    Var(e_i) = [ sum_(j=i..k-1) l_j² ((1 - a_j) n_j + e_(j+1))² s²(q_j)
                 + (l_k / 2)² 4 / (D_k M_k²) ] / l_i²

and the limits are e_i ± z √Var(e_i). As in the calculator, a group is not calculated (value
and limits missing, with the ``reason``) when an age band has negative deaths, a population of
zero or less, more deaths than population, when a band is absent, or when the total population
is 5,000 or less (Toson and Baker, ONS Methodological Series 33, 2003); a value whose 95%
interval is wider than 20 years is suppressed while its limits are kept (Eayres and Williams,
J Epidemiol Community Health 2004;58:243-249).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from placeworks.engine import Engine
from placeworks.indicators import options
from placeworks.indicators._frames import groups, none_for_missing
from placeworks.indicators.grouped import group_sums
from placeworks.indicators.limits import z_value

#: The ONS/OHID abridged life table bands: 0, 1-4, 5-9, ..., 85-89, 90+.
AGE_BANDS: tuple[int, ...] = (0, 1, *range(5, 95, 5))

METHOD = "Chiang, using Silcocks et al for confidence limits"

#: Why a group (or a value) is suppressed, in the order the checks run.
REASONS = {
    "missing": "deaths or population missing in an age band",
    "negative_deaths": "negative deaths in an age band",
    "population": "population of zero or less in an age band",
    "bands": "age bands missing",
    "deaths_over_population": "more deaths than population in an age band",
    "small": "total population of 5,000 or less",
    "last_band": "no deaths in the last (open) age band",
    "wide": "95% confidence interval wider than 20 years",
}


def _start_age(band: object) -> int:
    match = re.search(r"\d+", str(band))
    if match is None:
        raise ValueError(f"age band {band!r} has no start age")
    return int(match.group())


def _check_age_contents(age_contents: Sequence[object]) -> list[int]:
    starts = [_start_age(band) for band in age_contents]
    if not starts or starts[0] != 0:
        raise ValueError("the first age band in age_contents must start at 0")
    out_of_place = [
        str(b) for b, s, t in zip(age_contents, starts, sorted(starts), strict=True) if s != t
    ]
    if out_of_place or len(set(starts)) != len(starts):
        raise ValueError(
            "age_contents must be in ascending order of start age; out of place: "
            + ", ".join(out_of_place)
        )
    return starts


def chiang_silcocks(
    starts: Sequence[float], deaths: Sequence[float], population: Sequence[float]
) -> tuple[np.ndarray, np.ndarray]:
    """Life expectancy at each band's start age and its standard error, for one complete table.

    ``starts`` are the bands' start ages in ascending order; the last band is open-ended.
    """
    x = np.asarray(starts, dtype=float)
    d = np.asarray(deaths, dtype=float)
    p = np.asarray(population, dtype=float)
    k = len(x) - 1
    m = d / p
    a = np.where(x == 0, 0.1, 0.5)
    n = np.empty(k + 1)
    n[:k] = np.diff(x)
    n[k] = 2 / m[k]
    q = np.ones(k + 1)
    body = slice(0, k)
    ordinary = d[body] <= p[body] / n[body] / a[body]
    q[body] = np.where(ordinary, m[body] * n[body] / (1 + m[body] * n[body] * (1 - a[body])), 1.0)
    survivors = np.empty(k + 1)
    survivors[0] = 1e5
    survivors[1:] = 1e5 * np.cumprod(1 - q[:k])
    dying = survivors - np.append(survivors[1:], 0.0)
    years = np.empty(k + 1)
    years[:k] = n[:k] * (survivors[1:] + a[:k] * dying[:k])
    years[k] = survivors[k] / m[k]
    total = np.cumsum(years[::-1])[::-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        e = np.where(survivors == 0, 0.0, total / survivors)
        var_q = np.where(dying == 0, 0.0, q**2 * (1 - q) / d)
    weighted = np.empty(k + 1)
    weighted[:k] = var_q[:k] * survivors[:k] ** 2 * ((1 - a[:k]) * n[:k] + e[1:]) ** 2
    weighted[k] = (survivors[k] / 2) ** 2 * 4 / (d[k] * m[k] ** 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(np.cumsum(weighted[::-1])[::-1] / survivors**2)
    return e, se


def phe_life_expectancy(
    frame: pd.DataFrame,
    deaths: str,
    population: str,
    startage: str,
    *,
    by: Sequence[str] = (),
    age_contents: Sequence[object] = AGE_BANDS,
    le_age: str | object | Sequence[object] = "all",
    type: str = "full",
    confidence: float | Sequence[float] = 0.95,
    engine: Engine | None = None,
) -> pd.DataFrame:
    """Life expectancy at each age band's start age, per group of ``by``.

    ``frame`` holds deaths and population by age band (``startage`` holds the band, one of
    ``age_contents``: by default the 20 bands 0, 1-4, 5-9, ..., 90+; any ascending bands from 0
    with an open last band, e.g. 5-year bands, may be given). Rows of the same group and band
    are totalled on ``engine`` first. Returns one row per group and band (only the bands in
    ``le_age`` unless it is "all"; ages not in ``age_contents`` are left out, and when none
    is there every age is given, with a warning), sorted, with ``value``, the limits
    (``lowercl``/``uppercl``, or ``lower95_0cl``... when several levels are asked for), and for
    ``type="full"`` the person-years and deaths from that age up (``pops_used``,
    ``dths_used``), ``confidence``, ``statistic`` and ``method``. ``reason`` says why a value is
    missing (see ``REASONS``); it is missing when the value is given.
    """
    options.check_type(type, options.FULL_OR_STANDARD)
    by = list(by)
    options.require_columns(frame, deaths, population, startage, *by)
    age_contents = list(age_contents)
    starts = _check_age_contents(age_contents)
    levels = options.confidence_levels(confidence)
    bands = {str(band): i for i, band in enumerate(age_contents)}
    unknown = sorted({str(v) for v in frame[startage].dropna().unique()} - set(bands))
    if unknown or frame[startage].isna().any():
        raise ValueError(
            f"column {startage} holds age bands not in age_contents: "
            + ", ".join(unknown or ["missing"])
        )
    ages: list[str] = []
    if not (isinstance(le_age, str) and le_age == "all"):
        wanted = [le_age] if isinstance(le_age, str | int | float) else list(le_age)
        ages = [str(a) for a in wanted if str(a) in bands]
        if not ages:
            warnings.warn(
                f"le_age {', '.join(map(str, wanted))} not in age_contents; "
                "life expectancy is given at every age",
                UserWarning,
                stacklevel=2,
            )

    work = frame[[*by, startage, deaths, population]].copy()
    work[startage] = work[startage].astype(str)
    sums = group_sums(
        work,
        [*by, startage],
        {deaths: deaths, population: population},
        engine=engine,
        count_missing=[deaths, population],
    )
    sums["_order"] = sums[startage].map(bands)
    sums = sums.sort_values([*by, "_order"], kind="stable").reset_index(drop=True)

    pieces = []
    for _, table in groups(sums, by):
        table = table.reset_index(drop=True).copy()
        dths = table[deaths].to_numpy(dtype=float)
        pops = table[population].to_numpy(dtype=float)
        reason = None
        if (table[f"{deaths}_missing"] > 0).any() or (table[f"{population}_missing"] > 0).any():
            reason = REASONS["missing"]
        elif (dths < 0).any():
            reason = REASONS["negative_deaths"]
        elif (pops <= 0).any():
            reason = REASONS["population"]
        elif len(table) != len(age_contents):
            reason = REASONS["bands"]
        elif (dths > pops).any():
            reason = REASONS["deaths_over_population"]
        elif pops.sum() <= 5000:
            reason = REASONS["small"]
        elif dths[-1] <= 0:
            reason = REASONS["last_band"]
        table["value"] = np.nan
        for level in levels:
            table[level.lower] = np.nan
            table[level.upper] = np.nan
        table["reason"] = reason
        if reason is None:
            band_starts = [starts[i] for i in table["_order"]]
            e, se = chiang_silcocks(band_starts, dths, pops)
            for level in levels:
                table[level.lower] = e - z_value(level.confidence) * se
                table[level.upper] = e + z_value(level.confidence) * se
            wide = z_value(0.95) * se > 10
            table["value"] = np.where(wide, np.nan, e)
            table["reason"] = np.where(wide, REASONS["wide"], None)
        table["pops_used"] = pops[::-1].cumsum()[::-1]
        table["dths_used"] = dths[::-1].cumsum()[::-1]
        pieces.append(table)
    result = pd.concat(pieces, ignore_index=True)
    result[startage] = [age_contents[i] for i in result["_order"]]
    if ages:
        result = result[result[startage].astype(str).isin(ages)]
    limit_columns = [c for level in levels for c in (level.lower, level.upper)]
    columns = [*by, startage, "value", *limit_columns]
    if type == "full":
        result = result.assign(
            confidence=options.confidence_label(levels),
            statistic="life expectancy at " + result[startage].astype(str),
            method=METHOD,
        )
        columns += ["pops_used", "dths_used", "confidence", "statistic", "method"]
    columns.append("reason")
    result["reason"] = none_for_missing(result["reason"])
    return result[columns].reset_index(drop=True)
