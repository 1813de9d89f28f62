"""One model: a function that can be delegated."""

from __future__ import annotations

from django.db import models

from placeworks.governance.codes import SLUG_REGEX
from placeworks.governance.models.base import Scoped, history, not_blank, scope_constraints


class Function(Scoped):
    """Something a body is responsible for and can delegate: population health, primary care,
    community services, Continuing Health Care, the Better Care Fund ... Functions are data: an
    ICB adds its own."""

    code = models.CharField(max_length=40, help_text="Such as better_care_fund.")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    history = history()

    locked_fields = frozenset({"code"})

    class Meta:
        ordering = ("name",)
        constraints = (
            *scope_constraints("function"),
            models.CheckConstraint(
                condition=models.Q(code__regex=SLUG_REGEX),
                name="function_code_format",
                violation_error_message=(
                    "A function's code is lower-case letters, digits and underscores, starting"
                    " with a letter."
                ),
            ),
            models.UniqueConstraint(
                fields=("icb_code", "code"),
                name="function_code_unique_in_icb",
                violation_error_message="The ICB already has a function with this code.",
            ),
            not_blank("function", "name", "A function needs a name."),
        )

    def __str__(self) -> str:
        return self.name
