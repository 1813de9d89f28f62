"""One model: a legacy footprint's amount in a stored historic baseline."""

from __future__ import annotations

from django.db import models

from placeworks.web.baselines.models.historic_baseline import HistoricBaseline


class BaselineAmount(models.Model):
    """The budget of one legacy footprint (a sub-ICB location, e.g. former CCG ``00Q``)."""

    baseline = models.ForeignKey(HistoricBaseline, on_delete=models.CASCADE, related_name="amounts")
    footprint = models.CharField("footprint code", max_length=5)
    name = models.CharField(max_length=200)
    amount = models.DecimalField("amount (£)", max_digits=16, decimal_places=2)

    class Meta:
        ordering = ("baseline", "footprint")
        constraints = (
            models.UniqueConstraint(
                fields=("baseline", "footprint"),
                name="baselineamount_one_per_footprint",
                violation_error_message="A footprint appears once in a baseline.",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0),
                name="baselineamount_amount_not_negative",
                violation_error_message="An amount is zero or more.",
            ),
        )

    def __str__(self) -> str:
        return f"{self.footprint}: £{self.amount:,}"
