"""Local authority districts (2024) and the upper-tier authority each belongs to.

Unitary authorities, metropolitan and London boroughs are their own upper tier. A two-tier
district (E07) belongs to a county council; the county of each district is read from the
``LA21`` column of NHS England's 2023/24 practice file, and the county's name from the ONS
register of county codes (the names are not in any raw file, so they are listed here).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import pandera.pandas as pa

from placeworks.data.errors import DataValidationError
from placeworks.data.raw import RawFolder
from placeworks.data.registry import Dataset, gss, register

# ONS Register of Geographic Codes: county councils (E10) in being in 2024.
COUNTY_NAMES = {
    "E10000003": "Cambridgeshire",
    "E10000007": "Derbyshire",
    "E10000008": "Devon",
    "E10000011": "East Sussex",
    "E10000012": "Essex",
    "E10000013": "Gloucestershire",
    "E10000014": "Hampshire",
    "E10000015": "Hertfordshire",
    "E10000016": "Kent",
    "E10000017": "Lancashire",
    "E10000018": "Leicestershire",
    "E10000019": "Lincolnshire",
    "E10000020": "Norfolk",
    "E10000024": "Nottinghamshire",
    "E10000025": "Oxfordshire",
    "E10000028": "Staffordshire",
    "E10000029": "Suffolk",
    "E10000030": "Surrey",
    "E10000031": "Warwickshire",
    "E10000032": "West Sussex",
    "E10000034": "Worcestershire",
}

LADS = "geography/lookup_ltla24_region24.csv"
PRACTICES_2023 = "allocations/nhse_place_tool_2023_2024.csv"

schema = pa.DataFrameSchema(
    {
        "lad24_code": pa.Column(str, pa.Check.str_matches(r"^E0[6-9]\d{6}$"), unique=True),
        "lad24_name": pa.Column(str),
        "utla_code": pa.Column(str, pa.Check.str_matches(r"^E(0[689]|10)\d{6}$")),
        "utla_name": pa.Column(str),
        "region24_code": pa.Column(str, pa.Check.str_matches(gss("E12"))),
    },
    strict=True,
    ordered=True,
)


def build(raw: RawFolder, _tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    lads = raw.read_csv(LADS)
    lads = lads[lads["ltla24_code"].str.startswith("E")]
    practices = raw.read_csv(PRACTICES_2023, usecols=["LAD21", "LA21"])
    county_of = (
        practices[practices["LA21"].str.startswith("E10", na=False)]
        .drop_duplicates()
        .set_index("LAD21")["LA21"]
    )
    if county_of.index.duplicated().any():
        lad = county_of.index[county_of.index.duplicated()][0]
        raise DataValidationError(PRACTICES_2023, f"district {lad} has two counties", field="LA21")
    rows = []
    for line, lad in lads.iterrows():
        code, name = lad["ltla24_code"], lad["ltla24_name"]
        if code.startswith("E07"):
            county = county_of.get(code)
            if county not in COUNTY_NAMES:
                raise DataValidationError(
                    LADS,
                    f"district {code} {name} has no county council in {PRACTICES_2023}"
                    f" (found {county!r})",
                    row=int(line),
                    field="ltla24_code",
                )
            rows.append((line, code, name, county, COUNTY_NAMES[county], lad["region24_code"]))
        else:
            rows.append((line, code, name, code, name, lad["region24_code"]))
    frame = pd.DataFrame(
        [r[1:] for r in rows], index=[r[0] for r in rows], columns=list(schema.columns)
    )
    return frame


register(
    Dataset(
        name="lad24_upper_tier",
        title="Local authority districts 2024 with their upper-tier authority and region",
        sources=(LADS, PRACTICES_2023),
        schema=schema,
        build=build,
        sort_by=("lad24_code",),
    )
)
