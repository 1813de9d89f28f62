"""One model: a workstream of a partnership."""

from __future__ import annotations

from django.db import models

from placeworks.governance.models.base import (
    Scoped,
    dates_ordered,
    history,
    not_blank,
    scope_constraints,
)
from placeworks.governance.models.body import Body
from placeworks.governance.models.organisation import Organisation
from placeworks.governance.models.partnership import Partnership
from placeworks.governance.models.post import Post


class Workstream(Scoped):
    """A strand of a partnership's work (finance, governance, communications and engagement),
    with a lead, milestones (:class:`Milestone`) and a status."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=300)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, null=True, blank=True, related_name="workstreams"
    )
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, null=True, blank=True, related_name="workstreams"
    )
    lead_post = models.ForeignKey(
        Post, on_delete=models.PROTECT, null=True, blank=True, related_name="workstreams_led"
    )
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="workstreams_led",
    )
    purpose = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    started = models.DateField(null=True, blank=True)
    ended = models.DateField(null=True, blank=True)

    history = history()

    class Meta:
        ordering = ("name",)
        constraints = (
            *scope_constraints("workstream"),
            not_blank("workstream", "name", "A workstream needs a name."),
            dates_ordered("workstream", "started", "ended", "A workstream ends after it starts."),
            models.CheckConstraint(
                condition=~models.Q(status="closed") | models.Q(ended__isnull=False),
                name="workstream_closed_has_end",
                violation_error_message="A closed workstream has an end date.",
            ),
        )

    def __str__(self) -> str:
        return self.name
