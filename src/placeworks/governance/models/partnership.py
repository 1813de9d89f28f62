"""One model: a partnership of organisations."""

from __future__ import annotations

from django.db import models

from placeworks.governance.models.agreement import Agreement
from placeworks.governance.models.base import (
    Scoped,
    dates_ordered,
    history,
    not_blank,
    scope_constraints,
)


class Partnership(Scoped):
    """Organisations working together for a place (or the whole ICB): an integrated care
    partnership, a place partnership, a district health and wellbeing partnership.

    ``shadow`` marks one running in shadow or interim form before its formal basis is agreed.
    """

    name = models.CharField(max_length=300)
    also_known_as = models.CharField(max_length=300, blank=True)
    shadow = models.BooleanField(default=False, help_text="Running in shadow or interim form.")
    established = models.DateField(null=True, blank=True)
    ended = models.DateField(null=True, blank=True)
    aims = models.TextField(blank=True)
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnerships",
        help_text="The protocol or agreement the partnership rests on.",
    )

    history = history()

    class Meta:
        ordering = ("name",)
        constraints = (
            *scope_constraints("partnership"),
            not_blank("partnership", "name", "A partnership needs a name."),
            dates_ordered(
                "partnership", "established", "ended", "A partnership ends after it starts."
            ),
        )

    def __str__(self) -> str:
        return self.name
