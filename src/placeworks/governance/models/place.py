"""One model: a place, the unit of scope of the register."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Left

from placeworks.governance.codes import ICB_CODE_REGEX, PLACE_CODE_REGEX
from placeworks.governance.models.base import Versioned, history, not_blank


class Place(Versioned):
    """A footprint inside an ICB to which functions are delegated (Lancashire, Blackpool ...).

    Its code is the one in the ICB's geography definition (``QE1-LAN``) and never changes:
    records point at it. Roles are granted per place, and every scoped record belongs to one
    place or to the whole ICB.
    """

    code = models.CharField(max_length=40, unique=True, help_text="Such as QE1-LAN.")
    name = models.CharField(max_length=200)
    icb_code = models.CharField("ICB ODS code", max_length=3)

    history = history()

    locked_fields = frozenset({"code", "icb_code"})

    class Meta:
        ordering = ("code",)
        constraints = (
            models.CheckConstraint(
                condition=models.Q(code__regex=PLACE_CODE_REGEX),
                name="place_code_format",
                violation_error_message=(
                    "A place code is its ICB's code, a hyphen and capitals, digits or hyphens,"
                    " such as QE1-LAN."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(icb_code__regex=ICB_CODE_REGEX),
                name="place_icb_code_is_ods",
                violation_error_message="The ICB code must be an ODS code such as QE1.",
            ),
            models.CheckConstraint(
                condition=models.Q(icb_code=Left("code", 3)),
                name="place_code_starts_with_icb",
                violation_error_message="A place's code begins with its ICB's code.",
            ),
            not_blank("place", "name", "A place needs a name."),
        )

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"
