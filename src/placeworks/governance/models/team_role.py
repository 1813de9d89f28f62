"""One model: a role in a neighbourhood team."""

from __future__ import annotations

from django.db import models

from placeworks.governance.models.base import Scoped, history, not_blank, scope_constraints
from placeworks.governance.models.neighbourhood_team import NeighbourhoodTeam
from placeworks.governance.models.organisation import Organisation


class TeamRole(Scoped):
    """A profession or role in a neighbourhood team (GP, pharmacist, district nurse, community
    geriatrician, dementia worker, social care ...), the organisation that employs it if known,
    and how many people or whole-time equivalents if known."""

    team = models.ForeignKey(NeighbourhoodTeam, on_delete=models.PROTECT, related_name="roles")
    role = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="team_roles"
    )
    whole_time_equivalent = models.DecimalField(
        max_digits=6, decimal_places=2, null=True, blank=True
    )

    history = history()

    scope_parent = "team"

    class Meta:
        ordering = ("team", "role")
        constraints = (
            *scope_constraints("teamrole"),
            not_blank("teamrole", "role", "Name the role."),
            models.UniqueConstraint(
                fields=("team", "role"),
                name="teamrole_once_per_team",
                violation_error_message="The team already has this role.",
            ),
            models.CheckConstraint(
                condition=models.Q(whole_time_equivalent__isnull=True)
                | models.Q(whole_time_equivalent__gte=0),
                name="teamrole_wte_not_negative",
                violation_error_message="Whole-time equivalents are zero or more.",
            ),
        )

    def __str__(self) -> str:
        return f"{self.role}, {self.team}"
