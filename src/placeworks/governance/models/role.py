"""One model: what a user may do in the register, for a place or for a whole ICB."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models.functions import Left

from placeworks.governance.codes import ICB_CODE_REGEX
from placeworks.governance.models.base import Versioned, history


class Role(Versioned):
    """A user's level for one place (``place`` set) or for every record of an ICB (``place``
    empty): a viewer sees, an editor also changes, an administrator also grants roles.

    A user has at most one role per place and one ICB-wide role per ICB. Granted and revoked
    through :mod:`placeworks.governance.actions.roles`.
    """

    class Level(models.TextChoices):
        VIEWER = "viewer", "Viewer"
        EDITOR = "editor", "Editor"
        ADMINISTRATOR = "administrator", "Administrator"

    RANK: ClassVar[dict[str, int]] = {"viewer": 1, "editor": 2, "administrator": 3}

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="governance_roles"
    )
    icb_code = models.CharField("ICB ODS code", max_length=3)
    place = models.ForeignKey(
        "governance.Place",
        to_field="code",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roles",
        help_text="Empty for a role across the whole ICB.",
    )
    level = models.CharField(max_length=15, choices=Level.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = history()

    locked_fields = frozenset({"user", "icb_code", "place"})

    class Meta:
        ordering = ("user", "icb_code", "place")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(icb_code__regex=ICB_CODE_REGEX),
                name="role_icb_code_is_ods",
                violation_error_message="The ICB code must be an ODS code such as QE1.",
            ),
            models.CheckConstraint(
                condition=models.Q(place__isnull=True) | models.Q(icb_code=Left("place", 3)),
                name="role_place_in_icb",
                violation_error_message="A role's place is in its ICB.",
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=["viewer", "editor", "administrator"]),
                name="role_level_known",
                violation_error_message="A role is viewer, editor or administrator.",
            ),
            models.UniqueConstraint(
                fields=("user", "place"),
                condition=models.Q(place__isnull=False),
                name="role_one_per_user_place",
                violation_error_message="This user already has a role for this place.",
            ),
            models.UniqueConstraint(
                fields=("user", "icb_code"),
                condition=models.Q(place__isnull=True),
                name="role_one_icb_wide_per_user",
                violation_error_message="This user already has an ICB-wide role for this ICB.",
            ),
        )

    def __str__(self) -> str:
        where = self.place_id or f"all of {self.icb_code}"
        return f"{self.user} {self.get_level_display().lower()} of {where}"

    @property
    def rank(self) -> int:
        return self.RANK[self.level]

    def save(self, *args, **kwargs):
        if self.place_id and not self.icb_code:
            self.icb_code = self.place_id[:3]
        super().save(*args, **kwargs)
