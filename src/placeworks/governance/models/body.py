"""One model: a board, committee, partnership meeting, group or workstream."""

from __future__ import annotations

from django.db import models

from placeworks.governance.models.base import (
    Scoped,
    dates_ordered,
    history,
    not_blank,
    scope_constraints,
)
from placeworks.governance.models.organisation import Organisation
from placeworks.governance.models.partnership import Partnership


class Body(Scoped):
    """A group that meets and decides, advises or oversees: the ICB board, a place board, a
    council's cabinet or scrutiny committee, a health and wellbeing board, key system leaders.

    A body belongs to an organisation (a council's cabinet), to a partnership (its board or
    workstreams), or to both; it has terms of reference and meets at a cadence.
    """

    class Kind(models.TextChoices):
        ICB_BOARD = "icb_board", "ICB board"
        PLACE_BOARD = "place_board", "Place board"
        PLACE_PARTNERSHIP = "place_partnership", "Place partnership"
        HEALTH_AND_WELLBEING_BOARD = "health_and_wellbeing_board", "Health and wellbeing board"
        DISTRICT_PARTNERSHIP = "district_partnership", "District health and wellbeing partnership"
        CABINET = "cabinet", "Cabinet"
        FULL_COUNCIL = "full_council", "Full council"
        SCRUTINY_COMMITTEE = "scrutiny_committee", "Scrutiny committee"
        SYSTEM_LEADERS = "system_leaders", "Key system leaders group"
        WORKSTREAM = "workstream", "Workstream"
        OTHER = "other", "Other"

    class Cadence(models.TextChoices):
        WEEKLY = "weekly", "Weekly"
        FORTNIGHTLY = "fortnightly", "Fortnightly"
        MONTHLY = "monthly", "Monthly"
        BIMONTHLY = "bimonthly", "Every two months"
        QUARTERLY = "quarterly", "Quarterly"
        TWICE_YEARLY = "twice_yearly", "Twice a year"
        ANNUALLY = "annually", "Annually"
        AS_NEEDED = "as_needed", "As needed"

    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="bodies"
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, null=True, blank=True, related_name="bodies"
    )
    interim = models.BooleanField(default=False)
    terms_of_reference = models.TextField(blank=True)
    cadence = models.CharField(max_length=15, choices=Cadence.choices, blank=True)
    established = models.DateField(null=True, blank=True)
    dissolved = models.DateField(null=True, blank=True)

    history = history()

    class Meta:
        ordering = ("name",)
        verbose_name_plural = "bodies"
        constraints = (
            *scope_constraints("body"),
            not_blank("body", "name", "A body needs a name."),
            dates_ordered("body", "established", "dissolved", "A body ends after it starts."),
        )

    def __str__(self) -> str:
        return self.name
