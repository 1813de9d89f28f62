"""Writes to stored baselines. Each action is atomic and names who acted."""

from __future__ import annotations

from decimal import Decimal
from pathlib import PurePath

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from placeworks.allocation import read_baseline
from placeworks.data import DataValidationError
from placeworks.web.baselines.models import BaselineAmount, HistoricBaseline

# The amount column holds 16 digits, two of them pence.
LARGEST_AMOUNT = Decimal("99999999999999.99")
NAME_LENGTH = 200


def import_baseline(
    file_name: str,
    content: bytes,
    *,
    icb_code: str,
    name: str,
    by: AbstractBaseUser | None,
    illustrative: bool = False,
) -> HistoricBaseline:
    """Store a historic baseline read from a ``.csv`` or ``.xlsx`` file, all of it or nothing.

    The file is read whole with :func:`placeworks.allocation.read_baseline` first: invalid input
    raises :class:`placeworks.data.DataValidationError` naming the file, row and field, and
    nothing is written. The baseline is ILLUSTRATIVE if ``illustrative`` is set or the file says
    so. ``by`` is the user who uploaded it (``None`` for an anonymous or command-line import).
    """
    file = PurePath(file_name.replace("\\", "/")).name or "baseline"
    name = name.strip() or PurePath(file).stem
    if len(name) > NAME_LENGTH:
        raise ValueError(f"a baseline's name is at most {NAME_LENGTH} characters")
    baseline = read_baseline(file, content)
    for code, amount in baseline.amounts.items():
        if amount > LARGEST_AMOUNT:
            raise DataValidationError(
                file, f"{code}: £{amount:,} is more than £{LARGEST_AMOUNT:,}", field="amount"
            )
        if len(baseline.names[code]) > NAME_LENGTH:
            raise DataValidationError(
                file, f"{code}: the name is longer than {NAME_LENGTH} characters", field="name"
            )
    with transaction.atomic():
        stored = HistoricBaseline.objects.create(
            icb_code=icb_code,
            name=name,
            illustrative=illustrative or baseline.illustrative,
            source_filename=file,
            uploaded_by=by,
        )
        BaselineAmount.objects.bulk_create(
            BaselineAmount(
                baseline=stored, footprint=code, name=baseline.names[code], amount=amount
            )
            for code, amount in baseline.amounts.items()
        )
    return stored
