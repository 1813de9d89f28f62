"""User-defined groupings of an ICB's geography, stored as data.

A definition file (YAML) names an ICB's places, each place's localities and any neighbourhoods.
Each grouping is made of districts (LAD 2024 GSS codes), wards (2024 GSS codes), LSOAs (2021 GSS
codes) or GP practices (ODS codes). Definitions are validated when they are read: codes must be
well formed, and (when resolved against the data) every district and practice of the ICB must
fall in exactly one place.

ICBs without a shipped definition get places from their upper-tier local authorities (county
councils and unitary authorities), the footprint most ICBs use for their places.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Annotated, Self

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from placeworks.data.errors import DataValidationError


def _pattern(regex: str, what: str):
    compiled = re.compile(regex)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise ValueError(f"{value!r} is not a {what}")
        return value

    return AfterValidator(check)


DistrictCode = Annotated[str, _pattern(r"E0[6-9]\d{6}", "local authority district GSS code")]
WardCode = Annotated[str, _pattern(r"E05\d{6}", "ward GSS code")]
LsoaCode = Annotated[str, _pattern(r"E01\d{6}", "LSOA 2021 GSS code")]
PracticeCode = Annotated[str, _pattern(r"[A-Z]\d{5}", "GP practice ODS code")]
GroupCode = Annotated[str, _pattern(r"[A-Z0-9][A-Z0-9-]{1,39}", "grouping code (A-Z, 0-9, -)")]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Members(_Frozen):
    """What a grouping is made of: exactly one kind of member."""

    districts: tuple[DistrictCode, ...] = ()
    wards: tuple[WardCode, ...] = ()
    lsoas: tuple[LsoaCode, ...] = ()
    practices: tuple[PracticeCode, ...] = ()

    @model_validator(mode="after")
    def _one_kind(self) -> Self:
        kinds = [k for k in ("districts", "wards", "lsoas", "practices") if getattr(self, k)]
        if len(kinds) != 1:
            raise ValueError(
                "a grouping is made of exactly one kind of member (districts, wards, lsoas or"
                f" practices); found {kinds or 'none'}"
            )
        return self

    @property
    def kind(self) -> str:
        return next(k for k in ("districts", "wards", "lsoas", "practices") if getattr(self, k))

    @property
    def codes(self) -> tuple[str, ...]:
        return getattr(self, self.kind)


class Grouping(Members):
    code: GroupCode
    name: str = Field(min_length=1)


class Locality(Grouping):
    pass


class Place(Grouping):
    localities: tuple[Locality, ...] = ()


class Neighbourhood(Grouping):
    pass


class IcbDefinition(_Frozen):
    """The places, localities and neighbourhoods of one ICB."""

    icb: Annotated[str, _pattern(r"Q[A-Z0-9]{2}", "ICB ODS code")]
    name: str | None = None
    source: str | None = None
    places: tuple[Place, ...] = Field(min_length=1)
    neighbourhoods: tuple[Neighbourhood, ...] = ()

    @model_validator(mode="after")
    def _unique_codes(self) -> Self:
        seen: set[str] = set()
        for group in self.groupings():
            if group.code in seen:
                raise ValueError(f"grouping code {group.code!r} is used twice")
            seen.add(group.code)
        return self

    def groupings(self):
        for place in self.places:
            yield place
            yield from place.localities
        yield from self.neighbourhoods


def parse_definition(text: str, file: str) -> IcbDefinition:
    """Read a YAML definition, naming the file and field of any problem."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataValidationError(
            file, f"not valid YAML: {exc}", row=mark.line + 1 if mark else None
        ) from exc
    try:
        return IcbDefinition.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        more = f" ({exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
        raise DataValidationError(file, f"{first['msg']}{more}", field=where) from exc


@cache
def shipped_definitions() -> dict[str, IcbDefinition]:
    """The definitions that ship with placeworks, by ICB ODS code."""
    folder = resources.files("placeworks.geography") / "definitions"
    result: dict[str, IcbDefinition] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            definition = parse_definition(entry.read_text(encoding="utf-8"), entry.name)
            result[definition.icb] = definition
    return result
