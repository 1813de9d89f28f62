"""NHS England practice-level weighted populations for 2023/24, 2024/25 and 2025/26.

The three published files differ in their headers (2023/24 and 2024/25 use CCG21, ICS22, R22,
LAD21 and ``pop 2022/23``; 2025/26 uses CCG, ICB, Rcode, LAD and ``Population``) and start with a
byte order mark. They are normalised to one schema, one row per year and practice.

NHS England scales every weighted population so that it sums to the national registered
population of the year; the build checks that this holds for every component.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import pandera.pandas as pa

from placeworks.data.errors import DataValidationError
from placeworks.data.raw import RawFolder, to_number
from placeworks.data.registry import ICB_ODS, PRACTICE_CODE, REGION_ODS, Dataset, gss, register
from placeworks.data.validate import check_frame

YEARS = {
    "2023/24": "allocations/nhse_place_tool_2023_2024.csv",
    "2024/25": "allocations/nhse_place_tool_2024_2025.csv",
    "2025/26": "allocations/nhse_place_tool_2025_2026.csv",
}

# Weighted population components: our name -> NHS England's column.
COMPONENTS = {
    "wp_general_acute": "G&A WP",
    "wp_community": "CS WP",
    "wp_mental_health": "MH WP",
    "wp_maternity": "Mat WP",
    "wp_health_inequalities": "Health Ineq WP",
    "wp_prescribing": "Prescr WP",
    "wp_core": "Final WP",
    "wp_primary_medical_care_need": "Primary Medical Care WP",
    "wp_primary_medical_care": "Final PMC WP",
}

# Header variants by year: our name -> the candidates NHS England used.
HEADERS = {
    "practice_code": ["Practice_Code"],
    "practice_name": ["GP_Practice_Name"],
    "postcode": ["Practice_Postcode"],
    "latitude": ["Latitude"],
    "longitude": ["Longitude"],
    "former_ccg_code": ["CCG21", "CCG"],
    "icb_code": ["ICS22", "ICB"],
    "icb_name": ["ICS22name", "ICBname"],
    "region_code": ["R22", "Rcode"],
    "region_name": ["Region22", "Region"],
    "lad_code": ["LAD21", "LAD"],
    "lad_name": ["LTLA21", "LTLA"],
    "population": ["pop 2022/23", "Population"],
    **{ours: [theirs] for ours, theirs in COMPONENTS.items()},
}

NUMERIC = ["latitude", "longitude", "population", *COMPONENTS]

_part_schema = pa.DataFrameSchema(
    {
        "year": pa.Column(str, pa.Check.isin(list(YEARS))),
        "practice_code": pa.Column(str, pa.Check.str_matches(PRACTICE_CODE)),
        "practice_name": pa.Column(str),
        "postcode": pa.Column(str, nullable=True),
        "latitude": pa.Column(float, pa.Check.in_range(49.8, 55.9)),
        "longitude": pa.Column(float, pa.Check.in_range(-6.5, 1.8)),
        "former_ccg_code": pa.Column(str, nullable=True),
        "icb_code": pa.Column(str, pa.Check.str_matches(ICB_ODS)),
        "icb_name": pa.Column(str),
        "region_code": pa.Column(str, pa.Check.str_matches(REGION_ODS)),
        "region_name": pa.Column(str),
        "lad_code": pa.Column(str, pa.Check.str_matches(r"^E0[6-9]\d{6}$")),
        "lad_name": pa.Column(str),
        "population": pa.Column(float, pa.Check.ge(0)),
        **{name: pa.Column(float, pa.Check.ge(0)) for name in COMPONENTS},
    },
    unique=["year", "practice_code"],
    strict=True,
    ordered=True,
)
_ = gss  # code formats live in the registry


def _read_year(raw: RawFolder, year: str) -> pd.DataFrame:
    file = YEARS[year]
    frame = raw.read_csv(file)
    renamed: dict[str, str] = {}
    for ours, candidates in HEADERS.items():
        found = [c for c in candidates if c in frame.columns]
        if not found:
            raise DataValidationError(
                file, f"expected one of the columns {candidates}", row=1, field=ours
            )
        renamed[found[0]] = ours
    frame = frame[list(renamed)].rename(columns=renamed)
    frame.insert(0, "year", year)
    to_number(frame, NUMERIC, file)
    frame[NUMERIC] = frame[NUMERIC].astype("float64")
    frame = check_frame(_part_schema, frame, file)
    # Published totals: every component sums to the national registered population.
    total = frame["population"].sum()
    for name, theirs in COMPONENTS.items():
        difference = abs(frame[name].sum() - total)
        if difference > 1.0:
            raise DataValidationError(
                file,
                f"column total {frame[name].sum():,.1f} differs from the national registered"
                f" population {total:,.1f} by {difference:,.1f}",
                field=theirs,
            )
    return frame


def build(raw: RawFolder, _tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    parts = [_read_year(raw, year) for year in YEARS]
    return pd.concat(parts, ignore_index=True)


weighted_populations = register(
    Dataset(
        name="weighted_populations",
        title="NHS England practice-level weighted populations by financial year",
        sources=tuple(YEARS.values()),
        schema=_part_schema,
        build=build,
        sort_by=("year", "practice_code"),
    )
)
