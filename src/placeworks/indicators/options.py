"""Options every indicator method shares: confidence levels, output columns and input checks.

PHEindicatormethods (v2) takes one confidence level between 0.9 and 1 (or 90 and 100), or the
pair 0.95 and 0.998 together. One level gives the limits ``lowercl`` and ``uppercl``; the pair
gives ``lower95_0cl``, ``upper95_0cl``, ``lower99_8cl`` and ``upper99_8cl`` (the level's
``tag``, ``95_0``, inside the name: ``phe_sii`` names its limits that way even for one level).
The ``confidence`` label reads "95%", "99.8%" or "95%, 99.8%". The ``type`` option chooses the
output columns: ``full`` (everything, with confidence, statistic and method), ``standard``
(without those three), ``value``, ``lower`` or ``upper`` (the grouping columns and that
statistic only); life expectancy, quantiles, the SII and funnels take only the first two.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

TYPES = ("full", "standard", "value", "lower", "upper")
FULL_OR_STANDARD = TYPES[:2]
METADATA = ("confidence", "statistic", "method")
BOTH_LEVELS = (0.95, 0.998)


@dataclass(frozen=True)
class Level:
    """One confidence level and the names of its limit columns."""

    confidence: float
    lower: str
    upper: str

    @property
    def tag(self) -> str:
        """``95_0`` for 0.95, ``99_8`` for 0.998: the level inside a column name."""
        return f"{self.confidence * 100:.1f}".replace(".", "_")


def confidence_levels(confidence: float | Sequence[float]) -> tuple[Level, ...]:
    """The validated levels of ``confidence`` with their column names.

    A level of 90 or more is read as a percentage. Two levels must be 0.95 and 0.998 (95% and
    99.8%), as in PHEindicatormethods.
    """
    if isinstance(confidence, str):
        raise ValueError(f"confidence must be a number, not {confidence!r}")
    values = [confidence] if isinstance(confidence, int | float) else list(confidence)
    if not values or len(values) > 2:
        raise ValueError("confidence takes one level or the two levels 0.95 and 0.998")
    scaled = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            raise ValueError(f"confidence must be a number, not {value!r}")
        value = value / 100 if value >= 90 else float(value)
        if not 0.9 <= value < 1:
            raise ValueError(
                "confidence must be at least 0.9 and below 1 (a level between 0.9 and 1, "
                f"1 itself excluded, or a percentage from 90), not {value!r}"
            )
        scaled.append(value)
    if len(scaled) == 2:
        if not all(math.isclose(a, b) for a, b in zip(scaled, BOTH_LEVELS, strict=True)):
            raise ValueError("two confidence levels must be 0.95 and 0.998 (95% and 99.8%)")
        return (
            Level(0.95, "lower95_0cl", "upper95_0cl"),
            Level(0.998, "lower99_8cl", "upper99_8cl"),
        )
    return (Level(scaled[0], "lowercl", "uppercl"),)


def confidence_label(levels: Sequence[Level]) -> str:
    """``"95%"``, ``"99.8%"`` or ``"95%, 99.8%"``."""
    return ", ".join(f"{round(level.confidence * 100, 8):g}%" for level in levels)


def number_label(value: float) -> str:
    """A multiplier as PHEindicatormethods prints it: ``100000``, ``1``, ``0.5``."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def check_type(type: str, allowed: Sequence[str] = TYPES) -> None:
    if type not in allowed:
        raise ValueError(f"type must be one of {', '.join(allowed)}, not {type!r}")


def check_multiplier(multiplier: float, name: str = "multiplier") -> None:
    if isinstance(multiplier, bool) or not isinstance(multiplier, int | float):
        raise ValueError(f"{name} must be a number, not {multiplier!r}")
    if not math.isfinite(multiplier) or multiplier <= 0:
        raise ValueError(f"{name} must be a positive number, not {multiplier!r}")


def check_columns(frame: pd.DataFrame, **columns: str | Iterable[str] | None) -> None:
    """Each named argument's column(s) must be in ``frame``; the error names the argument."""
    for argument, names in columns.items():
        if names is None:
            continue
        for name in [names] if isinstance(names, str) else list(names):
            if name not in frame.columns:
                raise KeyError(f"{argument} {name!r} is not a column of the data")


def require_columns(frame: pd.DataFrame, *columns: str) -> None:
    """Every one of ``columns`` must be in ``frame``; the error lists those that are not."""
    unknown = [name for name in dict.fromkeys(columns) if name not in frame.columns]
    if unknown:
        raise KeyError(f"the data have no column {', '.join(unknown)}")


def require_numeric(frame: pd.DataFrame, *columns: str) -> None:
    """Each of ``columns`` must have a numeric type (a TypeError names the first that has not)."""
    for column in columns:
        if not pd.api.types.is_numeric_dtype(frame[column]):
            raise TypeError(f"column {column} must be numeric")


def _where(frame: pd.DataFrame, mask: pd.Series, by: Sequence[str]) -> str:
    position = int(np.flatnonzero(mask.to_numpy())[0])
    row = frame.index[position]
    group = ", ".join(f"{name} {frame[name].iloc[position]!r}" for name in by)
    return f"row {row}" + (f", {group}" if group else "")


def check_values(
    frame: pd.DataFrame,
    column: str,
    role: str,
    by: Sequence[str] = (),
    *,
    minimum: float = 0.0,
    strict: bool = False,
    missing: bool = True,
) -> None:
    """Refuse values below ``minimum`` (or at it when ``strict``) and, unless ``missing``,
    missing values; the error names the role, the column, the first bad row and its group."""
    values = pd.to_numeric(frame[column], errors="coerce")
    bad_type = values.isna() & frame[column].notna()
    if bad_type.any():
        raise ValueError(f"{role} {column} must be numeric ({_where(frame, bad_type, by)})")
    if not missing and values.isna().any():
        raise ValueError(
            f"{role} {column} must not be missing ({_where(frame, values.isna(), by)})"
        )
    low = values <= minimum if strict else values < minimum
    if low.any():
        bound = "greater than" if strict else "at least"
        word = {(0.0, False): "must not be negative", (0.0, True): "must be greater than zero"}
        message = word.get((minimum, strict), f"must be {bound} {minimum:g}")
        raise ValueError(f"{role} {column} {message} ({_where(frame, low.fillna(False), by)})")


def check_not_above(
    frame: pd.DataFrame, column: str, ceiling: str, role: str, by: Sequence[str] = ()
) -> None:
    """Refuse rows where ``column`` exceeds ``ceiling`` (a numerator above its denominator)."""
    above = (frame[column] > frame[ceiling]).fillna(False)
    if above.any():
        where = _where(frame, above, by)
        raise ValueError(f"{role} {column} must not exceed the denominator {ceiling} ({where})")


def check_by(frame: pd.DataFrame, by: Sequence[str] | str) -> list[str]:
    by = [by] if isinstance(by, str) else list(by)
    check_columns(frame, by=by)
    return by


def select(
    result: pd.DataFrame,
    by: Sequence[str],
    levels: Sequence[Level],
    type: str,
) -> pd.DataFrame:
    """The columns of ``result`` that ``type`` asks for, grouping columns first."""
    if type == "full":
        return result
    if type == "standard":
        return result.drop(columns=[c for c in METADATA if c in result.columns])
    wanted = {
        "value": ["value"],
        "lower": [level.lower for level in levels],
        "upper": [level.upper for level in levels],
    }[type]
    return result[[*by, *wanted]]
