"""NHS England-style component indices for a grouping, as the place-based allocation tool shows
them (see :mod:`placeworks.allocation.nhse` for its exact arithmetic)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from placeworks.allocation import nhse
from placeworks.allocation.functions import COMPONENTS
from placeworks.allocation.groupings import Grouping, resolve
from placeworks.allocation.inputs import tool_inputs
from placeworks.allocation.totals import Totals


@dataclass(frozen=True)
class IndexRow:
    group: str
    name: str
    practices: int
    population: int  # registered, rounded half up to whole people as the tool does
    indices: dict[str, Decimal]  # component -> index against the ICB
    indices_england: dict[str, Decimal]


def indices(
    icb: str,
    year: str,
    grouping: str | Grouping,
    *,
    totals: Totals | None = None,
    level: str | None = None,
) -> list[IndexRow]:
    """One row per group: each NHS England component's index against the ICB and England."""
    totals = totals or Totals()
    if isinstance(grouping, str):
        grouping = resolve(grouping, icb, year)
    frame = tool_inputs(year)
    membership = grouping.members(grouping.level_index(level))
    england = totals.by_group(frame, dict.fromkeys(frame["practice_code"], "England"))["England"]
    icb_frame = frame[frame["icb_code"] == icb]
    icb_total = totals.by_group(icb_frame, dict.fromkeys(icb_frame["practice_code"], icb))[icb]
    groups = totals.by_group(icb_frame, membership)
    rows = []
    for group in sorted(groups):
        t = groups[group]
        rows.append(
            IndexRow(
                group=group,
                name=grouping.names.get(group, group),
                practices=t["practices"],
                population=nhse.round_people(t["registered"]),
                indices={
                    c: nhse.index(t[c], t["registered"], icb_total[c], icb_total["registered"])
                    for c in COMPONENTS
                },
                indices_england={
                    c: nhse.index(t[c], t["registered"], england[c], england["registered"])
                    for c in COMPONENTS
                },
            )
        )
    return rows
