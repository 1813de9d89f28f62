"""One model: a variation of an agreement."""

from __future__ import annotations

from django.db import models

from placeworks.governance.models.agreement import Agreement
from placeworks.governance.models.base import Scoped, history, not_blank, scope_constraints


class AgreementVariation(Scoped):
    """A numbered change to an agreement, agreed on a date and effective from a date."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="variations")
    number = models.PositiveSmallIntegerField()
    agreed_on = models.DateField()
    effective_from = models.DateField(null=True, blank=True)
    description = models.TextField()

    history = history()

    scope_parent = "agreement"

    class Meta:
        ordering = ("agreement", "number")
        constraints = (
            *scope_constraints("agreementvariation"),
            models.UniqueConstraint(
                fields=("agreement", "number"),
                name="agreementvariation_number_unique",
                violation_error_message="An agreement has one variation of each number.",
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1),
                name="agreementvariation_number_positive",
                violation_error_message="Variations are numbered from 1.",
            ),
            not_blank("agreementvariation", "description", "Describe what the variation changes."),
        )

    def __str__(self) -> str:
        return f"{self.agreement}, variation {self.number}"
