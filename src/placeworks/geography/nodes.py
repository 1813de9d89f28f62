"""Nodes of a geography tree: ICB > place > locality > district > neighbourhood > PCN > practice."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum


class Level(StrEnum):
    ICB = "icb"
    PLACE = "place"
    LOCALITY = "locality"
    DISTRICT = "district"
    NEIGHBOURHOOD = "neighbourhood"
    PCN = "pcn"
    PRACTICE = "practice"


# Levels made of small areas (LSOAs): they have a resident population.
AREA_LEVELS = frozenset(
    {Level.ICB, Level.PLACE, Level.LOCALITY, Level.DISTRICT, Level.NEIGHBOURHOOD}
)


@dataclass(frozen=True)
class Node:
    """One node of a geography tree with its figures.

    ``resident_population`` is the ONS small-area estimate for the node's LSOAs (``None`` for a
    PCN or a practice, which have no area). ``registered_population`` is the sum of the practice
    lists. ``imd_score`` is population-weighted: by residents for area levels, by registered
    patients for PCNs and practices. ``imd_deciles`` holds the share of the population in each
    national IMD decile, 1 (most deprived) to 10. ``flags`` name anything a user must know, such
    as a practice whose patients are likely to live across a boundary.
    """

    code: str
    name: str
    level: Level
    resident_population: float | None
    registered_population: float
    practices: int
    imd_score: float | None
    imd_deciles: tuple[float, ...] | None = None
    flags: tuple[str, ...] = ()
    children: tuple[Node, ...] = field(default=())

    def walk(self) -> Iterator[Node]:
        """This node and every node below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()

    def find(self, code: str) -> Node | None:
        return next((node for node in self.walk() if node.code == code), None)

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "level": self.level.value,
            "resident_population": self.resident_population,
            "registered_population": self.registered_population,
            "practices": self.practices,
            "imd_score": self.imd_score,
            "imd_deciles": list(self.imd_deciles) if self.imd_deciles else None,
            "flags": list(self.flags),
            "children": [child.to_dict() for child in self.children],
        }
