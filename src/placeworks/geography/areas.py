"""The small areas (LSOA 2021) and GP practices of a year, with the figures the tree reports.

Every year uses the 2021 small-area geography (LSOA 2021 > ward 2024 > district 2024 > sub-ICB
2024 > ICB 2024), so that trees of different years compare like with like. What changes by year
is the set of practices and their registered populations (NHS England's file of that year) and
the edition of the Indices of Deprivation (IoD2025 for 2025/26; IoD2019 before).
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import pandas as pd

from placeworks.data import load

YEARS = ("2023/24", "2024/25", "2025/26")
DEFAULT_YEAR = "2025/26"
IMD_EDITION = {"2023/24": "IoD2019", "2024/25": "IoD2019", "2025/26": "IoD2025"}


def check_year(year: str) -> str:
    if year not in YEARS:
        raise KeyError(f"year {year!r} not available; choose one of {', '.join(YEARS)}")
    return year


@cache
def small_areas(year: str = DEFAULT_YEAR) -> pd.DataFrame:
    """English LSOA 2021 with ward, district, ICB, resident population and IMD, indexed by code."""
    check_year(year)
    lsoa = load("lsoa21")[
        ["lsoa21_code", "ward24_code", "ward24_name", "lad24_code", "lad24_name", "icb24_code_nhs"]
    ].rename(columns={"icb24_code_nhs": "icb_code"})
    population = load("population_lsoa21")[["lsoa21_code", "population"]]
    frame = lsoa.merge(population, on="lsoa21_code", how="left", validate="one_to_one")
    frame = frame.merge(imd_for_lsoa21(year), on="lsoa21_code", how="left", validate="one_to_one")
    frame["population"] = frame["population"].fillna(0).astype("int64")
    return frame.set_index("lsoa21_code")


def imd_for_lsoa21(year: str) -> pd.DataFrame:
    """IMD score and national decile for each LSOA 2021 in the year's edition.

    IoD2025 is published for LSOA 2021. IoD2019 is published for LSOA 2011 and is carried to
    LSOA 2021 through ONS's best-fit lookup: an unchanged or split area keeps its 2011 area's
    score and decile; a merged or redrawn area takes the mean score of its 2011 areas (which
    have near-equal populations by design) and the decile of the 2011 area nearest that mean.
    """
    if IMD_EDITION[year] == "IoD2025":
        imd = load("imd2025_lsoa21")
        return imd[["lsoa21_code", "imd_score", "imd_decile"]]
    imd = load("imd2019_lsoa11")[["lsoa11_code", "imd_score", "imd_decile"]]
    pairs = load("lsoa11_lsoa21")[["lsoa11_code", "lsoa21_code"]].merge(imd, on="lsoa11_code")
    mean = pairs.groupby("lsoa21_code")["imd_score"].transform("mean")
    pairs = pairs.assign(mean=mean, gap=(pairs["imd_score"] - mean).abs())
    nearest = pairs.sort_values(["lsoa21_code", "gap", "lsoa11_code"]).drop_duplicates(
        "lsoa21_code"
    )
    return pd.DataFrame(
        {
            "lsoa21_code": nearest["lsoa21_code"].to_numpy(),
            "imd_score": nearest["mean"].to_numpy(),
            "imd_decile": nearest["imd_decile"].to_numpy(),
        }
    )


@cache
def practices(year: str = DEFAULT_YEAR) -> pd.DataFrame:
    """The GP practices NHS England allocates to in ``year``, located and linked to their PCN.

    Columns: practice_code, practice_name, icb_code, icb_name, region_name, registered (NHS
    England's practice population), latitude, longitude, lsoa21_code (where the practice is),
    area_icb_code (the ICB whose area that is), lad24_code, pcn_code, pcn_name, imd_score
    (IoD2019 score of the practice's registered patients, OHID Fingertips 93553).
    """
    check_year(year)
    wp = load("weighted_populations")
    frame = wp.loc[
        wp["year"] == year,
        ["practice_code", "practice_name", "icb_code", "icb_name", "region_name", "population"],
    ].rename(columns={"population": "registered"})
    located = load("practice_locations")[["practice_code", "latitude", "longitude", "lsoa21_code"]]
    frame = frame.merge(located, on="practice_code", how="left", validate="one_to_one")
    areas = load("lsoa21")[["lsoa21_code", "lad24_code", "icb24_code_nhs"]].rename(
        columns={"icb24_code_nhs": "area_icb_code"}
    )
    frame = frame.merge(areas, on="lsoa21_code", how="left", validate="many_to_one")
    pcn = load("practice_pcn")[["practice_code", "pcn_code"]].merge(
        load("pcns")[["pcn_code", "pcn_name"]], on="pcn_code", how="left"
    )
    frame = frame.merge(pcn, on="practice_code", how="left", validate="one_to_one")
    imd = load("practice_imd2019")[["practice_code", "imd2019_score"]].rename(
        columns={"imd2019_score": "imd_score"}
    )
    frame = frame.merge(imd, on="practice_code", how="left", validate="one_to_one")
    return frame.reset_index(drop=True)


def distance_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km (haversine), vectorised over numpy arrays."""
    lat1, lon1, lat2, lon2 = map(np.radians, (lat1, lon1, lat2, lon2))
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * np.arcsin(np.sqrt(a))


def weighted_mean(values: pd.Series, weights: pd.Series) -> float | None:
    mask = values.notna() & weights.notna()
    total = float(weights[mask].sum())
    if total <= 0 or math.isnan(total):
        return None
    return float((values[mask] * weights[mask]).sum() / total)
