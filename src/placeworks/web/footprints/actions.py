"""Writes to stored definitions. Each action is atomic and names who acted."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from placeworks.geography import parse_definition
from placeworks.web.footprints.models import GeographyDefinition


def import_definition(
    yaml_text: str, *, by: AbstractBaseUser | None, file: str = "definition.yaml"
) -> GeographyDefinition:
    """Store a YAML geography definition for the ICB it names, replacing any earlier one.

    The text is parsed first: invalid input raises :class:`placeworks.data.DataValidationError`
    (naming ``file`` and the field at fault) and nothing is written. ``by`` is the user who
    imported it (``None`` for a command-line import).
    """
    definition = parse_definition(yaml_text, file)
    with transaction.atomic():
        stored, _created = GeographyDefinition.objects.update_or_create(
            icb_code=definition.icb,
            defaults={"yaml": yaml_text, "updated_by": by},
        )
    return stored
