"""One model: a category of risk and the partnership's appetite for it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from placeworks.governance.codes import SLUG_REGEX
from placeworks.governance.models.base import Scoped, history, not_blank, scope_constraints
from placeworks.governance.models.risk_matrix import RiskMatrix
from placeworks.governance.risks import MAX_LEVELS, check_appetite


class RiskCategory(Scoped):
    """People, Finance, Variation ...: each with an appetite, the highest current score on its
    matrix the partnership tolerates. A risk scoring above it is flagged."""

    matrix = models.ForeignKey(RiskMatrix, on_delete=models.PROTECT, related_name="categories")
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    appetite = models.PositiveSmallIntegerField(
        help_text="The highest current score tolerated (likelihood × impact)."
    )
    description = models.TextField(blank=True)

    history = history()

    scope_parent = "matrix"

    class Meta:
        ordering = ("matrix", "name")
        verbose_name_plural = "risk categories"
        constraints = (
            *scope_constraints("riskcategory"),
            not_blank("riskcategory", "name", "A category needs a name."),
            models.CheckConstraint(
                condition=models.Q(code__regex=SLUG_REGEX),
                name="riskcategory_code_format",
                violation_error_message=(
                    "A category's code is lower-case letters, digits and underscores."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(appetite__gte=1, appetite__lte=MAX_LEVELS * MAX_LEVELS),
                name="riskcategory_appetite_is_a_score",
                violation_error_message="An appetite is a score of 1 or more.",
            ),
            models.UniqueConstraint(
                fields=("matrix", "code"),
                name="riskcategory_code_unique",
                violation_error_message="The matrix already has a category with this code.",
            ),
        )

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.matrix_id and self.appetite is not None:
            try:
                check_appetite(self.matrix.spec(), self.appetite)
            except ValueError as exc:
                raise ValidationError({"appetite": f"{str(exc).capitalize()}."}) from exc
