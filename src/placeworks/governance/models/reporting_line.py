"""One model: a typed line between two bodies."""

from __future__ import annotations

from django.db import models

from placeworks.governance.models.base import Scoped, dates_ordered, history, scope_constraints
from placeworks.governance.models.body import Body


class ReportingLine(Scoped):
    """How one body stands to another: decides for it (under delegation), advises it, is
    accountable to it, or reports to it. District partnerships are accountable to the place
    partnership; the place board decides for the ICB board."""

    class Kind(models.TextChoices):
        DECIDES_FOR = "decides_for", "Decides for"
        ADVISES = "advises", "Advises"
        ACCOUNTABLE_TO = "accountable_to", "Is accountable to"
        REPORTS_TO = "reports_to", "Reports to"

    source = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="lines_out")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    target = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="lines_in")
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    history = history()

    scope_parent = "source"

    class Meta:
        ordering = ("source", "kind", "target")
        constraints = (
            *scope_constraints("reportingline"),
            dates_ordered("reportingline", "start", "end", "A line ends after it starts."),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")),
                name="reportingline_between_two_bodies",
                violation_error_message="A reporting line joins two different bodies.",
            ),
            models.UniqueConstraint(
                fields=("source", "kind", "target"),
                condition=models.Q(end__isnull=True),
                name="reportingline_one_open_per_kind",
                violation_error_message="These bodies already have an open line of this kind.",
            ),
        )

    def __str__(self) -> str:
        return f"{self.source} {self.get_kind_display().lower()} {self.target}"
