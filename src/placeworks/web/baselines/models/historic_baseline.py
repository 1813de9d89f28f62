"""One model: a historic baseline a partnership uploaded for an ICB."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from placeworks.allocation import Baseline
from placeworks.web.footprints.models import ICB_CODE_REGEX


class HistoricBaselineQuerySet(models.QuerySet):
    def for_icb(self, icb_code: str) -> HistoricBaselineQuerySet:
        """The baselines of one ICB: the only way pages reach them."""
        return self.filter(icb_code=icb_code)


class HistoricBaseline(models.Model):
    """Budgets by legacy footprint (former CCG areas) for one ICB, as a partnership uploaded them.

    Write it through :func:`placeworks.web.baselines.actions.import_baseline`, which validates the
    file whole first; the amounts are :class:`BaselineAmount` rows.
    """

    icb_code = models.CharField("ICB ODS code", max_length=3)
    name = models.CharField(max_length=200)
    illustrative = models.BooleanField(
        default=False,
        help_text="Made-up amounts: every output says ILLUSTRATIVE.",
    )
    source_filename = models.CharField("source file", max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HistoricBaselineQuerySet.as_manager()

    class Meta:
        ordering = ("icb_code", "-created_at", "-id")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(icb_code__regex=ICB_CODE_REGEX),
                name="historicbaseline_icb_code_is_ods",
                violation_error_message="The ICB code must be an ODS code such as QE1.",
            ),
            models.CheckConstraint(
                condition=~models.Q(name=""),
                name="historicbaseline_name_not_empty",
                violation_error_message="A baseline needs a name.",
            ),
        )

    def __str__(self) -> str:
        label = " (ILLUSTRATIVE)" if self.illustrative else ""
        return f"{self.name}{label}, {self.icb_code}"

    def to_allocation_baseline(self) -> Baseline:
        """The stored amounts as the allocation's :class:`placeworks.allocation.Baseline`."""
        amounts = {}
        names = {}
        for row in self.amounts.order_by("footprint"):
            amounts[row.footprint] = row.amount
            names[row.footprint] = row.name
        return Baseline(amounts, names, self.source_filename, self.illustrative)
