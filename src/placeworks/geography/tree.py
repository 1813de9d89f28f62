"""Build the tree under an ICB from its definition and the year's data.

The rules:

* The ICB's area is its LSOAs (ONS LSOA 2021 to ICB 2024). Its practices are those NHS England
  allocates to the ICB in the year.
* Each practice is *anchored* at the LSOA where it stands. A practice standing outside its ICB's
  area is anchored at the LSOA of the nearest practice of the same ICB inside the area, and is
  flagged ``outside-icb-area``: its patients very likely live on both sides of the boundary.
* Groupings made of districts, wards or LSOAs take the areas they name and the practices anchored
  there; groupings made of practices take those practices. The places must partition the ICB's
  areas and practices, and a place's localities must partition the place: a gap or an overlap is
  an error naming the codes.
* Districts (and neighbourhoods within them) split each place or locality; PCNs group practices
  inside the lowest area node. A PCN whose practices fall in more than one place is flagged
  ``pcn-spans-places`` (on the PCN and on each of its practices), because its patients are served
  across the boundary.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from placeworks.data.errors import DataValidationError
from placeworks.geography.areas import distance_km, practices, small_areas, weighted_mean
from placeworks.geography.definitions import Grouping, IcbDefinition
from placeworks.geography.nodes import Level, Node

OUTSIDE_ICB_AREA = "outside-icb-area"
PCN_SPANS_PLACES = "pcn-spans-places"
NO_PCN = "no-pcn"
PART_DISTRICT = "part-of-district"


@dataclass
class _Scope:
    """The areas and practices of one node while it is being built."""

    areas: pd.DataFrame  # indexed by lsoa21_code
    practices: pd.DataFrame  # indexed by practice_code


def build_icb_tree(icb: str, year: str, definition: IcbDefinition) -> Node:
    areas = small_areas(year)
    icb_areas = areas[areas["icb_code"] == icb]
    icb_practices = practices(year)
    icb_practices = icb_practices[icb_practices["icb_code"] == icb].set_index("practice_code")
    if icb_practices.empty:
        raise KeyError(f"no practices for ICB {icb} in {year}")
    anchored = _anchor(icb_practices, icb_areas)
    source = f"definition of {icb}"
    scope = _Scope(icb_areas, anchored)

    place_scopes = _partition(scope, definition.places, source, "places", "the ICB")
    place_of = pd.Series(
        {code: place.code for place, sub in place_scopes for code in sub.practices.index},
        dtype=object,
    )
    spans = _pcns_spanning(anchored, place_of)
    district_names = areas.groupby("lad24_code")["lad24_name"].first()
    split_districts = set(areas.loc[areas["icb_code"] != icb, "lad24_code"].unique()) & set(
        icb_areas["lad24_code"].unique()
    )

    def district_nodes(sub: _Scope) -> tuple[Node, ...]:
        nodes = []
        codes = sorted(set(sub.areas["lad24_code"]) | set(sub.practices["anchor_lad24_code"]))
        for lad in codes:
            district = _Scope(
                sub.areas[sub.areas["lad24_code"] == lad],
                sub.practices[sub.practices["anchor_lad24_code"] == lad],
            )
            nodes.append(
                _node(
                    lad,
                    district_names.get(lad, lad),
                    Level.DISTRICT,
                    district,
                    flags=(PART_DISTRICT,) if lad in split_districts else (),
                    children=_neighbourhood_nodes(district, definition, spans, source),
                )
            )
        return tuple(nodes)

    place_nodes = []
    for place, sub in place_scopes:
        if place.localities:
            locality_scopes = _partition(
                sub, place.localities, source, f"localities of {place.code}", place.code
            )
            children = tuple(
                _node(
                    loc.code,
                    loc.name,
                    Level.LOCALITY,
                    loc_scope,
                    children=district_nodes(loc_scope),
                )
                for loc, loc_scope in locality_scopes
            )
        else:
            children = district_nodes(sub)
        place_nodes.append(_node(place.code, place.name, Level.PLACE, sub, children=children))
    name = definition.name or str(icb_practices["icb_name"].iloc[0])
    return _node(icb, name, Level.ICB, scope, children=tuple(place_nodes))


def _anchor(icb_practices: pd.DataFrame, icb_areas: pd.DataFrame) -> pd.DataFrame:
    """Give each practice the LSOA it is counted in, flagging those outside the ICB's area."""
    frame = icb_practices.copy()
    inside = frame["lsoa21_code"].isin(icb_areas.index)
    frame["anchor_lsoa21_code"] = frame["lsoa21_code"].where(inside)
    frame["outside"] = ~inside
    if not inside.any():
        raise DataValidationError("practice_locations", "no practice of the ICB lies in its area")
    if (~inside).any():
        ref = frame[inside]
        for code, row in frame[~inside].iterrows():
            km = distance_km(row["latitude"], row["longitude"], ref["latitude"], ref["longitude"])
            frame.at[code, "anchor_lsoa21_code"] = ref["lsoa21_code"].iloc[int(np.argmin(km))]
    frame["anchor_lad24_code"] = icb_areas.loc[frame["anchor_lsoa21_code"], "lad24_code"].to_numpy()
    frame["anchor_ward24_code"] = icb_areas.loc[
        frame["anchor_lsoa21_code"], "ward24_code"
    ].to_numpy()
    return frame


def _members(group: Grouping, scope: _Scope) -> _Scope:
    """The areas and practices of ``scope`` that belong to ``group``."""
    codes = set(group.codes)
    if group.kind == "practices":
        return _Scope(scope.areas.iloc[0:0], scope.practices[scope.practices.index.isin(codes)])
    if group.kind == "districts":
        area_mask = scope.areas["lad24_code"].isin(codes)
    elif group.kind == "wards":
        area_mask = scope.areas["ward24_code"].isin(codes)
    else:
        area_mask = scope.areas.index.isin(codes)
    areas = scope.areas[area_mask]
    return _Scope(areas, scope.practices[scope.practices["anchor_lsoa21_code"].isin(areas.index)])


