"""One model: what one partner puts into a pooled fund in one financial year."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from placeworks.governance.codes import FINANCIAL_YEAR_REGEX, financial_year_problem
from placeworks.governance.models.base import Scoped, history, scope_constraints
from placeworks.governance.models.organisation import Organisation
from placeworks.governance.models.pooled_fund import PooledFund


class Contribution(Scoped):
    """A partner's contribution to a fund for a financial year ("2024/25"), in pounds and pence.

    One per partner per year; the partner is a party to the fund's agreement.
    """

    fund = models.ForeignKey(PooledFund, on_delete=models.PROTECT, related_name="contributions")
    partner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contributions"
    )
    financial_year = models.CharField(max_length=7, help_text="Such as 2024/25.")
    amount = models.DecimalField("amount (£)", max_digits=16, decimal_places=2)
    notes = models.TextField(blank=True)

    history = history()

    scope_parent = "fund"

    class Meta:
        ordering = ("fund", "financial_year", "partner")
        constraints = (
            *scope_constraints("contribution"),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0),
                name="contribution_amount_not_negative",
                violation_error_message="A contribution is zero or more.",
            ),
            models.CheckConstraint(
                condition=models.Q(financial_year__regex=FINANCIAL_YEAR_REGEX),
                name="contribution_financial_year_format",
                violation_error_message="A financial year is written like 2024/25.",
            ),
            models.UniqueConstraint(
                fields=("fund", "partner", "financial_year"),
                name="contribution_one_per_partner_year",
                violation_error_message=(
                    "This partner already has a contribution to this fund for this year."
                ),
            ),
        )

    def __str__(self) -> str:
        return f"{self.partner}, {self.financial_year}: £{self.amount:,}"

    def clean(self) -> None:
        super().clean()
        problem = financial_year_problem(self.financial_year or "")
        if problem:
            raise ValidationError({"financial_year": f"{problem}."})
        if self.fund_id and self.partner_id:
            agreement = self.fund.agreement
            if not agreement.parties.filter(pk=self.partner_id).exists():
                raise ValidationError({"partner": f"{self.partner} is not a party to {agreement}."})
