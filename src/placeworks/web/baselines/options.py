"""Which historic baselines an ICB's allocation can use, and loading the one chosen.

The ILLUSTRATIVE example shipped with placeworks (for Lancashire and South Cumbria, QE1) is always
offered for its ICB; after it come the partnership's uploads, newest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.timezone import localtime

from placeworks.allocation import Baseline, example_baseline
from placeworks.web.baselines.models import HistoricBaseline

EXAMPLE = "example"


@dataclass(frozen=True)
class BaselineOption:
    """One baseline a user can choose, described for the page."""

    value: str  # EXAMPLE, or the stored baseline's id
    name: str
    illustrative: bool
    source: str
    footprints: int
    total: Decimal
    uploaded_at: datetime | None = None
    uploaded_by: str | None = None

    @property
    def shipped(self) -> bool:
        return self.value == EXAMPLE


def options(icb_code: str) -> tuple[BaselineOption, ...]:
    found = []
    example = example_baseline(icb_code)
    if example is not None:
        found.append(
            BaselineOption(
                value=EXAMPLE,
                name="Example baseline shipped with placeworks",
                illustrative=example.illustrative,
                source=example.source,
                footprints=len(example.amounts),
                total=example.total,
            )
        )
    stored = (
        HistoricBaseline.objects.for_icb(icb_code)
        .select_related("uploaded_by")
        .annotate(footprints=Count("amounts"), total=Sum("amounts__amount"))
        .order_by("-created_at", "-id")
    )
    for baseline in stored:
        found.append(
            BaselineOption(
                value=str(baseline.pk),
                name=baseline.name,
                illustrative=baseline.illustrative,
                source=baseline.source_filename,
                footprints=baseline.footprints,
                total=baseline.total or Decimal(0),
                uploaded_at=localtime(baseline.created_at),
                uploaded_by=baseline.uploaded_by.get_username() if baseline.uploaded_by else None,
            )
        )
    return tuple(found)


def load(icb_code: str, value: str) -> Baseline:
    """The chosen baseline of ``icb_code``; LookupError if it has no such baseline."""
    if value == EXAMPLE:
        example = example_baseline(icb_code)
        if example is None:
            raise LookupError(f"placeworks ships no example baseline for {icb_code}")
        return example
    if not value.isdigit():
        raise LookupError(f"{value!r} is not a baseline of {icb_code}")
    stored = HistoricBaseline.objects.for_icb(icb_code).filter(pk=int(value)).first()
    if stored is None:
        raise LookupError(f"{icb_code} has no stored baseline {value}")
    return stored.to_allocation_baseline()
