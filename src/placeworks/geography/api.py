"""The geography API used by the command line, the web app and the analytics."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from placeworks.data import load
from placeworks.geography.areas import DEFAULT_YEAR, check_year, practices, small_areas
from placeworks.geography.definitions import IcbDefinition, Place, shipped_definitions
from placeworks.geography.nodes import Level, Node
from placeworks.geography.tree import build_icb_tree


@dataclass(frozen=True)
class IcbSummary:
    code: str
    name: str
    region_name: str
    practices: int
    registered_population: float
    resident_population: float | None


def icbs(year: str = DEFAULT_YEAR) -> list[IcbSummary]:
    """Every ICB NHS England allocates to in ``year``, by name."""
    frame = practices(check_year(year))
    resident = small_areas(year).groupby("icb_code")["population"].sum()
    grouped = frame.groupby(["icb_code", "icb_name", "region_name"], as_index=False).agg(
        practices=("practice_code", "size"), registered=("registered", "sum")
    )
    return sorted(
        (
            IcbSummary(
                code=row.icb_code,
                name=row.icb_name,
                region_name=row.region_name,
                practices=int(row.practices),
                registered_population=float(row.registered),
                resident_population=float(resident[row.icb_code])
                if row.icb_code in resident.index
                else None,
            )
            for row in grouped.itertuples()
        ),
        key=lambda s: s.name,
    )


def default_definition(icb: str, year: str = DEFAULT_YEAR) -> IcbDefinition:
    """Places for an ICB without its own definition: its upper-tier local authorities."""
    areas = small_areas(year)
    lads = sorted(set(areas.loc[areas["icb_code"] == icb, "lad24_code"]))
    if not lads:
        raise KeyError(f"ICB {icb} has no areas in the ONS lookup")
    tiers = load("lad24_upper_tier").set_index("lad24_code").loc[lads]
    places = [
        Place(code=f"{icb}-{utla}", name=group["utla_name"].iloc[0], districts=tuple(group.index))
        for utla, group in tiers.groupby("utla_code", sort=True)
    ]
    return IcbDefinition(
        icb=icb, source="default: the ICB's upper-tier local authorities", places=tuple(places)
    )


def definition_for(icb: str, year: str = DEFAULT_YEAR) -> IcbDefinition:
    return shipped_definitions().get(icb) or default_definition(icb, year)


def icb_tree(icb: str, year: str = DEFAULT_YEAR, definition: IcbDefinition | None = None) -> Node:
    """The tree under ``icb`` for ``year`` (by default from the shipped or default definition)."""
    check_year(year)
    if definition is None:
        return _cached_tree(icb, year)
    if definition.icb != icb:
        raise ValueError(f"definition is for {definition.icb}, not {icb}")
    return build_icb_tree(icb, year, definition)


@cache
def _cached_tree(icb: str, year: str) -> Node:
    known = {s.code for s in icbs(year)}
    if icb not in known:
        raise KeyError(f"no ICB with ODS code {icb!r} in {year}")
    return build_icb_tree(icb, year, definition_for(icb, year))


AREA_LEVELS = (Level.ICB, Level.PLACE, Level.LOCALITY, Level.DISTRICT, Level.NEIGHBOURHOOD)


def find(code: str, year: str = DEFAULT_YEAR, *, icb: str | None = None) -> Node:
    """The node with ``code`` (an ICB, place, locality, district, neighbourhood, PCN or practice).

    ICBs with a shipped definition are searched first; ``icb`` limits the search to one ICB (a
    district can be split between ICBs).
    """
    check_year(year)
    codes = [s.code for s in icbs(year)]
    if code in codes and icb in (None, code):
        return icb_tree(code, year)
    order = [icb] if icb else sorted(codes, key=lambda c: (c not in shipped_definitions(), c))
    for candidate in order:
        node = icb_tree(candidate, year).find(code)
        if node is not None:
            return node
    raise KeyError(f"no node with code {code!r} in {year}")
