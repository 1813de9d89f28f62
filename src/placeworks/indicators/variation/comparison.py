"""Comparing groups with the ICB: Wilson limits, significance by the limits, and the funnel."""

from __future__ import annotations

import numpy as np
import pandas as pd

from placeworks.engine import Engine
from placeworks.indicators.funnels import assign_funnel_significance, calculate_funnel_limits
from placeworks.indicators.proportions import phe_proportion
from placeworks.indicators.variation.results import figure

#: The sums a prevalence is made of: patients on the register over the list size.
REGISTER_TERMS = {"register": "register", "list_size": "list_size"}


def significance(value, lower95, upper95, lower998, upper998, benchmark) -> str:
    """A group's value against the benchmark by its limits (OHID's comparison).

    Higher when the lower limit is above the benchmark, lower when the upper limit is below
    it, at 99.8% if that level's limit is also clear of it, else at 95%; otherwise similar.
    Without a value, limits or benchmark: "Not compared".
    """
    figures = [value, lower95, upper95, lower998, upper998, benchmark]
    if any(f is None or pd.isna(f) for f in figures):
        return "Not compared"
    if lower998 > benchmark:
        return "Higher (99.8%)"
    if lower95 > benchmark:
        return "Higher (95%)"
    if upper998 < benchmark:
        return "Lower (99.8%)"
    if upper95 < benchmark:
        return "Lower (95%)"
    return "Similar"


def proportions(sums: pd.DataFrame, key: str | None, multiplier: int, engine: Engine):
    """``phe_proportion`` of the register over the list size, at 95% and 99.8%."""
    by = [key] if key else []
    return phe_proportion(
        sums,
        "register",
        "list_size",
        by=by,
        confidence=(0.95, 0.998),
        multiplier=multiplier,
        type="standard",
        engine=engine,
    )


def limits_of(row) -> dict[str, float | None]:
    """A row of ``proportions`` as a group's figures."""
    return {
        "numerator": figure(row["register"]),
        "denominator": figure(row["list_size"]),
        "value": figure(row["value"]),
        "lower95": figure(row["lower95_0cl"]),
        "upper95": figure(row["upper95_0cl"]),
        "lower998": figure(row["lower99_8cl"]),
        "upper998": figure(row["upper99_8cl"]),
    }


def compared(row, benchmark: float | None) -> dict:
    """A row of ``proportions`` as a group's figures with its significance against the ICB."""
    limits = limits_of(row)
    return {
        **limits,
        "significance": significance(
            limits["value"],
            limits["lower95"],
            limits["upper95"],
            limits["lower998"],
            limits["upper998"],
            benchmark,
        ),
    }


def funnel(benchmark: float, sizes: pd.Series, multiplier: int, engine: Engine):
    """Control limits around the ICB value over the range of the groups' denominators.

    ``calculate_funnel_limits`` centres the funnel on its units' total numerator over total
    denominator; two units at the groups' smallest and largest denominators with numerators at
    the ICB's proportion put that centre on the ICB value and the axis over the groups.
    """
    sizes = sizes.dropna()
    if sizes.empty or benchmark is None:
        return None
    p = benchmark / multiplier
    ends = np.array([sizes.min(), sizes.max()], dtype="float64")
    units = pd.DataFrame({"x": p * ends, "n": ends})
    limits = calculate_funnel_limits(
        units,
        "x",
        "n",
        statistic="proportion",
        multiplier=multiplier,
        type="standard",
        engine=engine,
    )
    return pd.DataFrame(
        {
            "denominator": limits["Population"].astype("int64"),
            "lower998": limits["lower_3s_limit"],
            "lower95": limits["lower_2s_limit"],
            "upper95": limits["upper_2s_limit"],
            "upper998": limits["upper_3s_limit"],
            "benchmark": limits["baseline"],
        }
    )


def funnel_labels(
    sums: pd.DataFrame, key: str, icb_sums: pd.DataFrame, multiplier: int, engine: Engine
) -> dict[str, str]:
    """Where each group falls on the funnel around the ICB value ("High (0.001)" ...).

    ``assign_funnel_significance`` compares each unit with its units' average; the groups and,
    when they do not cover the ICB, the rest of the ICB as one more unit make that average the
    ICB value.
    """
    if sums.empty:
        return {}
    units = sums[[key, "register", "list_size"]].astype({"register": float, "list_size": float})
    rest = {
        column: float(icb_sums[column].iloc[0]) - float(units[column].sum())
        for column in ("register", "list_size")
    }
    if rest["list_size"] > 0:
        units = pd.concat([units, pd.DataFrame([{key: None, **rest}])], ignore_index=True)
    labelled = assign_funnel_significance(
        units,
        "register",
        "list_size",
        statistic="proportion",
        multiplier=multiplier,
        engine=engine,
    )
    labelled = labelled.dropna(subset=[key])
    return dict(zip(labelled[key], labelled["significance"].astype(str), strict=True))
