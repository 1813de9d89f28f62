"""One model: a service relevant to health, who provides it and where."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models

from placeworks.governance.codes import NEIGHBOURHOOD_CODE_REGEX
from placeworks.governance.models.base import Scoped, history, not_blank, scope_constraints
from placeworks.governance.models.organisation import Organisation


def check_neighbourhoods(value: object) -> list[str]:
    """Neighbourhood codes as a list of distinct codes of a geography definition; ValueError."""
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValueError("Neighbourhoods are a list of codes such as QE1-WL-SKEL")
    bad = [code for code in value if not re.fullmatch(NEIGHBOURHOOD_CODE_REGEX, code)]
    if bad:
        raise ValueError(f"Not neighbourhood codes: {', '.join(repr(code) for code in bad)}")
    repeated = sorted({code for code in value if value.count(code) > 1})
    if repeated:
        raise ValueError(f"Each neighbourhood appears once: {', '.join(repeated)} repeat")
    return value


class Service(Scoped):
    """A service relevant to health (social housing, Disabled Facilities Grants, leisure centres,
    social prescribing ...): its provider, the partners it is delivered with or for, and the
    neighbourhoods it serves (codes of the ICB's geography definition; empty for everywhere)."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        RUNNING = "running", "Running"
        ENDED = "ended", "Ended"

    name = models.CharField(max_length=300)
    area = models.CharField(
        max_length=200, blank=True, help_text="The provider's service area, such as Housing."
    )
    description = models.TextField(blank=True)
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="services_provided"
    )
    partners = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="services_shared",
        help_text="Organisations it is delivered with or on behalf of.",
    )
    neighbourhoods = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)

    history = history(m2m_fields=[partners])

    class Meta:
        ordering = ("area", "name")
        constraints = (
            *scope_constraints("service"),
            not_blank("service", "name", "A service needs a name."),
        )

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        try:
            check_neighbourhoods(self.neighbourhoods)
        except ValueError as exc:
            raise ValidationError({"neighbourhoods": f"{exc}."}) from exc

    def clean_related(self) -> None:
        if self.partners.filter(pk=self.provider_id).exists():
            raise ValidationError({"partners": "The provider is not also listed as a partner."})
