"""One model: an ICB's geography definition as the partnership keeps it."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from placeworks.geography import IcbDefinition, parse_definition

# ICB ODS codes: Q and two letters or digits (QE1 is Lancashire and South Cumbria).
ICB_CODE_REGEX = r"^Q[A-Z0-9]{2}$"


class GeographyDefinition(models.Model):
    """The YAML definition of one ICB's places, localities and neighbourhoods.

    The text is kept as the user wrote it (comments and all) and is parsed with
    :func:`placeworks.geography.parse_definition` whenever it is used. Write it through
    :func:`placeworks.web.footprints.actions.import_definition`, which validates it first.
    """

    icb_code = models.CharField("ICB ODS code", max_length=3, unique=True)
    yaml = models.TextField("definition (YAML)")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ("icb_code",)
        constraints = (
            models.CheckConstraint(
                condition=models.Q(icb_code__regex=ICB_CODE_REGEX),
                name="geographydefinition_icb_code_is_ods",
                violation_error_message="The ICB code must be an ODS code such as QE1.",
            ),
        )

    def __str__(self) -> str:
        return f"Geography definition of {self.icb_code}"

    @property
    def file_name(self) -> str:
        """How error messages name this definition."""
        return f"stored definition of {self.icb_code}"

    def parse(self) -> IcbDefinition:
        """The parsed definition; raises DataValidationError naming the field at fault."""
        return parse_definition(self.yaml, self.file_name)
