"""``variation``: checks the request, computes the indicator's parts and assembles the result."""

from __future__ import annotations

from placeworks.engine import Engine, connect
from placeworks.indicators.catalogue import GROUPINGS, IndicatorDefinition, indicator
from placeworks.indicators.variation.groups import group_codes, names, parents
from placeworks.indicators.variation.health_index import health_index
from placeworks.indicators.variation.qof import qof
from placeworks.indicators.variation.results import FIGURES, GroupValue, Variation
from placeworks.indicators.variation.scores import imd
from placeworks.indicators.variation.tree import LEVELS, geography, icb_codes, within_node


def variation(
    icb: str,
    grouping: str,
    indicator: str,
    *,
    within: str | None = None,
    engine: Engine | None = None,
) -> Variation:
    """``indicator`` across the ``grouping`` of ``icb`` (only those under ``within`` if given).

    ``grouping`` is one of :func:`groupings`; ``indicator`` an id of :func:`catalogue`;
    ``within`` the code of a place, locality, district or neighbourhood of the ICB above the
    grouping (for example West Lancashire, ``E07000127``, for its neighbourhoods). An unknown
    ICB, grouping, indicator or area is a ValueError naming it and listing the choices. Sums
    run on ``engine`` (a private DuckDB engine when none is given).
    """
    definition = _check(icb, grouping, indicator)
    geo = geography(icb)
    parent_node = within_node(geo, grouping, within)
    if engine is None:
        with connect() as own:
            return _variation(definition, geo, grouping, parent_node, own)
    return _variation(definition, geo, grouping, parent_node, engine)


def _check(icb: str, grouping: str, indicator_id: str) -> IndicatorDefinition:
    codes = icb_codes()
    if icb not in codes:
        raise ValueError(f"unknown ICB {icb!r}; choose one of {', '.join(codes)}")
    if grouping not in LEVELS:
        valid = ", ".join(g for g, _ in GROUPINGS)
        raise ValueError(f"unknown grouping {grouping!r}; choose one of {valid}")
    definition = indicator(indicator_id)
    if grouping not in definition.groupings:
        raise ValueError(
            f"indicator {indicator_id!r} is not available for {grouping}; choose one of"
            f" {', '.join(definition.groupings)}"
        )
    return definition


def _variation(definition, geo, grouping, within, engine) -> Variation:
    level = LEVELS[grouping]
    if definition.kind == "proportion":
        parts = qof(definition, geo, level, within, engine)
    elif definition.id == "imd-2019":
        parts = imd(definition, geo, level, within, engine)
    else:
        parts = health_index(definition, geo, level, within, engine)
    codes = group_codes(geo, level, within)
    group_names = names(geo, codes)
    group_parents = parents(geo, level, codes)
    groups = tuple(
        GroupValue(
            code=code,
            name=group_names[code],
            **{
                **dict.fromkeys(FIGURES),
                "significance": "Not compared",
                **parts["figures"].get(code, {}),
            },
            parent=group_parents[code],
            practices=int(parts["counts"].get(code, 0)),
        )
        for code in codes
    )
    notes = list(parts["notes"])
    if not codes:
        notes.insert(0, f"{geo.tree.name} has no {grouping} defined here.")
    parent_names = {
        code: geo.nodes[code].name for code in group_parents.values() if code and code in geo.nodes
    }
    icb_value = GroupValue(
        code=geo.tree.code,
        name=geo.tree.name,
        **parts["icb"],
        practices=parts.get("icb_practices", len(geo.practices)),
    )
    return Variation(
        indicator=definition,
        icb=geo.tree.code,
        icb_name=geo.tree.name,
        grouping=grouping,
        within=within.code if within else None,
        benchmark=parts["benchmark"],
        groups=groups,
        funnel=parts["funnel"],
        series=parts["series"],
        sii=parts["sii"],
        notes=tuple(dict.fromkeys(notes)),
        within_name=within.name if within else None,
        icb_value=icb_value,
        parent_names=parent_names,
    )
