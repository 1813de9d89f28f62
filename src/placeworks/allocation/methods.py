"""Allocation methods as validated, immutable parameter objects (policy as data).

Each method turns group totals into exact shares of an envelope:

* ``population`` — share of the registered population (or, for groupings made of areas, the
  resident population).
* ``need`` — share of the function's weighted population (NHS England's components).
* ``historic`` — each legacy footprint's baseline budget, spread over its practices by registered
  population, summed by group.
* ``blend`` — a weighted sum of the three shares, the weights summing to 1.
* ``convergence`` — a path over several years from historic amounts towards need targets, with a
  floor and a cap on per-head growth and the budget balanced every year.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

Basis = Literal["registered", "resident"]
Fraction01 = Annotated[Decimal, Field(ge=0, le=1)]


class _Method(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Population(_Method):
    method: Literal["population"] = "population"
    basis: Basis = "registered"


class Need(_Method):
    method: Literal["need"] = "need"


class Historic(_Method):
    method: Literal["historic"] = "historic"


class Blend(_Method):
    method: Literal["blend"] = "blend"
    historic: Fraction01 = Decimal(0)
    population: Fraction01 = Decimal(0)
    need: Fraction01 = Decimal(0)
    basis: Basis = "registered"

    @model_validator(mode="after")
    def _sum_to_one(self) -> Self:
        total = self.historic + self.population + self.need
        if total != 1:
            raise ValueError(f"blend weights sum to {total}, not 1")
        return self


class Convergence(_Method):
    """Move from historic amounts towards need targets over ``years`` years.

    Each year the envelope grows by ``uplift`` (rounded to the penny). Every group's per-head
    growth lies between ``floor`` and ``cap``; within those bounds each group gets the same
    proportion ``k`` of its need target, ``k`` chosen so that the groups add up to the envelope.
    Populations are held at the chosen year's, so per-head growth equals growth in money.
    """

    method: Literal["convergence"] = "convergence"
    years: int = Field(ge=1, le=10)
    uplift: Decimal = Field(ge=Decimal("-0.5"), le=Decimal("1"))
    floor: Decimal = Field(ge=Decimal("-0.5"), le=Decimal("1"))
    cap: Decimal = Field(ge=Decimal("-0.5"), le=Decimal("1"))

    @model_validator(mode="after")
    def _floor_below_cap(self) -> Self:
        if self.floor > self.cap:
            raise ValueError(f"floor {self.floor} is above cap {self.cap}")
        return self


Method = Annotated[
    Population | Need | Historic | Blend | Convergence, Field(discriminator="method")
]
