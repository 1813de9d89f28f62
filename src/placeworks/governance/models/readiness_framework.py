"""One model: a readiness framework, its levels and criteria as validated data."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from pydantic import ValidationError as SchemaError

from placeworks.governance.models.base import Scoped, history, not_blank, scope_constraints
from placeworks.governance.readiness import FrameworkSpec


def schema_message(error: SchemaError) -> str:
    """A pydantic error as one sentence per problem, each naming where it is."""
    parts = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


class ReadinessFramework(Scoped):
    """A system's framework for assessing how ready a place is to take on a function: ordered
    levels (least ready first, such as Emerging, Developing, Core, Advanced) and criteria.

    ``levels`` and ``criteria`` are lists of ``{code, name, description}`` validated by
    :class:`placeworks.governance.readiness.FrameworkSpec`. A framework in use is not changed:
    publish a new version.
    """

    name = models.CharField(max_length=200)
    # The framework's published edition; ``version`` is the record's edit counter (Versioned).
    edition = models.CharField("framework edition", max_length=20, default="1")
    levels = models.JSONField()
    criteria = models.JSONField()
    description = models.TextField(blank=True)

    history = history()

    class Meta:
        ordering = ("name", "edition")
        constraints = (
            *scope_constraints("readinessframework"),
            not_blank("readinessframework", "name", "A framework needs a name."),
            models.UniqueConstraint(
                fields=("icb_code", "name", "edition"),
                name="readinessframework_edition_unique",
                violation_error_message="The ICB already has this edition of this framework.",
            ),
        )

    def __str__(self) -> str:
        return f"{self.name}, edition {self.edition}"

    def spec(self) -> FrameworkSpec:
        return FrameworkSpec.model_validate({"levels": self.levels, "criteria": self.criteria})

    def clean(self) -> None:
        super().clean()
        try:
            self.spec()
        except SchemaError as exc:
            raise ValidationError({"levels": schema_message(exc)}) from exc
        if self.pk and self.assessments.exists():
            stored = type(self).objects.get(pk=self.pk)
            if (stored.levels, stored.criteria) != (self.levels, self.criteria):
                raise ValidationError(
                    {
                        "levels": "Places have been assessed on this framework: publish a new"
                        " edition instead of changing its levels or criteria."
                    }
                )
