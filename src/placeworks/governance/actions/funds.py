"""Contributions to pooled funds and their totals."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from placeworks.governance.models import Contribution, Organisation, PooledFund
from placeworks.governance.money import FundTotals, ReconciliationError, fund_totals
from placeworks.governance.scope import require_view, visible

from .records import create


@transaction.atomic
def record_contribution(
    fund: PooledFund,
    partner: Organisation,
    financial_year: str,
    amount: Decimal | str,
    *,
    by,
    notes: str = "",
) -> Contribution:
    """Record what ``partner`` puts into ``fund`` in ``financial_year`` ("2024/25").

    ``amount`` is pounds as a Decimal or its text ("1234.50"); a float is refused because it
    cannot hold pence exactly. Bad input raises ``ValidationError`` naming the field.
    """
    return create(
        Contribution,
        by=by,
        fund=fund,
        partner=partner,
        financial_year=financial_year,
        amount=_pounds(amount),
        notes=notes,
    )


def pooled_fund_totals(fund: PooledFund, *, by) -> FundTotals:
    """A fund's contributions by year, by partner, by both and in all, as ``by`` may see them.

    The totals are exact Decimals and reconcile every way: the years and the partners each add
    up to the total, which equals the database's own sum.
    """
    require_view(by, fund)
    rows = (
        visible(by, Contribution)
        .filter(fund=fund)
        .select_related("partner")
        .order_by("financial_year", "id")
    )
    totals = fund_totals((row.financial_year, row.partner, row.amount) for row in rows)
    stored = rows.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    if stored != totals.total:
        raise ReconciliationError(
            f"{fund}: the contributions add up to £{totals.total:,} but the database sums"
            f" £{stored:,}"
        )
    return totals


def _pounds(amount: Decimal | str) -> Decimal:
    if isinstance(amount, float):
        raise ValidationError(
            {"amount": "Give an amount as text or a Decimal: a float cannot hold pence exactly."}
        )
    try:
        value = Decimal(str(amount).replace(",", "").removeprefix("£").strip())
    except InvalidOperation:
        raise ValidationError({"amount": f"{amount!r} is not an amount of pounds."}) from None
    if not value.is_finite():
        raise ValidationError({"amount": f"{amount!r} is not an amount of pounds."})
    return value
