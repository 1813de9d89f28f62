"""Confidence levels as PHEindicatormethods takes and labels them (private to the indicators).

A level is given as a proportion (0.95) or a percentage (95), one level or several. One level
gives limit columns ``lowercl``/``uppercl``; several give ``lower95_0cl``, ``upper99_8cl`` and so
on, and the ``confidence`` label lists them: "95%", "99.8%" or "95%, 99.8%".
"""

from __future__ import annotations

from collections.abc import Sequence

from scipy import stats


def levels(confidence: float | Sequence[float], *, low: float = 0.9) -> list[float]:
    """The levels as proportions; each must lie between ``low`` and 1 (or 100 × that)."""
    values = [confidence] if isinstance(confidence, int | float) else list(confidence)
    if not values:
        raise ValueError("confidence needs at least one level")
    out = []
    for value in values:
        level = value / 100 if value >= low * 100 else value
        if not low <= level <= 1:
            raise ValueError(
                f"confidence level {value} must lie between {low:g} and 1 or {low * 100:g} and 100"
            )
        out.append(float(level))
    return out


def tag(level: float) -> str:
    """95_0 for 0.95, 99_8 for 0.998: the level inside a column name."""
    return f"{level * 100:.1f}".replace(".", "_")


def label(levels_: Sequence[float]) -> str:
    """ "95%" or "95%, 99.8%"."""
    return ", ".join(f"{round(level * 100, 6):g}%" for level in levels_)


def limit_names(levels_: Sequence[float], prefix: str = "") -> list[tuple[float, str, str]]:
    """(level, lower column, upper column) for each level."""
    if len(levels_) == 1:
        return [(levels_[0], f"{prefix}lowercl", f"{prefix}uppercl")]
    return [(lv, f"{prefix}lower{tag(lv)}cl", f"{prefix}upper{tag(lv)}cl") for lv in levels_]


def z(level: float) -> float:
    """The two-sided normal quantile for ``level``: 1.959964 for 0.95."""
    return float(stats.norm.ppf(0.5 + level / 2))
