"""One model: a dated assessment of a place's readiness for a function."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from placeworks.governance.models.base import Scoped, history, not_blank, scope_constraints
from placeworks.governance.models.body import Body
from placeworks.governance.models.function import Function
from placeworks.governance.models.readiness_framework import ReadinessFramework


class ReadinessAssessment(Scoped):
    """How ready a place was for a function on a date, on a framework, with the evidence: a level
    overall and, optionally, a level per criterion (``{criterion code: level code}``)."""

    place_required = True

    framework = models.ForeignKey(
        ReadinessFramework, on_delete=models.PROTECT, related_name="assessments"
    )
    function = models.ForeignKey(Function, on_delete=models.PROTECT, related_name="assessments")
    assessed_on = models.DateField()
    level = models.CharField(max_length=40)
    criteria = models.JSONField(default=dict, blank=True)
    evidence = models.TextField()
    assessed_by = models.ForeignKey(
        Body, on_delete=models.PROTECT, null=True, blank=True, related_name="assessments"
    )
    notes = models.TextField(blank=True)

    history = history()

    class Meta:
        ordering = ("place", "function", "-assessed_on")
        constraints = (
            *scope_constraints("readinessassessment"),
            models.CheckConstraint(
                condition=models.Q(place__isnull=False),
                name="readinessassessment_has_place",
                violation_error_message="A readiness assessment is of a place.",
            ),
            not_blank("readinessassessment", "evidence", "An assessment gives its evidence."),
            models.UniqueConstraint(
                fields=("framework", "place", "function", "assessed_on"),
                name="readinessassessment_one_per_day",
                violation_error_message=(
                    "This place already has an assessment for this function on this day."
                ),
            ),
        )

    def __str__(self) -> str:
        return f"{self.place_id} {self.function}: {self.level} ({self.assessed_on})"

    def clean(self) -> None:
        super().clean()
        if not self.framework_id:
            return
        criteria = self.criteria
        if not isinstance(criteria, dict):
            raise ValidationError({"criteria": "Criteria are {criterion code: level code}."})
        if self.framework.icb_code != self.icb_code:
            raise ValidationError({"framework": "The framework is another ICB's."})
        try:
            self.framework.spec().check_assessment(self.level, criteria)
        except ValueError as exc:
            field = "level" if str(exc).startswith(repr(self.level)) else "criteria"
            raise ValidationError({field: f"{exc}."}) from exc
