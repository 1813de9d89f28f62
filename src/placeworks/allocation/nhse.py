"""Need indices exactly as NHS England's place-based allocation tool computes them.

For a group of practices and a component, NHS England defines::

    index = (WP_group / Pop_group) / (WP_icb / Pop_icb)

and its tool (nhsengland/ICB_Allocation_Tool_update, 2025/26) computes it in these steps, which
are reproduced here so that placeworks' figures match the tool's to its three decimals:

1. every missing or zero value in the practice file is replaced by 1;
2. each group's and the ICB's sums of population and weighted population are rounded half up to
   whole people;
3. the ICB ratio ``WP/Pop`` and the group index are computed in binary floating point;
4. the index is rounded half up to three decimals (on its shortest decimal representation).

Indices against England use the national sums in the same way.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from placeworks.allocation.functions import COMPONENTS
from placeworks.allocation.inputs import MICRO

# The tool's index columns, by component.
INDEX_NAMES = {
    "general_acute": "G&A Index",
    "community": "Community Index",
    "mental_health": "Mental Health Index",
    "maternity": "Maternity Index",
    "prescribing": "Prescribing Index",
    "core": "Overall Core Index",
    "primary_medical_care": "Primary Medical Care Index",
    "primary_medical_care_need": "Primary Medical Care Need Index",
    "health_inequalities": "Health Inequalities Index",
}
assert set(INDEX_NAMES) == set(COMPONENTS)


def round_people(micro: int) -> int:
    """A sum in micro-persons rounded half up to whole people (the tool's ``excel_round(x, 1)``)."""
    return int((Decimal(micro) / MICRO).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def round_index(value: float) -> Decimal:
    """Half up to three decimals, on the float's shortest representation (as the tool does)."""
    return Decimal(str(value)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def index(group_wp: int, group_pop: int, base_wp: int, base_pop: int) -> Decimal:
    """The tool's index of a group against a base (the ICB or England), from micro-unit sums."""
    base = round_people(base_wp) / round_people(base_pop)
    return round_index(round_people(group_wp) / round_people(group_pop) / base)
