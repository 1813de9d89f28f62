"""Variation of an indicator across an ICB's places, localities, districts, neighbourhoods or PCNs.

``variation(icb, grouping, indicator)`` applies the indicator methods to the shipped data along
the geography tree (``placeworks.geography``) and returns each group's value with its limits and
its significance against the ICB, the funnel plot's control limits around the ICB value, a time
series with XmR limits where one exists, and the slope index of inequality of the indicator
across the ICB's deprivation deciles. See docs/indicator-methods.md, "Variation".

- **QOF prevalence** (``qof-*``): practice registers and list sizes (QOF 2020-21) are summed to
  the groups on the engine; the tree is the 2023/24 one (the nearest to 2020-21 and the year of
  the PCN file). Wilson limits at 95% and 99.8%; a group is significantly higher than the ICB
  when its lower limit is above the ICB value and lower when its upper limit is below it
  (OHID's comparison with a benchmark).
- **Deprivation** (``imd-2019``): IMD 2019 score weighted by residents over the group's small
  areas (PCNs: IoD2019 of registered patients weighted by list size). No limits.
- **Health Index** (``health-index*``): ONS Health Index of the 2021 district each small area lay
  in, weighted by residents; 2015-2021, so each group has a series for an XmR chart.

The modules, one job each: ``results`` (``GroupValue``, ``Variation``), ``tree`` (the ICB's
practices and small areas along its geography tree), ``groups`` (the groups of a grouping and
their sums), ``comparison`` (limits, significance against the ICB, the funnel), ``sii`` (the
slope index of inequality across deprivation deciles), ``qof``, ``scores`` and
``health_index`` (one per kind of indicator) and ``api`` (``variation`` itself).
"""

from placeworks.indicators.catalogue import IndicatorDefinition, catalogue, groupings
from placeworks.indicators.variation.api import variation
from placeworks.indicators.variation.comparison import significance
from placeworks.indicators.variation.results import SIGNIFICANCE, GroupValue, Variation
from placeworks.indicators.variation.sii import SII_REPETITIONS, SII_SEED
from placeworks.indicators.variation.tree import (
    AREAS,
    LEVELS,
    NO_PCN_CODE,
    NO_PCN_NAME,
    ORDER,
    PATH,
    TREE_YEAR,
)

__all__ = [
    "AREAS",
    "LEVELS",
    "NO_PCN_CODE",
    "NO_PCN_NAME",
    "ORDER",
    "PATH",
    "SIGNIFICANCE",
    "SII_REPETITIONS",
    "SII_SEED",
    "TREE_YEAR",
    "GroupValue",
    "IndicatorDefinition",
    "Variation",
    "catalogue",
    "groupings",
    "significance",
    "variation",
]
