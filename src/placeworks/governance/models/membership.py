"""One model: an organisation's dated membership of a partnership."""

from __future__ import annotations

from django.db import models

from placeworks.governance.models.agreement import Agreement
from placeworks.governance.models.base import Scoped, dates_ordered, history, scope_constraints
from placeworks.governance.models.organisation import Organisation
from placeworks.governance.models.partnership import Partnership


class Membership(Scoped):
    """An organisation in a partnership from ``start`` to ``end``, as a full or associate member
    or an observer, on the protocol or agreement named.

    An organisation has at most one open membership of a partnership: a change of level ends
    one membership and starts another, so the record shows when it changed.
    """

    class Level(models.TextChoices):
        FULL = "full", "Full partner"
        ASSOCIATE = "associate", "Associate partner"
        OBSERVER = "observer", "Observer"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    level = models.CharField(max_length=10, choices=Level.choices)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        help_text="The protocol or agreement the membership rests on.",
    )
    notes = models.TextField(blank=True)

    history = history()

    scope_parent = "partnership"

    class Meta:
        ordering = ("partnership", "organisation", "start")
        constraints = (
            *scope_constraints("membership"),
            dates_ordered("membership", "start", "end", "A membership ends after it starts."),
            models.UniqueConstraint(
                fields=("partnership", "organisation"),
                condition=models.Q(end__isnull=True),
                name="membership_one_open_per_organisation",
                violation_error_message=(
                    "This organisation already has an open membership of this partnership: end"
                    " it before starting another."
                ),
            ),
        )

    def __str__(self) -> str:
        return f"{self.organisation} in {self.partnership} ({self.get_level_display().lower()})"
