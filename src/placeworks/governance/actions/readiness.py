"""Readiness assessments and the place by function readiness matrix."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from placeworks.governance.models import Function, Place, ReadinessAssessment, ReadinessFramework
from placeworks.governance.readiness import Level
from placeworks.governance.scope import require_place_view, require_view, visible

from .records import create


@transaction.atomic
def assess_readiness(
    framework: ReadinessFramework,
    place: Place,
    function: Function,
    *,
    by,
    assessed_on: datetime.date,
    level: str,
    evidence: str,
    criteria: dict[str, str] | None = None,
    **other,
) -> ReadinessAssessment:
    """Record how ready ``place`` is for ``function`` on ``assessed_on``, with the evidence."""
    return create(
        ReadinessAssessment,
        by=by,
        framework=framework,
        place=place,
        function=function,
        assessed_on=assessed_on,
        level=level,
        evidence=evidence,
        criteria=dict(criteria or {}),
        **other,
    )


@dataclass(frozen=True)
class Cell:
    """A place's latest readiness for a function (None: not assessed)."""

    place: Place
    function: Function
    assessment: ReadinessAssessment | None
    level: Level | None
    rank: int | None


@dataclass(frozen=True)
class ReadinessMatrix:
    """Places (rows) by functions (columns), each cell the latest assessment."""

    places: tuple[Place, ...]
    functions: tuple[Function, ...]
    cells: dict[tuple[str, str], Cell]
    on: datetime.date | None

    def cell(self, place: Place, function: Function) -> Cell:
        return self.cells[(place.code, function.code)]

    def rows(self) -> list[tuple[Place, list[Cell]]]:
        return [(p, [self.cell(p, f) for f in self.functions]) for p in self.places]


def readiness_matrix(
    places: Iterable[Place],
    functions: Iterable[Function],
    *,
    by,
    on: datetime.date | None = None,
) -> ReadinessMatrix:
    """The latest assessment (on or before ``on``, if given) of each place for each function,
    of those ``by`` may see; PermissionDenied for a place whose records they may not see, or
    a function they may not see."""
    places = tuple(require_place_view(by, place) for place in places)
    functions = tuple(require_view(by, function) for function in functions)
    found = (
        visible(by, ReadinessAssessment)
        .filter(place__in=[p.code for p in places], function__in=functions)
        .select_related("framework")
        .order_by("place", "function", "-assessed_on", "-id")
    )
    if on is not None:
        found = found.filter(assessed_on__lte=on)
    latest: dict[tuple[str, int], ReadinessAssessment] = {}
    for assessment in found:
        latest.setdefault((assessment.place_id, assessment.function_id), assessment)
    cells = {}
    for place in places:
        for function in functions:
            assessment = latest.get((place.code, function.pk))
            level = rank = None
            if assessment is not None:
                spec = assessment.framework.spec()
                rank = spec.rank(assessment.level)
                level = spec.levels[rank]
            cells[(place.code, function.code)] = Cell(place, function, assessment, level, rank)
    return ReadinessMatrix(places, functions, cells, on)
