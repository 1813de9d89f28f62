"""What every record of the register shares: a version for optimistic concurrency, its history,
and, for scoped records, the place (or the whole ICB) it belongs to."""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Left
from simple_history.models import HistoricalRecords

from placeworks.governance.codes import ICB_CODE_REGEX

_RECORDERS: dict[type[models.Model], History] = {}


class History(HistoricalRecords):
    """django-simple-history's HistoricalRecords, remembering which model it records so that an
    action can write one history row for a save and its many-to-many changes together."""

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if sender is self.cls:
            _RECORDERS[sender] = self


def history(**kwargs) -> History:
    """The history of a register model: every save kept with who, when, before and after."""
    return History(**kwargs)


def record_history(instance: models.Model, *, created: bool) -> None:
    """Write one history row for ``instance`` as it is now (fields and many-to-many links)."""
    _RECORDERS[type(instance)].create_historical_record(instance, "+" if created else "~")


def recorded_models() -> tuple[type[models.Model], ...]:
    """Every model whose history is kept."""
    return tuple(_RECORDERS)


class Versioned(models.Model):
    """A record edited under optimistic concurrency: every saved change adds one to ``version``.

    ``locked_fields`` are never changed by the generic update action (derived, or changed only by
    a dedicated action); ``scope_parent`` names the foreign key whose place a child record shares.
    """

    version = models.PositiveIntegerField(default=1, editable=False)

    locked_fields: ClassVar[frozenset[str]] = frozenset()
    scope_parent: ClassVar[str | None] = None

    class Meta:
        abstract = True

    def label(self) -> str:
        """How messages name this record: its kind and its name."""
        return f"{self._meta.verbose_name} '{self}'"

    def clean_related(self) -> None:
        """Checks that need the saved record's many-to-many links; ValidationError if broken."""


class Scoped(Versioned):
    """A record that belongs to one place, or to its whole ICB when ``place`` is empty.

    The ICB code always agrees with the place's (a database check: place codes begin with their
    ICB's). A child record (``scope_parent``) takes both from its parent when saved.
    """

    icb_code = models.CharField("ICB ODS code", max_length=3, editable=False)
    place = models.ForeignKey(
        "governance.Place",
        to_field="code",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for a record of the whole ICB.",
    )

    place_required: ClassVar[bool] = False

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.fill_scope()
        super().save(*args, **kwargs)

    def fill_scope(self) -> None:
        """Take place and ICB from the parent record (children) or the place (the others)."""
        if self.scope_parent:
            parent = getattr(self, self.scope_parent, None)
            if parent is not None:
                self.place_id = parent.place_id
                self.icb_code = parent.icb_code
        elif self.place_id and not self.icb_code:
            self.icb_code = self.place_id[:3]

    def clean(self) -> None:
        super().clean()
        self.fill_scope()
        if self.place_required and not self.place_id:
            raise ValidationError({"place": f"A {self._meta.verbose_name} belongs to a place."})
        if not self.icb_code:
            raise ValidationError({"place": "Name the place, or the ICB for an ICB-wide record."})
        if self.place_id and self.place_id[:3] != self.icb_code:
            raise ValidationError(
                {"place": f"Place {self.place_id} is not in the ICB {self.icb_code}."}
            )


def scope_constraints(prefix: str) -> tuple[models.BaseConstraint, ...]:
    """The database checks of a scoped model's ICB code and place."""
    return (
        models.CheckConstraint(
            condition=models.Q(icb_code__regex=ICB_CODE_REGEX),
            name=f"{prefix}_icb_code_is_ods",
            violation_error_message="The ICB code must be an ODS code such as QE1.",
        ),
        models.CheckConstraint(
            condition=models.Q(place__isnull=True) | models.Q(icb_code=Left("place", 3)),
            name=f"{prefix}_place_in_icb",
            violation_error_message="A record's place is in its ICB.",
        ),
    )


def dates_ordered(prefix: str, start: str, end: str, message: str) -> models.CheckConstraint:
    """A database check that ``end`` (if any) is on or after ``start`` (if any)."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{end}__isnull": True})
        | models.Q(**{f"{start}__isnull": True})
        | models.Q(**{f"{end}__gte": models.F(start)}),
        name=f"{prefix}_{end}_not_before_{start}",
        violation_error_message=message,
    )


def not_blank(prefix: str, field: str, message: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=~models.Q(**{field: ""}),
        name=f"{prefix}_{field}_not_blank",
        violation_error_message=message,
    )
