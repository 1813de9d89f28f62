"""What ``variation`` returns: each group's figures and the whole grouping's."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from placeworks.indicators.catalogue import IndicatorDefinition
from placeworks.indicators.variation.tree import TREE_YEAR

SIGNIFICANCE = (
    "Higher (99.8%)",
    "Higher (95%)",
    "Similar",
    "Lower (95%)",
    "Lower (99.8%)",
    "Not compared",
)
#: A group's figures, each a float or None.
FIGURES = ("numerator", "denominator", "value", "lower95", "upper95", "lower998", "upper998")
#: The columns of ``Variation.to_frame``.
COLUMNS = (
    "indicator",
    "indicator_name",
    "period",
    "unit",
    "icb",
    "grouping",
    "within",
    "code",
    "name",
    "parent",
    "practices",
    *FIGURES,
    "benchmark",
    "significance",
    "funnel_significance",
)


@dataclass(frozen=True)
class GroupValue:
    """One group's figures. For a score, ``denominator`` is the population weighting it.

    ``significance`` compares the limits with the ICB value ("Higher (99.8%)", "Higher (95%)",
    "Similar", "Lower (95%)", "Lower (99.8%)", "Not compared"); ``funnel_significance`` is where
    the group falls on the funnel around the ICB value ("High (0.001)", "High (0.025)", "Not
    significant", "Low (0.025)", "Low (0.001)"; proportions only). ``practices`` counts the
    practices whose figures the group holds.
    """

    code: str
    name: str
    numerator: float | None
    denominator: float | None
    value: float | None
    lower95: float | None
    upper95: float | None
    lower998: float | None
    upper998: float | None
    significance: str
    parent: str | None = None
    practices: int | None = None
    funnel_significance: str | None = None


@dataclass(frozen=True)
class Variation:
    """An indicator across one grouping of an ICB (optionally within one parent area).

    ``benchmark`` is the ICB's value, ``icb_value`` the ICB's own row with its limits. The
    ``funnel`` has the control limits around the ICB value at 100 denominators spanning the
    groups' (in the indicator's units: percentages for QOF). ``series`` is the yearly value of
    each group with ``spc_xmr``'s columns (Health Index only). ``sii`` is the slope (and
    relative) index of inequality of the indicator across the ICB's practices in deciles of
    deprivation (QOF only). Also: ``within_name``, ``year`` (of the geography tree) and
    ``parent_names`` (the name of each group's parent code).
    """

    indicator: IndicatorDefinition
    icb: str
    icb_name: str
    grouping: str
    within: str | None
    benchmark: float | None
    groups: tuple[GroupValue, ...]
    funnel: pd.DataFrame | None
    series: pd.DataFrame | None
    sii: dict | None
    notes: tuple[str, ...]
    within_name: str | None = None
    icb_value: GroupValue | None = None
    year: str = TREE_YEAR
    parent_names: dict[str, str] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """One row per group, ready for CSV: the indicator, period, benchmark and figures."""
        rows = [
            {
                "indicator": self.indicator.id,
                "indicator_name": self.indicator.name,
                "period": self.indicator.period,
                "unit": self.indicator.unit,
                "icb": self.icb,
                "grouping": self.grouping,
                "within": self.within,
                "code": group.code,
                "name": group.name,
                "parent": group.parent,
                "practices": group.practices,
                **{figure: getattr(group, figure) for figure in FIGURES},
                "benchmark": self.benchmark,
                "significance": group.significance,
                "funnel_significance": group.funnel_significance,
            }
            for group in self.groups
        ]
        return pd.DataFrame(rows, columns=list(COLUMNS))


def figure(value) -> float | None:
    """A figure as a float; None when missing."""
    if value is None or pd.isna(value):
        return None
    return float(value)
