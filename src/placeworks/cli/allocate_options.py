"""The options of `placeworks allocate`: methods, bases, formats, engines and their names."""

from __future__ import annotations

from enum import StrEnum
from importlib.util import find_spec
from pathlib import Path
from typing import Annotated

import typer


class MethodName(StrEnum):
    need = "need"
    population = "population"
    historic = "historic"
    blend = "blend"
    convergence = "convergence"


class Basis(StrEnum):
    registered = "registered"
    resident = "resident"


class AllocateFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


class EngineName(StrEnum):
    duckdb = "duckdb"
    spark = "spark"
    reference = "reference"


class Against(StrEnum):
    icb = "icb"
    england = "england"


DEFAULT_ENGINE = (
    EngineName.duckdb if find_spec("placeworks.engine") is not None else EngineName.reference
)
CSV_COLUMNS = (
    "group",
    "amount",
    "name",
    "parents",
    "practices",
    "registered_population",
    "resident_population",
    "weighted_population",
    "index_icb",
    "index_england",
    "share",
    "per_head",
    "target",
    "distance_from_target_pct",
    "small_numbers",
)
# Keys of a method's parameters, as --scenario specs and the options below name them.
METHOD_KEYS = {
    "need": (),
    "population": ("basis",),
    "historic": (),
    "blend": ("historic", "population", "need", "basis"),
    "convergence": ("years", "uplift", "floor", "cap"),
}
SCENARIO_KEYS = ("method", "function", "envelope", "label", "basis", "historic", "population")
SCENARIO_KEYS += ("need", "years", "uplift", "floor", "cap")
INDEX_HEADINGS = {
    "general_acute": "G&A",
    "community": "Comm",
    "mental_health": "MH",
    "maternity": "Mat",
    "prescribing": "Presc",
    "core": "Core",
    "primary_medical_care": "PMC",
    "primary_medical_care_need": "PMC need",
    "health_inequalities": "HI",
}
OPTION_NAMES = {
    "historic": "--historic-weight",
    "population": "--population-weight",
    "need": "--need-weight",
    "years": "--years",
    "uplift": "--uplift",
    "floor": "--floor",
    "cap": "--cap",
    "basis": "--basis",
}

Icb = Annotated[str | None, typer.Option(help="ICB ODS code, e.g. QE1.", show_default=False)]
Year = Annotated[str, typer.Option(help="Financial year.")]
GroupingOption = Annotated[
    str,
    typer.Option(
        "--grouping",
        help="places, localities, districts, neighbourhoods, pcns, or a CSV file of"
        " practice_code,group[,locality][,neighbourhood].",
    ),
]
FunctionOption = Annotated[
    str, typer.Option("--function", help="Delegated function (see functions.yaml), e.g. core.")
]
Envelope = Annotated[
    str | None,
    typer.Option(help="The budget to share, in pounds, e.g. 3400000000.", show_default=False),
]
BasisOption = Annotated[
    Basis | None,
    typer.Option(
        help="Population for the population and blend methods (registered unless given).",
        show_default=False,
    ),
]
BaselineOption = Annotated[
    Path | None,
    typer.Option(
        "--baseline",
        help="Historic baseline (.csv or .xlsx: footprint,name,amount) for the historic, blend"
        " and convergence methods. Default: the ILLUSTRATIVE example shipped for the ICB.",
        show_default=False,
    ),
]
Level = Annotated[
    str | None,
    typer.Option(help="Allocate to this level of a nested grouping (default: the finest)."),
]
SmallNumbers = Annotated[
    int, typer.Option(help="Warn about groups with fewer registered patients than this.")
]
FormatOption = Annotated[AllocateFormat, typer.Option("--format", help="Output format.")]
Output = Annotated[
    Path | None,
    typer.Option(help="Write to this file (needed for xlsx) instead of standard output."),
]
EngineOption = Annotated[
    EngineName,
    typer.Option(help="Engine computing the group totals (they agree to the penny)."),
]
