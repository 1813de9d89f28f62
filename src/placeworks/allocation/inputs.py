"""The practice-level inputs of an allocation, in exact integer units.

Registered and weighted populations are held as whole *micro-persons* (millionths of a person,
``int64``): NHS England publishes them to at most six decimals in 2024/25 and 2025/26, and sums of
integers are exact on every engine, so DuckDB, Spark and the Python reference agree to the last
unit and therefore to the penny.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from placeworks.allocation.functions import COMPONENTS
from placeworks.data import load
from placeworks.geography.areas import check_year

MICRO = 10**6
UNIT_COLUMNS = ("registered", *COMPONENTS)


@cache
def practice_inputs(year: str) -> pd.DataFrame:
    """Every practice NHS England allocates to in ``year``: ICB, legacy footprint, micro-units.

    Columns: practice_code, icb_code, footprint (the practice's sub-ICB location, i.e. former
    CCG: its commissioner in ODS February 2023, else the sub-ICB location of the area it stands
    in), registered and one column per weighted population component, in micro-persons.
    """
    check_year(year)
    wp = load("weighted_populations")
    frame = wp.loc[wp["year"] == year].copy()
    out = pd.DataFrame(
        {
            "practice_code": frame["practice_code"].to_numpy(),
            "icb_code": frame["icb_code"].to_numpy(),
        }
    )
    out["registered"] = _micro(frame["population"])
    for component in COMPONENTS:
        out[component] = _micro(frame[f"wp_{component}"])
    commissioner = load("practices").set_index("practice_code")["sub_icb_code"]
    located = load("practice_locations").set_index("practice_code")["lsoa21_code"]
    area_sub_icb = load("lsoa21").set_index("lsoa21_code")["sicbl24_code_nhs"]
    fallback = out["practice_code"].map(located).map(area_sub_icb)
    out["footprint"] = out["practice_code"].map(commissioner).fillna(fallback)
    return out


def _micro(values: pd.Series) -> pd.Series:
    return (values.astype("float64") * MICRO).round().astype("int64").to_numpy()


def national_totals(year: str) -> dict[str, int]:
    """England's registered and weighted populations in micro-persons."""
    frame = practice_inputs(year)
    return {column: int(frame[column].sum()) for column in UNIT_COLUMNS}


@cache
def tool_inputs(year: str) -> pd.DataFrame:
    """The same practices as NHS England's tool reads them: missing or zero values become 1."""
    frame = practice_inputs(year).copy()
    for column in UNIT_COLUMNS:
        frame[column] = frame[column].where(frame[column] != 0, MICRO)
    return frame
