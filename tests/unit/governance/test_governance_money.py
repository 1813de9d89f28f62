"""Pooled fund totals: exact pence, reconciled every way, bad rows refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from placeworks.governance.codes import financial_year_problem
from placeworks.governance.money import fund_totals


def test_totals_by_year_partner_and_both():
    totals = fund_totals(
        [
            ("2025/26", "ICB", Decimal("100.10")),
            ("2024/25", "ICB", Decimal("50.00")),
            ("2024/25", "LCC", Decimal("0.20")),
        ]
    )
    assert dict(totals.by_year) == {"2024/25": Decimal("50.20"), "2025/26": Decimal("100.10")}
    assert dict(totals.by_partner) == {"ICB": Decimal("150.10"), "LCC": Decimal("0.20")}
    assert totals.by_year_partner[("2024/25", "LCC")] == Decimal("0.20")
    assert totals.total == Decimal("150.30")
    assert totals.years == ("2024/25", "2025/26")
    empty = fund_totals([])
    assert empty.total == Decimal("0.00")
    assert dict(empty.by_year) == {}


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (("2024/26", "ICB", Decimal(1)), "2024 is followed by 25"),
        (("24/25", "ICB", Decimal(1)), "not a financial year written like 2024/25"),
        (("2024/25", "ICB", 1.5), "is not a Decimal"),
        (("2024/25", "ICB", Decimal("NaN")), "is not a Decimal"),
        (("2024/25", "ICB", Decimal("-0.01")), "not zero or more in whole pence"),
        (("2024/25", "ICB", Decimal("0.001")), "not zero or more in whole pence"),
    ],
)
def test_bad_rows_are_refused_by_name(row, message):
    with pytest.raises(ValueError, match=message):
        fund_totals([row])


def test_a_partner_contributes_once_a_year():
    with pytest.raises(ValueError, match="a partner contributes once a year"):
        fund_totals([("2024/25", "ICB", Decimal(1)), ("2024/25", "ICB", Decimal(2))])


def test_financial_years_run_april_to_march_across_centuries():
    assert financial_year_problem("1999/00") is None
    assert financial_year_problem("2099/00") is None
    assert financial_year_problem("2024/25") is None
    assert "is followed by 25" in financial_year_problem("2024/24")


pence = st.integers(0, 10**15).map(lambda p: Decimal(p) / 100)
rows = st.dictionaries(
    st.tuples(st.sampled_from(["2023/24", "2024/25", "2025/26"]), st.sampled_from("ABCDE")),
    pence,
)


@given(rows)
def test_totals_always_reconcile(cells):
    totals = fund_totals((year, partner, amount) for (year, partner), amount in cells.items())
    exact = sum(cells.values(), Decimal(0))
    assert totals.total == exact
    assert sum(totals.by_year.values(), Decimal(0)) == exact
    assert sum(totals.by_partner.values(), Decimal(0)) == exact
    assert sum(totals.by_year_partner.values(), Decimal(0)) == exact
    for year, amount in totals.by_year.items():
        assert amount == sum((a for (y, _), a in cells.items() if y == year), Decimal(0))
