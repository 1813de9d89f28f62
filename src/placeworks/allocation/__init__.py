"""Allocation: share each delegated function's budget between places, localities and
neighbourhoods by historic, population, need-weighted and blended methods, with convergence,
exact money and scenarios side by side."""

from placeworks.allocation.allocate import Allocation, AllocationError, Config, Row, allocate
from placeworks.allocation.baselines import Baseline
from placeworks.allocation.baselines import example as example_baseline
from placeworks.allocation.baselines import read as read_baseline
from placeworks.allocation.functions import COMPONENTS, Function, function, functions
from placeworks.allocation.groupings import SHIPPED as SHIPPED_GROUPINGS
from placeworks.allocation.groupings import Grouping, from_csv, resolve, shipped
from placeworks.allocation.indices import IndexRow, indices
from placeworks.allocation.methods import Blend, Convergence, Historic, Method, Need, Population
from placeworks.allocation.scenarios import Comparison, compare
from placeworks.allocation.totals import Totals

__all__ = [
    "COMPONENTS",
    "SHIPPED_GROUPINGS",
    "Allocation",
    "AllocationError",
    "Baseline",
    "Blend",
    "Comparison",
    "Config",
    "Convergence",
    "Function",
    "Grouping",
    "Historic",
    "IndexRow",
    "Method",
    "Need",
    "Population",
    "Row",
    "Totals",
    "allocate",
    "compare",
    "example_baseline",
    "from_csv",
    "function",
    "functions",
    "indices",
    "read_baseline",
    "resolve",
    "shipped",
]
