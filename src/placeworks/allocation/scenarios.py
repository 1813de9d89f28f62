"""Scenarios side by side: who gains, who loses, and by how much."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from placeworks.allocation.allocate import Allocation, AllocationError


@dataclass(frozen=True)
class Change:
    group: str
    name: str
    amounts: tuple[Decimal, ...]  # one per scenario, in order
    change: tuple[Decimal, ...]  # each scenario against the first, in pounds
    change_percent: tuple[Decimal | None, ...]


@dataclass(frozen=True)
class Comparison:
    scenarios: tuple[Allocation, ...]
    rows: tuple[Change, ...]

    def gainers(self, scenario: int = 1) -> list[Change]:
        """Groups better off in ``scenario`` than in the first, most gained first."""
        return sorted(
            (r for r in self.rows if r.change[scenario] > 0), key=lambda r: -r.change[scenario]
        )

    def losers(self, scenario: int = 1) -> list[Change]:
        return sorted(
            (r for r in self.rows if r.change[scenario] < 0), key=lambda r: r.change[scenario]
        )


def compare(allocations: list[Allocation]) -> Comparison:
    """Compare two or more allocations of the same groups (the first is the baseline)."""
    if len(allocations) < 2:
        raise AllocationError("a comparison needs two or more scenarios")
    groups = [tuple(sorted(a.amounts())) for a in allocations]
    if len(set(groups)) != 1:
        raise AllocationError("scenarios must share one grouping (the same groups)")
    first = allocations[0].amounts()
    names = {row.group: row.name for row in allocations[0].rows}
    rows = []
    for group in groups[0]:
        amounts = tuple(a.amounts()[group] for a in allocations)
        change = tuple(amount - first[group] for amount in amounts)
        percent = tuple(
            (c / first[group] * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
            if first[group]
            else None
            for c in change
        )
        rows.append(Change(group, names[group], amounts, change, percent))
    return Comparison(tuple(allocations), tuple(rows))
