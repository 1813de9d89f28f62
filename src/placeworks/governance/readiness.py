"""Readiness frameworks as data: ordered levels (such as Emerging, Developing, Core, Advanced)
and the criteria a place is assessed against for each function.

A framework is validated when it is stored; an assessment names one level overall and, if it
likes, one level per criterion. A place's readiness for a function is its latest assessment.
Nothing here imports Django.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from placeworks.governance.codes import SLUG_REGEX

Code = Annotated[str, StringConstraints(pattern=SLUG_REGEX)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class Level(BaseModel):
    """One level of readiness; a framework lists them from the least ready to the most."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: Code
    name: Text
    description: str = ""


class Criterion(BaseModel):
    """One thing a place is assessed on (leadership, finance, workforce ...)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: Code
    name: Text
    description: str = ""


class FrameworkSpec(BaseModel):
    """The levels (least ready first) and criteria of a readiness framework."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    levels: tuple[Level, ...] = Field(min_length=2)
    criteria: tuple[Criterion, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _codes_are_unique(self) -> FrameworkSpec:
        for what, items in (("level", self.levels), ("criterion", self.criteria)):
            codes = [item.code for item in items]
            repeated = sorted({code for code in codes if codes.count(code) > 1})
            if repeated:
                raise ValueError(f"each {what} code appears once: {', '.join(repeated)} repeat")
        return self

    def rank(self, level: str) -> int:
        """The position of ``level``, 0 for the least ready; ValueError naming the known ones."""
        for index, item in enumerate(self.levels):
            if item.code == level:
                return index
        known = ", ".join(item.code for item in self.levels)
        raise ValueError(f"{level!r} is not a level of this framework; its levels are {known}")

    def level(self, code: str) -> Level:
        return self.levels[self.rank(code)]

    def check_assessment(self, level: str, criteria: Mapping[str, str]) -> None:
        """Raise ValueError naming the first unknown level or criterion of an assessment."""
        self.rank(level)
        known = {item.code for item in self.criteria}
        for criterion, criterion_level in criteria.items():
            if criterion not in known:
                names = ", ".join(sorted(known))
                raise ValueError(
                    f"{criterion!r} is not a criterion of this framework; its criteria are {names}"
                )
            try:
                self.rank(criterion_level)
            except ValueError as exc:
                raise ValueError(f"criterion {criterion!r}: {exc}") from None

    def lowest(self, levels: Mapping[str, str]) -> Level | None:
        """The least ready of the criteria levels given (a place is as ready as its weakest
        criterion), or None if none are given."""
        if not levels:
            return None
        return self.levels[min(self.rank(code) for code in levels.values())]
