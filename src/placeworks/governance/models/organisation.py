"""One model: an organisation that is a partner, a provider, a host or a party."""

from __future__ import annotations

import datetime

from django.db import models

from placeworks.governance.codes import GSS_CODE_REGEX, ODS_CODE_REGEX
from placeworks.governance.models.base import (
    Scoped,
    dates_ordered,
    history,
    not_blank,
    scope_constraints,
)


class PermanentRecord(Exception):
    """A record the register keeps for ever was asked to be deleted."""


class OrganisationQuerySet(models.QuerySet):
    def delete(self):
        raise PermanentRecord(
            "Organisations are never deleted: close one with an end date and name its successor."
        )

    def current(self, on: datetime.date) -> OrganisationQuerySet:
        """The organisations open on ``on``."""
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=on),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=on),
        )


class Organisation(Scoped):
    """An NHS body, council, provider or voluntary organisation, with its ODS or GSS code.

    Never deleted: an organisation that closes gets ``valid_to`` and, if one took over its work,
    a ``successor`` (West Lancashire CCG closed on 30 June 2022; the ICB succeeded it). Every
    reference to it protects it.
    """

    class Kind(models.TextChoices):
        ICB = "icb", "Integrated care board"
        CCG = "ccg", "Clinical commissioning group"
        NHS_TRUST = "nhs_trust", "NHS trust"
        NHS_FOUNDATION_TRUST = "nhs_foundation_trust", "NHS foundation trust"
        COUNTY_COUNCIL = "county_council", "County council"
        DISTRICT_COUNCIL = "district_council", "District council"
        UNITARY_COUNCIL = "unitary_council", "Unitary council"
        GP_FEDERATION = "gp_federation", "GP federation"
        PRIMARY_CARE_NETWORK = "pcn", "Primary care network"
        VOLUNTARY_SECTOR = "voluntary_sector", "Voluntary sector body"
        PRIVATE_PROVIDER = "private_provider", "Private provider"
        HEALTHWATCH = "healthwatch", "Healthwatch"
        OTHER = "other", "Other"

    class CodeSystem(models.TextChoices):
        ODS = "ods", "NHS Organisation Data Service"
        GSS = "gss", "ONS Government Statistical Service"
        NONE = "none", "No code"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    code_system = models.CharField(max_length=4, choices=CodeSystem.choices)
    code = models.CharField(max_length=9, blank=True, help_text="RXN, QE1, E07000127 ...")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    successor = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="predecessors"
    )

    history = history()

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ("name",)
        constraints = (
            *scope_constraints("organisation"),
            not_blank("organisation", "name", "An organisation needs a name."),
            models.CheckConstraint(
                condition=models.Q(code_system="ods", code__regex=ODS_CODE_REGEX)
                | models.Q(code_system="gss", code__regex=GSS_CODE_REGEX)
                | models.Q(code_system="none", code=""),
                name="organisation_code_matches_system",
                violation_error_message=(
                    "An ODS code is 3, 5 or 6 capitals or digits (RXN); a GSS code is a letter"
                    " and 8 digits (E07000127); an organisation without a code has none."
                ),
            ),
            models.UniqueConstraint(
                fields=("code_system", "code"),
                condition=~models.Q(code=""),
                name="organisation_code_unique",
                violation_error_message="Another organisation has this code.",
            ),
            dates_ordered(
                "organisation",
                "valid_from",
                "valid_to",
                "An organisation closes on or after the day it opens.",
            ),
            models.CheckConstraint(
                condition=models.Q(successor__isnull=True) | models.Q(valid_to__isnull=False),
                name="organisation_successor_only_when_closed",
                violation_error_message="Only a closed organisation (with an end date) has a"
                " successor.",
            ),
            models.CheckConstraint(
                condition=models.Q(successor__isnull=True) | ~models.Q(successor=models.F("id")),
                name="organisation_not_its_own_successor",
                violation_error_message="An organisation cannot succeed itself.",
            ),
        )

    def __str__(self) -> str:
        return f"{self.name} ({self.code})" if self.code else self.name

    def delete(self, *args, **kwargs):
        raise PermanentRecord(
            f"{self.label()} is never deleted: close it with an end date (valid to) and name its"
            " successor instead."
        )

    def is_open(self, on: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or on <= self.valid_to
        )
