"""One model: a likelihood by impact risk matrix with its bands, as validated data."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from pydantic import ValidationError as SchemaError

from placeworks.governance.models.base import Scoped, history, not_blank, scope_constraints
from placeworks.governance.models.readiness_framework import schema_message
from placeworks.governance.risks import MAX_LEVELS, RiskMatrixSpec, default_matrix


def default_likelihood() -> list[str]:
    return list(default_matrix().likelihood)


def default_impact() -> list[str]:
    return list(default_matrix().impact)


def default_bands() -> list[dict]:
    return [band.model_dump(exclude_none=True) for band in default_matrix().bands]


class RiskMatrix(Scoped):
    """The scales and bands a risk register scores against (NPSA 5 × 5 by default).

    ``likelihood`` and ``impact`` are the labels of each scale, lowest first; ``bands`` are
    ``{name, max_score, colour}`` from the lowest scores up, validated by
    :class:`placeworks.governance.risks.RiskMatrixSpec`. The scale sizes are kept as columns so
    that the database can check every risk's scores; a matrix with risks is not resized.
    """

    name = models.CharField(max_length=200)
    likelihood = models.JSONField(default=default_likelihood)
    impact = models.JSONField(default=default_impact)
    bands = models.JSONField(default=default_bands)
    likelihood_levels = models.PositiveSmallIntegerField(editable=False, default=5)
    impact_levels = models.PositiveSmallIntegerField(editable=False, default=5)

    history = history()

    class Meta:
        ordering = ("name",)
        verbose_name_plural = "risk matrices"
        constraints = (
            *scope_constraints("riskmatrix"),
            not_blank("riskmatrix", "name", "A risk matrix needs a name."),
            models.CheckConstraint(
                condition=models.Q(
                    likelihood_levels__gte=2,
                    likelihood_levels__lte=MAX_LEVELS,
                    impact_levels__gte=2,
                    impact_levels__lte=MAX_LEVELS,
                ),
                name="riskmatrix_size",
                violation_error_message=f"A matrix has 2 to {MAX_LEVELS} levels each way.",
            ),
        )

    def __str__(self) -> str:
        return f"{self.name} ({self.likelihood_levels} × {self.impact_levels})"

    def spec(self) -> RiskMatrixSpec:
        return RiskMatrixSpec.model_validate(
            {"likelihood": self.likelihood, "impact": self.impact, "bands": self.bands}
        )

    def clean(self) -> None:
        super().clean()
        try:
            spec = self.spec()
        except SchemaError as exc:
            raise ValidationError({"bands": schema_message(exc)}) from exc
        size = (len(spec.likelihood), len(spec.impact))
        if self.pk and size != (self.likelihood_levels, self.impact_levels):
            from placeworks.governance.models.risk import Risk

            if Risk.objects.filter(category__matrix=self).exists():
                raise ValidationError(
                    {"likelihood": "Risks are scored on this matrix: make a new matrix to resize."}
                )

    def save(self, *args, **kwargs):
        self.likelihood_levels = len(self.likelihood)
        self.impact_levels = len(self.impact)
        super().save(*args, **kwargs)
