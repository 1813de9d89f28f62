"""Risk matrices as data: a likelihood by impact grid, its bands and the appetite test.

A risk's score is likelihood × impact, each counted from 1 on the matrix's own scales (5 by 5 by
default). Bands cover every score from 1 to the largest, in order, each up to its ``max_score``.
The default is the NPSA's 5 × 5 matrix ("A risk matrix for risk managers", National Patient
Safety Agency, 2008), kept in ``policies/risk-matrix-npsa-5x5.yaml``: 1-3 low, 4-6 moderate,
8-12 high, 15-25 extreme. A category's appetite is the highest current score the partnership
tolerates for it; a risk above it is flagged. Nothing here imports Django.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

# The largest scale a matrix may have (the database checks scores against it too).
MAX_LEVELS = 10

Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class Band(BaseModel):
    """The scores above the previous band's ``max_score`` up to this one's."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Label
    max_score: int = Field(ge=1)
    colour: Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")] | None = None


class RiskMatrixSpec(BaseModel):
    """A likelihood by impact matrix: the labels of each scale, lowest first, and the bands."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    likelihood: tuple[Label, ...] = Field(min_length=2, max_length=MAX_LEVELS)
    impact: tuple[Label, ...] = Field(min_length=2, max_length=MAX_LEVELS)
    bands: tuple[Band, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _bands_cover_every_score(self) -> RiskMatrixSpec:
        names = [band.name for band in self.bands]
        if len(set(names)) != len(names):
            raise ValueError(f"band names must be different: {', '.join(names)}")
        previous = 0
        for band in self.bands:
            if band.max_score <= previous:
                raise ValueError(
                    f"band {band.name!r} ends at {band.max_score}, not above the previous band's"
                    f" {previous}: bands go from the lowest scores to the highest"
                )
            previous = band.max_score
        if previous != self.max_score:
            raise ValueError(
                f"the last band ends at {previous} but the highest score of a"
                f" {len(self.likelihood)} by {len(self.impact)} matrix is {self.max_score}"
            )
        return self

    @property
    def max_score(self) -> int:
        return len(self.likelihood) * len(self.impact)

    def check(self, likelihood: int, impact: int) -> None:
        """Raise ValueError unless both are on this matrix's scales."""
        for what, value, scale in (
            ("likelihood", likelihood, self.likelihood),
            ("impact", impact, self.impact),
        ):
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{what} must be a whole number, not {value!r}")
            if not 1 <= value <= len(scale):
                raise ValueError(f"{what} {value} is not between 1 and {len(scale)}")


def risk_score(matrix: RiskMatrixSpec, likelihood: int, impact: int) -> int:
    """Likelihood × impact, after checking both are on the matrix's scales."""
    matrix.check(likelihood, impact)
    return likelihood * impact


def risk_band(matrix: RiskMatrixSpec, score: int) -> Band:
    """The band a score falls in."""
    if not 1 <= score <= matrix.max_score:
        raise ValueError(f"score {score} is not between 1 and {matrix.max_score}")
    return next(band for band in matrix.bands if score <= band.max_score)


def above_appetite(score: int, appetite: int) -> bool:
    """Whether a score is above a category's appetite (the highest score it tolerates)."""
    return score > appetite


def check_appetite(matrix: RiskMatrixSpec, appetite: int) -> None:
    """Raise ValueError unless ``appetite`` is a score the matrix can give."""
    if not 1 <= appetite <= matrix.max_score:
        raise ValueError(f"an appetite is a score between 1 and {matrix.max_score}, not {appetite}")


@cache
def default_matrix() -> RiskMatrixSpec:
    """The NPSA 5 × 5 matrix shipped with placeworks."""
    text = (resources.files(__package__) / "policies" / "risk-matrix-npsa-5x5.yaml").read_text(
        encoding="utf-8"
    )
    data = yaml.safe_load(text)
    data.pop("source", None)
    data.pop("schema_version", None)
    return RiskMatrixSpec.model_validate(data)
