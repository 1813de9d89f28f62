"""Indirectly standardised ratios and rates (PHEindicatormethods ``calculate_ISRatio`` and
``calculate_ISRate``), with exact Poisson or Byar's confidence limits."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from placeworks.engine import Engine
from placeworks.indicators import limits, options
from placeworks.indicators._frames import add_limits
from placeworks.indicators.grouped import group_sums


def calculate_ISRatio(
    frame: pd.DataFrame,
    x: str,
    n: str,
    x_ref: str | None = None,
    n_ref: str | None = None,
    *,
    ref_rate: str | None = None,
    by: Sequence[str] | str = (),
    observed_totals: pd.DataFrame | None = None,
    type: str = "full",
    confidence: float | Sequence[float] = 0.95,
    refvalue: float = 1,
    engine: Engine | None = None,
) -> pd.DataFrame:
    """The indirectly standardised ratio of each group of ``by``: observed over expected events.

    Each row is one band (an age band, say) of a group with its population ``n`` and the
    reference population's events ``x_ref`` and population ``n_ref`` in that band (or its rate
    ``ref_rate``, events per person). ``expected = Σ n · x_ref / n_ref`` (a missing ``n`` or
    ``x_ref`` counts as 0). Observed events are ``x`` summed per group (missing skipped), or,
    with ``observed_totals`` (a frame of the ``by`` columns and ``x``), the group's total there.
    ``value = observed / expected × refvalue``; limits are the Poisson limits of the observed
    count (exact below 10, Byar's from 10) over ``expected``, times ``refvalue``.

    Columns: the grouping columns, ``observed``, ``expected``, ``value``, the limits,
    ``confidence``, ``statistic`` (``"indirectly standardised ratio x 1"``) and ``method``.
    Breslow and Day (1987); OHID *Technical Guide: Confidence intervals*.
    """
    result, levels, _ = _standardise(
        frame,
        x,
        n,
        x_ref,
        n_ref,
        ref_rate,
        by,
        observed_totals,
        type,
        confidence,
        engine,
        "refvalue",
        refvalue,
        need_totals=False,
    )
    by = options.check_by(frame, by)
    return _finish(
        result,
        by,
        levels,
        type,
        np.full(len(result), float(refvalue)),
        f"indirectly standardised ratio x {options.number_label(refvalue)}",
    )


def calculate_ISRate(
    frame: pd.DataFrame,
    x: str,
    n: str,
    x_ref: str,
    n_ref: str,
    *,
    by: Sequence[str] | str = (),
    observed_totals: pd.DataFrame | None = None,
    type: str = "full",
    confidence: float | Sequence[float] = 0.95,
    multiplier: float = 100_000,
    engine: Engine | None = None,
) -> pd.DataFrame:
    """The indirectly standardised rate of each group: its ratio times the reference rate.

    As :func:`calculate_ISRatio`, with ``ref_rate = Σ x_ref / Σ n_ref × multiplier`` over the
    group's rows (the reference population's crude rate), ``value = observed / expected ×
    ref_rate`` and the limits scaled the same way. Columns: the grouping columns,
    ``observed``, ``expected``, ``ref_rate``, ``value``, the limits, ``confidence``,
    ``statistic`` (``"indirectly standardised rate per 100000"``) and ``method``.
    """
    result, levels, reference = _standardise(
        frame,
        x,
        n,
        x_ref,
        n_ref,
        None,
        by,
        observed_totals,
        type,
        confidence,
        engine,
        "multiplier",
        multiplier,
        need_totals=True,
    )
    by = options.check_by(frame, by)
    result["ref_rate"] = reference * multiplier
    return _finish(
        result,
        by,
        levels,
        type,
        result["ref_rate"].to_numpy(),
        f"indirectly standardised rate per {options.number_label(multiplier)}",
    )


def _standardise(
    frame: pd.DataFrame,
    x: str,
    n: str,
    x_ref: str | None,
    n_ref: str | None,
    ref_rate: str | None,
    by: Sequence[str] | str,
    observed_totals: pd.DataFrame | None,
    type: str,
    confidence: float | Sequence[float],
    engine: Engine | None,
    scale_name: str,
    scale: float,
    *,
    need_totals: bool,
) -> tuple[pd.DataFrame, tuple[options.Level, ...], np.ndarray]:
    by = options.check_by(frame, by)
    options.check_type(type)
    options.check_multiplier(scale, scale_name)
    levels = options.confidence_levels(confidence)
    if (ref_rate is None) == (x_ref is None or n_ref is None):
        raise ValueError("give the reference as x_ref and n_ref columns, or as ref_rate")
    options.check_columns(frame, n=n, x_ref=x_ref, n_ref=n_ref, ref_rate=ref_rate)
    options.check_values(frame, n, "denominator", by)
    if observed_totals is None:
        options.check_columns(frame, x=x)
        options.check_values(frame, x, "numerator", by)
    else:
        options.check_columns(observed_totals, x=x, by=by)
        options.check_values(observed_totals, x, "numerator", by)
        if observed_totals.duplicated(by).any():
            raise ValueError("observed_totals must have one row per group of by")
    if ref_rate is not None:
        options.check_values(frame, ref_rate, "reference rate", by, missing=False)
    else:
        options.check_values(frame, x_ref, "reference numerator", by)  # type: ignore[arg-type]
        options.check_values(frame, n_ref, "reference denominator", by, strict=True, missing=False)  # type: ignore[arg-type]

    columns = [*by, n, *(c for c in (x_ref, n_ref, ref_rate) if c)]
    if observed_totals is None:
        columns.append(x)
    data = frame[list(dict.fromkeys(columns))].copy()
    for column in columns[len(by) :]:
        data[column] = data[column].astype("float64")

    def expected(t):
        rate = t[ref_rate] if ref_rate else t[x_ref].fill_null(0) / t[n_ref]
        return rate * t[n].fill_null(0)

    terms = {"expected": expected}
    if observed_totals is None:
        terms["observed"] = x
    if need_totals:
        terms["reference_x"] = x_ref
        terms["reference_n"] = n_ref
    sums = group_sums(data, by, terms, engine=engine)
    if observed_totals is None:
        sums["observed"] = sums["observed"].astype("float64").fillna(0.0)
    else:
        totals = observed_totals[[*by, x]].rename(columns={x: "observed"})
        totals["observed"] = totals["observed"].astype("float64")
        sums = (
            sums.merge(totals, on=by, how="left")
            if by
            else sums.assign(observed=float(totals["observed"].sum()))
        )
    sums["expected"] = sums["expected"].astype("float64").fillna(0.0)
    reference = np.zeros(len(sums))
    if need_totals:
        reference = (
            sums["reference_x"].astype("float64").fillna(0.0)
            / sums["reference_n"].astype("float64")
        ).to_numpy()
    result = sums[[*by, "observed", "expected"]].copy()
    return result, levels, reference


def _finish(
    result: pd.DataFrame,
    by: list[str],
    levels: tuple[options.Level, ...],
    type: str,
    scale: np.ndarray,
    statistic: str,
) -> pd.DataFrame:
    observed = result["observed"].to_numpy()
    expected = result["expected"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        result["value"] = observed / expected * scale

        def ratio_limits(level: float) -> tuple[np.ndarray, np.ndarray]:
            lower, upper = limits.poisson(observed, level)
            return lower / expected * scale, upper / expected * scale

        add_limits(result, levels, ratio_limits)
    result["confidence"] = options.confidence_label(levels)
    result["statistic"] = statistic
    result["method"] = limits.poisson_method(observed)
    return options.select(result, by, levels, type)
