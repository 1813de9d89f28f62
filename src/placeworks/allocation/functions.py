"""Delegated functions as data: which weighted population each is shared by."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

# NHS England's weighted population components, as named in the data package.
COMPONENTS = (
    "general_acute",
    "community",
    "mental_health",
    "maternity",
    "prescribing",
    "core",
    "primary_medical_care",
    "primary_medical_care_need",
    "health_inequalities",
)


class Function(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    title: str
    need: dict[str, Decimal] = Field(min_length=1)
    policy: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _weights(self) -> Self:
        unknown = sorted(set(self.need) - set(COMPONENTS))
        if unknown:
            raise ValueError(f"unknown components {unknown}; choose from {list(COMPONENTS)}")
        if any(weight <= 0 for weight in self.need.values()):
            raise ValueError("component weights must be positive")
        if sum(self.need.values()) != 1:
            raise ValueError(f"component weights sum to {sum(self.need.values())}, not 1")
        return self


@cache
def functions() -> dict[str, Function]:
    """The shipped functions, by code."""
    text = (resources.files("placeworks.allocation") / "functions.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)["functions"]
    return {code: Function.model_validate({"code": code, **spec}) for code, spec in raw.items()}


def function(code: str) -> Function:
    try:
        return functions()[code]
    except KeyError:
        raise KeyError(f"unknown function {code!r}; choose from {', '.join(functions())}") from None
