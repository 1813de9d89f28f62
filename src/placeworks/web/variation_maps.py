"""The areas the variation map draws: each group as the union of its LSOA 2021 boundaries.

A place, locality or neighbourhood is made of the districts, wards or LSOAs its definition names
(the rule of :mod:`placeworks.geography.tree`), cut to the ICB's LSOAs; a district is its LSOAs
in the ICB. Groups made of practices (PCNs, practice-based places) have no area and are left off
the map. The data package holds LSOA boundaries for Lancashire and South Cumbria only, so other
ICBs get no map (the page says so).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import pandas as pd
import shapely

from placeworks.data import load
from placeworks.geography import DEFAULT_YEAR, IcbDefinition
from placeworks.geography.areas import small_areas

SIMPLIFY = 0.0004  # degrees, about 30 m: enough for a page-wide map, and keeps the SVG small


@dataclass(frozen=True)
class MapAreas:
    """Shapely geometries (lon/lat) of the groups, by code, and the outline to draw them on."""

    areas: dict[str, object]
    outline: object | None


@cache
def _boundaries() -> pd.Series:
    frame = load("boundaries_lsoa21_lsc")
    return pd.Series(shapely.from_wkb(frame["geometry"].to_numpy()), index=frame["lsoa21_code"])


def _icb_areas(icb: str, year: str) -> pd.DataFrame:
    areas = small_areas(year)
    return areas[areas["icb_code"] == icb]


def has_boundaries(icb: str, year: str = DEFAULT_YEAR) -> bool:
    """Whether every LSOA of the ICB has a boundary in the data package."""
    codes = _icb_areas(icb, year).index
    return len(codes) > 0 and codes.isin(_boundaries().index).all()


def lsoas_of(code: str, definition: IcbDefinition, icb_areas: pd.DataFrame) -> list[str] | None:
    """The ICB's LSOAs in the group ``code``, or ``None`` if it is not made of areas."""
    group = next((g for g in definition.groupings() if g.code == code), None)
    if group is None:
        if code == definition.icb:
            return list(icb_areas.index)
        if code in set(icb_areas["lad24_code"]):
            return list(icb_areas.index[icb_areas["lad24_code"] == code])
        return None
    members = set(group.codes)
    if group.kind == "districts":
        mask = icb_areas["lad24_code"].isin(members)
    elif group.kind == "wards":
        mask = icb_areas["ward24_code"].isin(members)
    elif group.kind == "lsoas":
        mask = icb_areas.index.isin(members)
    else:  # practices
        return None
    return list(icb_areas.index[mask])


def _union(lsoas: Iterable[str]) -> object:
    geometries = _boundaries().reindex(list(lsoas)).dropna().to_numpy()
    return shapely.union_all(geometries).simplify(SIMPLIFY, preserve_topology=True)


def map_areas(
    icb: str,
    codes: Iterable[str],
    definition: IcbDefinition,
    *,
    within: str | None = None,
    year: str = DEFAULT_YEAR,
) -> MapAreas | None:
    """The areas of the groups ``codes`` that are made of areas, or ``None`` when none is (or
    the ICB has no boundaries in the data package)."""
    if not has_boundaries(icb, year):
        return None
    icb_areas = _icb_areas(icb, year)
    areas = {}
    for code in codes:
        lsoas = lsoas_of(code, definition, icb_areas)
        if lsoas:
            areas[code] = _union(lsoas)
    if not areas:
        return None
    frame_lsoas = lsoas_of(within, definition, icb_areas) if within else None
    outline = _union(frame_lsoas if frame_lsoas else icb_areas.index)
    return MapAreas(areas, outline)
