"""Geography: ICB > place > locality > district > neighbourhood > PCN > GP practice, by year.

Public API::

    icbs(year) -> list[IcbSummary]          every ICB in the year's NHS England data
    icb_tree(icb, year, definition) -> Node  the tree under one ICB
    find(code, year) -> Node                 the tree under any ICB, place, locality, district
"""

from placeworks.geography.api import IcbSummary, find, icb_tree, icbs
from placeworks.geography.areas import DEFAULT_YEAR, YEARS
from placeworks.geography.definitions import IcbDefinition, parse_definition, shipped_definitions
from placeworks.geography.nodes import Level, Node

__all__ = [
    "DEFAULT_YEAR",
    "YEARS",
    "IcbDefinition",
    "IcbSummary",
    "Level",
    "Node",
    "find",
    "icb_tree",
    "icbs",
    "parse_definition",
    "shipped_definitions",
]
