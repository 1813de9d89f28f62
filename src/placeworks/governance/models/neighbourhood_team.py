"""One model: a neighbourhood's multidisciplinary team."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from placeworks.governance.codes import NEIGHBOURHOOD_CODE_REGEX
from placeworks.governance.models.base import Scoped, history, not_blank, scope_constraints


class NeighbourhoodTeam(Scoped):
    """The expanded multidisciplinary team of one neighbourhood (a code of the ICB's geography
    definition, such as QE1-WL-SKEL), with its roles as :class:`TeamRole` rows."""

    place_required = True

    name = models.CharField(max_length=300)
    neighbourhood = models.CharField(max_length=40)
    population = models.PositiveIntegerField(null=True, blank=True)
    description = models.TextField(blank=True)

    history = history()

    class Meta:
        ordering = ("neighbourhood", "name")
        constraints = (
            *scope_constraints("neighbourhoodteam"),
            not_blank("neighbourhoodteam", "name", "A team needs a name."),
            models.CheckConstraint(
                condition=models.Q(neighbourhood__regex=NEIGHBOURHOOD_CODE_REGEX),
                name="neighbourhoodteam_neighbourhood_code",
                violation_error_message="A neighbourhood is a code such as QE1-WL-SKEL.",
            ),
            models.CheckConstraint(
                condition=models.Q(place__isnull=False),
                name="neighbourhoodteam_has_place",
                violation_error_message="A neighbourhood team is in a place.",
            ),
        )

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        code = self.neighbourhood
        if code and self.icb_code and not code.startswith(f"{self.icb_code}-"):
            raise ValidationError(
                {
                    "neighbourhood": f"{self.neighbourhood} is not a neighbourhood of"
                    f" {self.icb_code}: its codes begin {self.icb_code}-."
                }
            )
