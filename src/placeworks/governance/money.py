"""Pooled fund totals in exact pounds and pence, reconciled every way they are added up.

Nothing here imports Django.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from placeworks.governance.codes import financial_year_problem

PENNY = Decimal("0.01")


class ReconciliationError(AssertionError):
    """Totals that should agree do not: a bug, never a user's mistake."""


@dataclass(frozen=True)
class FundTotals:
    """A fund's contributions added up by year, by partner, by both and in all.

    ``by_year`` and ``by_partner`` are in financial-year order and first-contribution order
    respectively; every total is a Decimal of pounds with two decimal places, and
    ``sum(by_year) == sum(by_partner) == sum(by_year_partner) == total`` always holds.
    """

    by_year: Mapping[str, Decimal]
    by_partner: Mapping[Hashable, Decimal]
    by_year_partner: Mapping[tuple[str, Hashable], Decimal]
    total: Decimal

    @property
    def years(self) -> tuple[str, ...]:
        return tuple(self.by_year)

    @property
    def partners(self) -> tuple[Hashable, ...]:
        return tuple(self.by_partner)


def fund_totals(rows: Iterable[tuple[str, Hashable, Decimal]]) -> FundTotals:
    """Add up ``(financial year, partner, amount)`` rows; raise ValueError for a bad row.

    Amounts must be Decimals of whole pence, zero or more; each (year, partner) appears once.
    """
    cells: dict[tuple[str, Hashable], Decimal] = {}
    for year, partner, amount in rows:
        problem = financial_year_problem(year)
        if problem:
            raise ValueError(problem)
        if not isinstance(amount, Decimal) or not amount.is_finite():
            raise ValueError(f"{year}, {partner}: the amount {amount!r} is not a Decimal")
        if amount < 0 or amount != amount.quantize(PENNY):
            raise ValueError(f"{year}, {partner}: £{amount} is not zero or more in whole pence")
        if (year, partner) in cells:
            raise ValueError(f"{year}, {partner}: a partner contributes once a year to a fund")
        cells[(year, partner)] = amount.quantize(PENNY)
    by_year: dict[str, Decimal] = {}
    by_partner: dict[Hashable, Decimal] = {}
    for (year, partner), amount in sorted(cells.items(), key=lambda item: item[0][0]):
        by_year[year] = by_year.get(year, Decimal("0.00")) + amount
        by_partner[partner] = by_partner.get(partner, Decimal("0.00")) + amount
    total = sum(cells.values(), Decimal("0.00"))
    for what, parts in (("years", by_year), ("partners", by_partner)):
        if sum(parts.values(), Decimal("0.00")) != total:
            raise ReconciliationError(f"the {what} do not add up to the fund's total £{total:,}")
    return FundTotals(
        by_year=MappingProxyType(by_year),
        by_partner=MappingProxyType(by_partner),
        by_year_partner=MappingProxyType(dict(sorted(cells.items(), key=lambda i: i[0][0]))),
        total=total,
    )
