"""The ICB's geography as frames: its practices and small areas with the codes of their areas.

Every indicator is grouped along the 2023/24 tree (the nearest to QOF 2020-21, with IoD2019).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pandas as pd

from placeworks.geography import Level, Node, icb_tree, icbs
from placeworks.geography.api import definition_for
from placeworks.geography.areas import small_areas
from placeworks.geography.tree import OUTSIDE_ICB_AREA, PCN_SPANS_PLACES

#: The geography year the indicators are grouped by: the nearest to QOF 2020-21, with IoD2019.
TREE_YEAR = "2023/24"
NO_PCN_CODE = "NO-PCN"
NO_PCN_NAME = "Practices in no PCN"

LEVELS = {
    "places": Level.PLACE,
    "localities": Level.LOCALITY,
    "districts": Level.DISTRICT,
    "neighbourhoods": Level.NEIGHBOURHOOD,
    "pcns": Level.PCN,
}
ORDER = (Level.ICB, Level.PLACE, Level.LOCALITY, Level.DISTRICT, Level.NEIGHBOURHOOD, Level.PCN)
AREAS = (Level.ICB, Level.PLACE, Level.LOCALITY, Level.DISTRICT, Level.NEIGHBOURHOOD)
PATH = ("place", "locality", "district", "neighbourhood", "pcn")


@dataclass(frozen=True)
class Geography:
    tree: Node
    nodes: dict[str, Node]
    parent: dict[str, str | None]
    practices: pd.DataFrame  # one row per practice with its place ... pcn codes
    areas: pd.DataFrame  # one row per LSOA with its place ... neighbourhood codes


def _area_mask(group, frame: pd.DataFrame) -> pd.Series:
    column = {"districts": "lad24_code", "wards": "ward24_code", "lsoas": "lsoa21_code"}
    if group.kind not in column:
        return pd.Series(False, index=frame.index)
    return frame[column[group.kind]].isin(set(group.codes))


@cache
def geography(icb: str) -> Geography:
    """The ICB's tree, its nodes by code, each area's parent area and its frames."""
    tree = icb_tree(icb, TREE_YEAR)
    nodes: dict[str, Node] = {}
    parent: dict[str, str | None] = {}
    rows: list[dict] = []

    def walk(node: Node, path: dict[str, str], area: str | None) -> None:
        path = {**path, node.level.value: node.code}
        nodes.setdefault(node.code, node)
        if node.level is not Level.PRACTICE:
            parent.setdefault(node.code, area)
        if node.level is Level.PRACTICE:
            rows.append(
                {
                    "practice_code": node.code,
                    "practice_name": node.name,
                    "registered": node.registered_population,
                    "imd_score": node.imd_score,
                    "outside": OUTSIDE_ICB_AREA in node.flags,
                    "spans": PCN_SPANS_PLACES in node.flags,
                    **{level: path.get(level) for level in PATH},
                }
            )
        below = node.code if node.level in AREAS else area
        for child in node.children:
            walk(child, path, below)

    walk(tree, {}, None)
    practices = pd.DataFrame(rows)
    practices["imd_score"] = practices["imd_score"].astype("float64")

    areas = small_areas(TREE_YEAR)
    areas = areas[areas["icb_code"] == icb].reset_index()
    areas = areas[["lsoa21_code", "ward24_code", "lad24_code", "population", "imd_score"]].copy()
    for level in ("place", "locality", "neighbourhood"):
        areas[level] = None
    definition = definition_for(icb, TREE_YEAR)
    for place in definition.places:
        in_place = _area_mask(place, areas)
        areas.loc[in_place, "place"] = place.code
        for locality in place.localities:
            areas.loc[in_place & _area_mask(locality, areas), "locality"] = locality.code
    for hood in definition.neighbourhoods:
        areas.loc[_area_mask(hood, areas), "neighbourhood"] = hood.code
    areas["district"] = areas["lad24_code"]
    areas["population"] = areas["population"].astype("float64")
    areas["imd_score"] = areas["imd_score"].astype("float64")
    return Geography(tree, nodes, parent, practices, areas)


def icb_codes() -> list[str]:
    return sorted(summary.code for summary in icbs(TREE_YEAR))


def within_node(geo: Geography, grouping: str, within: str | None) -> Node | None:
    """The area above ``grouping`` to look within; None for the whole ICB. ValueError if none."""
    if within is None or within == geo.tree.code:
        return None
    rank = ORDER.index(LEVELS[grouping])
    above = {
        code: node
        for code, node in geo.nodes.items()
        if node.level in AREAS and node.level is not Level.ICB and ORDER.index(node.level) < rank
    }
    if within not in above:
        valid = ", ".join(f"{code} ({node.name})" for code, node in above.items()) or "none"
        raise ValueError(
            f"unknown area {within!r} to look within for {grouping} of {geo.tree.code};"
            f" choose one of {valid}"
        )
    return above[within]


def selected(frame: pd.DataFrame, within: Node | None) -> pd.DataFrame:
    """The rows of ``frame`` under ``within`` (all of them for the whole ICB)."""
    if within is None:
        return frame
    return frame[frame[within.level.value] == within.code]