def _partition(scope: _Scope, groups, source: str, what: str, parent: str):
    """Split ``scope`` into ``groups``; every area and practice must land in exactly one."""
    parts = [(group, _members(group, scope)) for group in groups]
    for group, part in parts:
        if part.practices.empty and part.areas.empty:
            raise DataValidationError(
                source,
                f"{group.code} ({group.name}) has no areas or practices in {parent}",
                field=what,
            )
    area_counts = pd.concat([part.areas.index.to_series() for _, part in parts]).value_counts()
    practice_counts = pd.concat(
        [part.practices.index.to_series() for _, part in parts]
    ).value_counts()
    area_based = any(group.kind != "practices" for group in groups)
    missing_areas = scope.areas.index.difference(area_counts.index) if area_based else []
    problems = []
    if len(missing_areas):
        lads = sorted(set(scope.areas.loc[missing_areas, "lad24_code"]))
        problems.append(
            f"{len(missing_areas)} LSOAs of {parent} are in none of the {what}"
            f" (districts {', '.join(lads)})"
        )
    doubled = area_counts[area_counts > 1].index
    if len(doubled):
        problems.append(f"LSOAs in more than one of the {what}: {', '.join(sorted(doubled)[:5])}")
    missing_practices = scope.practices.index.difference(practice_counts.index)
    if len(missing_practices):
        problems.append(
            f"practices of {parent} in none of the {what}: "
            f"{', '.join(sorted(missing_practices)[:10])}"
        )
    doubled = practice_counts[practice_counts > 1].index
    if len(doubled):
        problems.append(f"practices in more than one of the {what}: {', '.join(sorted(doubled))}")
    if problems:
        raise DataValidationError(source, "; ".join(problems), field=what)
    return parts


def _pcns_spanning(frame: pd.DataFrame, place_of: pd.Series) -> set[str]:
    places = frame.assign(place=place_of.reindex(frame.index)).dropna(subset=["pcn_code"])
    counts = places.groupby("pcn_code")["place"].nunique()
    return set(counts[counts > 1].index)


def _neighbourhood_nodes(
    district: _Scope, definition: IcbDefinition, spans: set[str], source: str
) -> tuple[Node, ...]:
    nodes: list[Node] = []
    remaining = district.practices
    for hood in definition.neighbourhoods:
        part = _members(hood, district)
        if part.areas.empty and part.practices.empty:
            continue
        remaining = remaining.drop(part.practices.index, errors="ignore")
        nodes.append(
            _node(
                hood.code,
                hood.name,
                Level.NEIGHBOURHOOD,
                part,
                children=_pcn_nodes(part.practices, spans),
            )
        )
    if nodes:
        covered = pd.concat([_members(h, district).areas for h in definition.neighbourhoods])
        if covered.index.duplicated().any():
            raise DataValidationError(
                source,
                "an LSOA is in more than one neighbourhood: "
                f"{covered.index[covered.index.duplicated()][0]}",
                field="neighbourhoods",
            )
    return (*nodes, *_pcn_nodes(remaining, spans))


def _pcn_nodes(frame: pd.DataFrame, spans: set[str]) -> tuple[Node, ...]:
    nodes: list[Node] = []
    with_pcn = frame.dropna(subset=["pcn_code"])
    for pcn, members in with_pcn.groupby("pcn_code", sort=True):
        nodes.append(
            _node(
                pcn,
                str(members["pcn_name"].iloc[0]),
                Level.PCN,
                _Scope(None, members),
                flags=(PCN_SPANS_PLACES,) if pcn in spans else (),
                children=_practice_nodes(members, spans),
            )
        )
    nodes.extend(_practice_nodes(frame[frame["pcn_code"].isna()], spans))
    return tuple(nodes)


def _practice_nodes(frame: pd.DataFrame, spans: set[str]) -> tuple[Node, ...]:
    nodes = []
    for code, row in frame.sort_index().iterrows():
        flags = []
        if row["outside"]:
            flags.append(OUTSIDE_ICB_AREA)
        if pd.isna(row["pcn_code"]):
            flags.append(NO_PCN)
        elif row["pcn_code"] in spans:
            flags.append(PCN_SPANS_PLACES)
        score = row["imd_score"]
        nodes.append(
            Node(
                code=str(code),
                name=str(row["practice_name"]),
                level=Level.PRACTICE,
                resident_population=None,
                registered_population=float(row["registered"]),
                practices=1,
                imd_score=None if pd.isna(score) else float(score),
                flags=tuple(flags),
            )
        )
    return tuple(nodes)


def _node(code, name, level, scope: _Scope, *, flags=(), children=()) -> Node:
    frame = scope.practices
    if scope.areas is None:  # a PCN: figures of its practices only
        resident = None
        imd = weighted_mean(frame["imd_score"], frame["registered"])
        deciles = None
    else:
        areas = scope.areas
        resident = float(areas["population"].sum())
        imd = weighted_mean(areas["imd_score"], areas["population"])
        by_decile = areas.groupby("imd_decile")["population"].sum()
        deciles = (
            tuple(float(by_decile.get(d, 0) / resident) for d in range(1, 11)) if resident else None
        )
    return Node(
        code=code,
        name=name,
        level=level,
        resident_population=resident,
        registered_population=float(frame["registered"].sum()),
        practices=len(frame),
        imd_score=imd,
        imd_deciles=deciles,
        flags=tuple(flags),
        children=tuple(children),
    )
