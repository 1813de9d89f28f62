"""Directly standardised rates with Dobson confidence limits (PHEindicatormethods
``calculate_dsr``), with the adjustment for non-independent events."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from placeworks.engine import Engine
from placeworks.indicators import limits, options
from placeworks.indicators._frames import add_limits
from placeworks.indicators.grouped import group_sums
from placeworks.indicators.standards import esp2013_weights

#: A DSR on fewer events than this is not published: its value and limits are left missing.
MINIMUM_COUNT = 10
SUPPRESSED = "dsr NA for total count < 10"
_STD = "__stdpop"


def calculate_dsr(
    frame: pd.DataFrame,
    x: str,
    n: str,
    *,
    by: Sequence[str] | str = (),
    stdpop: str | None = None,
    ageband: str | None = None,
    type: str = "full",
    confidence: float | Sequence[float] = 0.95,
    multiplier: float = 100_000,
    independent_events: bool = True,
    eventfreq: str | None = None,
    engine: Engine | None = None,
) -> pd.DataFrame:
    """The directly standardised rate of each group of ``by``, with Dobson limits.

    Each row is one standardisation band (an age band, say) of a group: events ``x`` (missing
    counts as none), population ``n`` and standard population ``stdpop`` (a column). Without
    ``stdpop`` the European Standard Population 2013 is used, matched on ``ageband`` (labels
    ``"0-4"`` … ``"90+"`` or lower ages 0 … 90).

    ``DSR = Σ wᵢ xᵢ / nᵢ / Σ wᵢ × multiplier``, ``var(DSR) = Σ xᵢ (wᵢ / nᵢ)² / (Σ wᵢ)²``, limits
    ``DSR + √(var / O) (O_L - O)`` and ``DSR + √(var / O) (O_U - O)`` with ``O = Σ xᵢ`` and its
    Byar limits (Dobson et al. 1991). A group with fewer than 10 events gets a missing value and
    limits and the statistic ``"dsr NA for total count < 10"``.

    With ``independent_events=False`` a person can have several events: each row then counts
    the people (``x``) with ``eventfreq`` events in that band, and ``ageband`` names the band.
    The events are ``Σ eventfreq · x``; the variance is the sum over event frequencies ``f`` of
    ``f²`` times the variance computed from the people with ``f`` events, which widens the
    limits (OHID Fingertips technical guidance, *Directly standardised rates*). ``n`` and the
    standard population must repeat on every frequency row of a band.

    Columns: the grouping columns, ``total_count``, ``total_pop``, ``value``, the limits,
    ``confidence``, ``statistic`` (``"dsr per 100000"``) and ``method`` (``"Dobson"``, or
    ``"Dobson, with confidence adjusted for non-independent events"``).
    """
    by = options.check_by(frame, by)
    options.check_columns(frame, x=x, n=n, stdpop=stdpop, ageband=ageband, eventfreq=eventfreq)
    options.check_type(type)
    options.check_multiplier(multiplier)
    levels = options.confidence_levels(confidence)
    if not isinstance(independent_events, bool):
        raise ValueError("independent_events must be True or False")
    options.check_values(frame, x, "numerator", by)
    options.check_values(frame, n, "denominator", by, strict=True, missing=False)
    if not independent_events:
        if eventfreq is None or ageband is None:
            raise ValueError("independent_events=False needs the eventfreq and ageband columns")
        options.check_values(frame, eventfreq, "event frequency", by, missing=False)
        if frame[ageband].isna().any():
            raise ValueError(f"ageband {ageband} must not be missing")
        for column in (n, stdpop):
            if (
                column is not None
                and (
                    frame.groupby([*by, ageband], dropna=False)[column].nunique(dropna=False) > 1
                ).any()
            ):
                raise ValueError(
                    f"{column} must be the same on every event frequency row of an age band"
                )

    columns = list(dict.fromkeys([*by, x, n, *(c for c in (ageband, eventfreq) if c)]))
    data = frame[columns].copy()
    if stdpop is None:
        if ageband is None:
            raise ValueError("give stdpop (a column) or ageband to standardise to the ESP 2013")
        data[_STD] = esp2013_weights(frame[ageband])
    else:
        options.check_values(frame, stdpop, "standard population", by, missing=False)
        data[_STD] = frame[stdpop].astype("float64")
    data[x] = data[x].astype("float64")
    data[n] = data[n].astype("float64")

    if independent_events:
        sums = group_sums(
            data,
            by,
            {
                "total_count": x,
                "total_pop": n,
                "weighted": lambda t: t[x] * t[_STD] / t[n],
                "squared": lambda t: t[x] * (t[_STD] / t[n]) ** 2,
                "standard": _STD,
            },
            engine=engine,
        )
        sums = sums.fillna({"total_count": 0.0, "weighted": 0.0, "squared": 0.0})
        variance = sums["squared"] / sums["standard"] ** 2
        method = "Dobson"
    else:
        sums, variance = _non_independent(data, by, x, n, ageband, eventfreq, engine)  # type: ignore[arg-type]
        method = "Dobson, with confidence adjusted for non-independent events"

    result = sums[[*by, "total_count", "total_pop"]].copy()
    result["total_count"] = result["total_count"].astype("float64")
    result["total_pop"] = result["total_pop"].astype("float64")
    rate = (sums["weighted"] / sums["standard"]).to_numpy(dtype="float64")
    count = result["total_count"].to_numpy()
    variance = variance.to_numpy(dtype="float64")
    shown = count >= MINIMUM_COUNT
    result["value"] = np.where(shown, rate * multiplier, np.nan)

    def dsr_limits(level: float) -> tuple[np.ndarray, np.ndarray]:
        lower, upper = limits.dobson(rate, count, variance, level)
        return (
            np.where(shown, lower * multiplier, np.nan),
            np.where(shown, upper * multiplier, np.nan),
        )

    add_limits(result, levels, dsr_limits)
    result["confidence"] = options.confidence_label(levels)
    result["statistic"] = np.where(
        shown, f"dsr per {options.number_label(multiplier)}", SUPPRESSED
    ).astype(object)
    result["method"] = method
    return options.select(result, by, levels, type)


def _non_independent(
    data: pd.DataFrame,
    by: list[str],
    x: str,
    n: str,
    ageband: str,
    eventfreq: str,
    engine: Engine | None,
) -> tuple[pd.DataFrame, pd.Series]:
    """Totals per group and the variance adjusted for people with several events."""
    data[eventfreq] = data[eventfreq].astype("float64")
    per_frequency = group_sums(
        data,
        [*by, eventfreq],
        {"squared": lambda t: t[x] * (t[_STD] / t[n]) ** 2, "standard": _STD},
        engine=engine,
    )
    per_frequency["part"] = (
        per_frequency["squared"].fillna(0.0)
        / per_frequency["standard"] ** 2
        * per_frequency[eventfreq] ** 2
    )
    per_band = group_sums(
        data,
        [*by, ageband],
        {
            "events": lambda t: t[x] * t[eventfreq],
            "weighted": lambda t: t[x] * t[eventfreq] * t[_STD] / t[n],
            "population": n,
            "standard": _STD,
            "rows": lambda t: t[n] * 0 + 1,
        },
        engine=engine,
    )
    per_band = per_band.fillna({"events": 0.0, "weighted": 0.0})
    per_band["total_pop"] = per_band["population"] / per_band["rows"]
    per_band["standard"] = per_band["standard"] / per_band["rows"]
    per_band = per_band.rename(columns={"events": "total_count"})
    parts = ["total_count", "total_pop", "weighted", "standard"]
    if by:
        sums = per_band.groupby(by, dropna=False, sort=True)[parts].sum().reset_index()
        variance = per_frequency.groupby(by, dropna=False, sort=True)["part"].sum()
        variance = sums[by].merge(variance.reset_index(), on=by, how="left")["part"]
    else:
        sums = per_band[parts].sum().to_frame().T
        variance = pd.Series([per_frequency["part"].sum()])
    return sums, variance
