"""One model: a milestone of a workstream."""

from __future__ import annotations

from django.db import models

from placeworks.governance.models.base import Scoped, history, not_blank, scope_constraints
from placeworks.governance.models.workstream import Workstream


class Milestone(Scoped):
    """Something a workstream is to achieve by a date; done when ``completed_on`` is set."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        LATE = "late", "Late"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    workstream = models.ForeignKey(Workstream, on_delete=models.PROTECT, related_name="milestones")
    title = models.CharField(max_length=300)
    due_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    notes = models.TextField(blank=True)

    history = history()

    scope_parent = "workstream"

    class Meta:
        ordering = ("workstream", "due_on", "id")
        constraints = (
            *scope_constraints("milestone"),
            not_blank("milestone", "title", "A milestone needs a title."),
            models.CheckConstraint(
                condition=models.Q(status="done", completed_on__isnull=False)
                | (~models.Q(status="done") & models.Q(completed_on__isnull=True)),
                name="milestone_done_when_completed",
                violation_error_message="A milestone is done exactly when it has a completion"
                " date.",
            ),
        )

    def __str__(self) -> str:
        return f"{self.workstream}: {self.title}"
