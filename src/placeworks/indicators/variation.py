"""Variation of an indicator across an ICB's places, localities, districts, neighbourhoods or PCNs.

``variation(icb, grouping, indicator)`` applies the indicator methods to the shipped data along
the geography tree (``placeworks.geography``) and returns each group's value with its limits and
its significance against the ICB, the funnel plot's control limits around the ICB value, a time
series with XmR limits where one exists, and the slope index of inequality of the indicator
across the ICB's deprivation deciles. See docs/indicator-methods.md, "Variation".

- **QOF prevalence** (``qof-*``): practice registers and list sizes (QOF 2020-21) are summed to
  the groups on the engine; the tree is the 2023/24 one (the nearest to 2020-21 and the year of
  the PCN file). Wilson limits at 95% and 99.8%; a group is significantly higher than the ICB
  when its lower limit is above the ICB value and lower when its upper limit is below it
  (OHID's comparison with a benchmark).
- **Deprivation** (``imd-2019``): IMD 2019 score weighted by residents over the group's small
  areas (PCNs: IoD2019 of registered patients weighted by list size). No limits.
- **Health Index** (``health-index*``): ONS Health Index of the 2021 district each small area lay
  in, weighted by residents; 2015-2021, so each group has a series for an XmR chart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd

from placeworks.data import load
from placeworks.engine import Engine, connect
from placeworks.geography import Level, Node, icb_tree, icbs
from placeworks.geography.api import definition_for
from placeworks.geography.areas import small_areas
from placeworks.geography.tree import OUTSIDE_ICB_AREA, PCN_SPANS_PLACES
from placeworks.indicators.catalogue import (
    GROUPINGS,
    IndicatorDefinition,
    catalogue,
    groupings,
    indicator,
)
from placeworks.indicators.funnels import assign_funnel_significance, calculate_funnel_limits
from placeworks.indicators.grouped import group_sums
from placeworks.indicators.inequality import phe_sii
from placeworks.indicators.proportions import phe_proportion
from placeworks.indicators.quantiles import phe_quantile
from placeworks.indicators.spc import spc_xmr

__all__ = [
    "GroupValue",
    "IndicatorDefinition",
    "Variation",
    "catalogue",
    "groupings",
    "variation",
]

#: The geography year the indicators are grouped by: the nearest to QOF 2020-21, with IoD2019.
TREE_YEAR = "2023/24"
#: The seed of the SII's simulated limits, so every run gives the same limits.
SII_SEED = 20210331
SII_REPETITIONS = 100_000
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

SIGNIFICANCE = (
    "Higher (99.8%)",
    "Higher (95%)",
    "Similar",
    "Lower (95%)",
    "Lower (99.8%)",
    "Not compared",
)


@dataclass(frozen=True)
class GroupValue:
    """One group's figures. For a score, ``denominator`` is the population weighting it.

    ``significance`` compares the limits with the ICB value ("Higher (99.8%)", "Higher (95%)",
    "Similar", "Lower (95%)", "Lower (99.8%)", "Not compared"); ``funnel_significance`` is where
    the group falls on the funnel around the ICB value ("High (0.001)", "High (0.025)", "Not
    significant", "Low (0.025)", "Low (0.001)"; proportions only). ``practices`` counts the
    practices whose figures the group holds.
    """

    code: str
    name: str
    numerator: float | None
    denominator: float | None
    value: float | None
    lower95: float | None
    upper95: float | None
    lower998: float | None
    upper998: float | None
    significance: str
    parent: str | None = None
    practices: int | None = None
    funnel_significance: str | None = None


@dataclass(frozen=True)
class Variation:
    """An indicator across one grouping of an ICB (optionally within one parent area).

    ``benchmark`` is the ICB's value, ``icb_value`` the ICB's own row with its limits. The
    ``funnel`` has the control limits around the ICB value at 100 denominators spanning the
    groups' (in the indicator's units: percentages for QOF). ``series`` is the yearly value of
    each group with ``spc_xmr``'s columns (Health Index only). ``sii`` is the slope (and
    relative) index of inequality of the indicator across the ICB's practices in deciles of
    deprivation (QOF only). Also: ``within_name``, ``year`` (of the geography tree) and
    ``parent_names`` (the name of each group's parent code).
    """

    indicator: IndicatorDefinition
    icb: str
    icb_name: str
    grouping: str
    within: str | None
    benchmark: float | None
    groups: tuple[GroupValue, ...]
    funnel: pd.DataFrame | None
    series: pd.DataFrame | None
    sii: dict | None
    notes: tuple[str, ...]
    within_name: str | None = None
    icb_value: GroupValue | None = None
    year: str = TREE_YEAR
    parent_names: dict[str, str] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """One row per group, ready for CSV: the indicator, period, benchmark and figures."""
        rows = [
            {
                "indicator": self.indicator.id,
                "indicator_name": self.indicator.name,
                "period": self.indicator.period,
                "unit": self.indicator.unit,
                "icb": self.icb,
                "grouping": self.grouping,
                "within": self.within,
                "code": group.code,
                "name": group.name,
                "parent": group.parent,
                "practices": group.practices,
                "numerator": group.numerator,
                "denominator": group.denominator,
                "value": group.value,
                "lower95": group.lower95,
                "upper95": group.upper95,
                "lower998": group.lower998,
                "upper998": group.upper998,
                "benchmark": self.benchmark,
                "significance": group.significance,
                "funnel_significance": group.funnel_significance,
            }
            for group in self.groups
        ]
        columns = [
            "indicator",
            "indicator_name",
            "period",
            "unit",
            "icb",
            "grouping",
            "within",
            "code",
            "name",
            "parent",
            "practices",
            "numerator",
            "denominator",
            "value",
            "lower95",
            "upper95",
            "lower998",
            "upper998",
            "benchmark",
            "significance",
            "funnel_significance",
        ]
        return pd.DataFrame(rows, columns=columns)


# --- the ICB's geography as frames ------------------------------------------------------------


@dataclass(frozen=True)
class _Geography:
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
def _geography(icb: str) -> _Geography:
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
    return _Geography(tree, nodes, parent, practices, areas)


def _icb_codes() -> list[str]:
    return sorted(summary.code for summary in icbs(TREE_YEAR))


# --- checks -----------------------------------------------------------------------------------


def _check(icb: str, grouping: str, indicator_id: str) -> IndicatorDefinition:
    codes = _icb_codes()
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


def _within(geo: _Geography, grouping: str, within: str | None) -> Node | None:
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


# --- shared pieces ----------------------------------------------------------------------------


def _sums(
    frame: pd.DataFrame, by: list[str], terms: dict, engine: Engine, uses: tuple[str, ...] = ()
) -> pd.DataFrame:
    """``group_sums`` of the rows with every ``by`` present; an empty frame when none are.

    Only ``by``, the columns named as terms and those in ``uses`` go to the engine.
    """
    named = [t for t in terms.values() if isinstance(t, str)]
    data = frame[list(dict.fromkeys([*by, *named, *uses]))].dropna(subset=by)
    if data.empty:
        return pd.DataFrame(columns=[*by, *terms])
    data = data.astype({column: str for column in by if data[column].dtype == object})
    return group_sums(data, by, terms, engine=engine)


def _none(value) -> float | None:
    if value is None or pd.isna(value):
        return None
    return float(value)


def significance(value, lower95, upper95, lower998, upper998, benchmark) -> str:
    """A group's value against the benchmark by its limits (OHID's comparison).

    Higher when the lower limit is above the benchmark, lower when the upper limit is below
    it, at 99.8% if that level's limit is also clear of it, else at 95%; otherwise similar.
    Without a value, limits or benchmark: "Not compared".
    """
    figures = [value, lower95, upper95, lower998, upper998, benchmark]
    if any(f is None or pd.isna(f) for f in figures):
        return "Not compared"
    if lower998 > benchmark:
        return "Higher (99.8%)"
    if lower95 > benchmark:
        return "Higher (95%)"
    if upper998 < benchmark:
        return "Lower (99.8%)"
    if upper95 < benchmark:
        return "Lower (95%)"
    return "Similar"


def _selected(frame: pd.DataFrame, within: Node | None) -> pd.DataFrame:
    if within is None:
        return frame
    return frame[frame[within.level.value] == within.code]


def _group_codes(geo: _Geography, level: Level, within: Node | None) -> list[str]:
    """The groups of ``level`` under ``within`` (or the ICB), in the tree's order."""
    if level is Level.PCN:
        frame = _selected(geo.practices, within)
        codes = sorted(
            frame["pcn"].dropna().unique(), key=lambda code: (geo.nodes[code].name, code)
        )
        return [*codes, *([NO_PCN_CODE] if frame["pcn"].isna().any() else [])]
    top = within or geo.tree
    return list(dict.fromkeys(node.code for node in top.walk() if node.level is level))


def _names(geo: _Geography, codes: list[str]) -> dict[str, str]:
    return {code: NO_PCN_NAME if code == NO_PCN_CODE else geo.nodes[code].name for code in codes}


def _parents(geo: _Geography, level: Level, codes: list[str]) -> dict[str, str | None]:
    if level is not Level.PCN:
        return {code: geo.parent.get(code) for code in codes}
    # a PCN's parent is the lowest area all its practices share
    frame = geo.practices.assign(pcn=geo.practices["pcn"].fillna(NO_PCN_CODE))
    result: dict[str, str | None] = {}
    for code, members in frame.groupby("pcn"):
        result[code] = None
        for column in ("neighbourhood", "district", "locality", "place"):
            values = members[column]
            if values.notna().all() and values.nunique() == 1:
                result[code] = str(values.iloc[0])
                break
    return {code: result.get(code) for code in codes}


def _practice_counts(geo: _Geography, level: Level, frame: pd.DataFrame) -> pd.Series:
    key = frame[level.value]
    if level is Level.PCN:
        key = key.fillna(NO_PCN_CODE)
    return key.value_counts()


def _flag_notes(frame: pd.DataFrame) -> list[str]:
    notes = []
    outside = frame[frame["outside"]]
    if len(outside):
        notes.append(
            f"{len(outside)} practice(s) stand outside the ICB's area"
            f" ({', '.join(sorted(outside['practice_code']))}): their patients likely live on"
            " both sides of the boundary; each is counted where it is anchored (ADR 4)."
        )
    spans = frame[frame["spans"]]
    if len(spans):
        notes.append(
            f"{len(spans)} practice(s) belong to a PCN whose practices lie in more than one"
            " place: the PCN's patients are served across the boundary."
        )
    return notes


# --- QOF prevalence ---------------------------------------------------------------------------


def _qof_frame(geo: _Geography, group: str) -> tuple[pd.DataFrame, list[str]]:
    qof = load("qof_prevalence_2021")
    rows = qof.loc[qof["group_code"] == group, ["practice_code", "register", "list_size"]]
    frame = geo.practices.merge(rows, on="practice_code", how="inner", validate="one_to_one")
    frame["register"] = frame["register"].astype("int64")
    frame["list_size"] = frame["list_size"].astype("int64")
    notes = []
    missing = sorted(set(geo.practices["practice_code"]) - set(frame["practice_code"]))
    if missing:
        notes.append(
            f"{len(missing)} of the ICB's {len(geo.practices)} practices in {TREE_YEAR} have no"
            f" QOF 2020-21 {group} return (opened or re-coded since) and are left out:"
            f" {', '.join(missing)}."
        )
    closed = _closed_since(geo, set(rows["practice_code"]))
    if len(closed):
        listed = ", ".join(
            f"{row.practice_code} ({row.name.title()}, closed {row.close_date:%Y-%m-%d})"
            if pd.notna(row.close_date)
            else f"{row.practice_code} ({row.name.title()})"
            for row in closed.itertuples()
        )
        notes.append(
            f"{len(closed)} practice(s) of the ICB with a QOF 2020-21 return are not in its"
            f" {TREE_YEAR} practices (closed or merged since) and are not counted: {listed}."
        )
    return frame, notes


def _closed_since(geo: _Geography, returned: set[str]) -> pd.DataFrame:
    """Practices with a QOF return whose sub-ICB (ODS, February 2023) lies in the ICB but
    which are not among the ICB's practices of the tree's year."""
    lsoa = load("lsoa21")
    icb_of = lsoa.drop_duplicates("sicbl24_code_nhs").set_index("sicbl24_code_nhs")
    register = load("practices")
    register = register[register["practice_code"].isin(returned)]
    in_icb = register["sub_icb_code"].map(icb_of["icb24_code_nhs"]) == geo.tree.code
    known = set(geo.practices["practice_code"])
    closed = register[in_icb & ~register["practice_code"].isin(known)]
    return closed[["practice_code", "name", "close_date"]].sort_values("practice_code")


def _proportions(sums: pd.DataFrame, key: str | None, multiplier: int, engine: Engine):
    by = [key] if key else []
    return phe_proportion(
        sums,
        "register",
        "list_size",
        by=by,
        confidence=(0.95, 0.998),
        multiplier=multiplier,
        type="standard",
        engine=engine,
    )


def _limits_of(row) -> dict[str, float | None]:
    return {
        "numerator": _none(row["register"]),
        "denominator": _none(row["list_size"]),
        "value": _none(row["value"]),
        "lower95": _none(row["lower95_0cl"]),
        "upper95": _none(row["upper95_0cl"]),
        "lower998": _none(row["lower99_8cl"]),
        "upper998": _none(row["upper99_8cl"]),
    }


def _funnel(benchmark: float, sizes: pd.Series, multiplier: int, engine: Engine):
    """Control limits around the ICB value over the range of the groups' denominators.

    ``calculate_funnel_limits`` centres the funnel on its units' total numerator over total
    denominator; two units at the groups' smallest and largest denominators with numerators at
    the ICB's proportion put that centre on the ICB value and the axis over the groups.
    """
    sizes = sizes.dropna()
    if sizes.empty or benchmark is None:
        return None
    p = benchmark / multiplier
    ends = np.array([sizes.min(), sizes.max()], dtype="float64")
    units = pd.DataFrame({"x": p * ends, "n": ends})
    limits = calculate_funnel_limits(
        units,
        "x",
        "n",
        statistic="proportion",
        multiplier=multiplier,
        type="standard",
        engine=engine,
    )
    return pd.DataFrame(
        {
            "denominator": limits["Population"].astype("int64"),
            "lower998": limits["lower_3s_limit"],
            "lower95": limits["lower_2s_limit"],
            "upper95": limits["upper_2s_limit"],
            "upper998": limits["upper_3s_limit"],
            "benchmark": limits["baseline"],
        }
    )


def _funnel_labels(
    sums: pd.DataFrame, key: str, icb_sums: pd.DataFrame, multiplier: int, engine: Engine
) -> dict[str, str]:
    """Where each group falls on the funnel around the ICB value ("High (0.001)" ...).

    ``assign_funnel_significance`` compares each unit with its units' average; the groups and,
    when they do not cover the ICB, the rest of the ICB as one more unit make that average the
    ICB value.
    """
    if sums.empty:
        return {}
    units = sums[[key, "register", "list_size"]].astype({"register": float, "list_size": float})
    rest = {
        column: float(icb_sums[column].iloc[0]) - float(units[column].sum())
        for column in ("register", "list_size")
    }
    if rest["list_size"] > 0:
        units = pd.concat([units, pd.DataFrame([{key: None, **rest}])], ignore_index=True)
    labelled = assign_funnel_significance(
        units,
        "register",
        "list_size",
        statistic="proportion",
        multiplier=multiplier,
        engine=engine,
    )
    labelled = labelled.dropna(subset=[key])
    return dict(zip(labelled[key], labelled["significance"].astype(str), strict=True))


def _pcn_part_notes(geo: _Geography, level: Level, within: Node | None, frame) -> list[str]:
    if level is not Level.PCN or within is None:
        return []
    whole = geo.practices["pcn"].value_counts()
    inside = frame["pcn"].value_counts()
    cut = [code for code, count in inside.items() if code in whole and whole[code] > count]
    if not cut:
        return []
    names = ", ".join(geo.nodes[code].name for code in sorted(cut))
    return [f"Only the practices inside {within.name} are counted for {names}."]


def _qof_sii(frame: pd.DataFrame, engine: Engine) -> tuple[dict | None, list[str]]:
    """SII of the prevalence across the ICB's practices in deciles of their IoD2019 score."""
    scored = frame.dropna(subset=["imd_score"])
    notes = []
    if len(scored) < len(frame):
        left = sorted(set(frame["practice_code"]) - set(scored["practice_code"]))
        notes.append(
            f"{len(left)} practice(s) without an IoD2019 score are left out of the slope index"
            f" of inequality: {', '.join(left)}."
        )
    if len(scored) < 10:
        return None, [*notes, "Too few practices for deprivation deciles: no SII."]
    deciles = phe_quantile(
        scored[["practice_code", "imd_score", "register", "list_size"]],
        "imd_score",
        nquantiles=10,
        invert=True,
        type="standard",
        engine=engine,
    )
    if deciles["quantile"].nunique() < 10:
        return None, [*notes, "Practices do not fill ten deprivation deciles: no SII."]
    sums = group_sums(
        deciles, ["quantile"], {"register": "register", "list_size": "list_size"}, engine=engine
    )
    sums["practices"] = deciles.groupby("quantile").size().to_numpy()
    props = _proportions(sums, "quantile", 1, engine).merge(
        sums[["quantile", "practices"]], on="quantile"
    )
    if (props["register"] <= 0).any():
        return None, [*notes, "A deprivation decile has no patients on the register: no SII."]
    result = phe_sii(
        props,
        "quantile",
        "list_size",
        seed=SII_SEED,
        x="register",
        value="value",
        value_type=2,
        lower_cl="lower95_0cl",
        upper_cl="upper95_0cl",
        multiplier=100,
        repetitions=SII_REPETITIONS,
        confidence=(0.95, 0.998),
        rii=True,
        type="standard",
        engine=engine,
    ).iloc[0]
    sii = {
        "sii": float(result["sii"]),
        "sii_lower95": float(result["sii_lower95_0cl"]),
        "sii_upper95": float(result["sii_upper95_0cl"]),
        "sii_lower998": float(result["sii_lower99_8cl"]),
        "sii_upper998": float(result["sii_upper99_8cl"]),
        "rii": float(result["rii"]),
        "rii_lower95": float(result["rii_lower95_0cl"]),
        "rii_upper95": float(result["rii_upper95_0cl"]),
        "rii_lower998": float(result["rii_lower99_8cl"]),
        "rii_upper998": float(result["rii_upper99_8cl"]),
        "unit": "percentage points",
        "reading": (
            "the modelled gap from the most to the least deprived end of the ICB's practices"
            " (least minus most deprived): negative when prevalence is higher among the most"
            " deprived; RII is the least deprived end's value over the most deprived end's"
        ),
        "quantiles": (
            "deciles of the ICB's practices by the IoD2019 score of their registered patients"
            " (OHID Fingertips 93553), 1 = most deprived, assigned by phe_quantile within the"
            " ICB"
        ),
        "practices": len(scored),
        "seed": SII_SEED,
        "repetitions": SII_REPETITIONS,
        "deciles": [
            {
                "decile": int(row["quantile"]),
                "practices": int(row["practices"]),
                "numerator": float(row["register"]),
                "denominator": float(row["list_size"]),
                "value": float(row["value"]) * 100,
                "lower95": float(row["lower95_0cl"]) * 100,
                "upper95": float(row["upper95_0cl"]) * 100,
            }
            for _, row in props.iterrows()
        ],
    }
    return sii, notes


def _qof(definition, geo, level, within, engine) -> dict:
    icb_frame, notes = _qof_frame(geo, definition.value_column)
    mult = definition.multiplier
    icb_sums = _sums(icb_frame, [], {"register": "register", "list_size": "list_size"}, engine)
    icb_row = _proportions(icb_sums, None, mult, engine).iloc[0]
    benchmark = _none(icb_row["value"])
    frame = _selected(icb_frame, within)
    key = level.value
    frame = frame.assign(**{key: frame[key].fillna(NO_PCN_CODE)} if level is Level.PCN else {})
    frame = frame.dropna(subset=[key])
    sums = _sums(frame, [key], {"register": "register", "list_size": "list_size"}, engine)
    results = _proportions(sums, key, mult, engine).set_index(key) if len(sums) else None
    figures = {}
    if results is not None:
        for code, row in results.iterrows():
            limits = _limits_of(row)
            figures[code] = {
                **limits,
                "significance": significance(
                    limits["value"],
                    limits["lower95"],
                    limits["upper95"],
                    limits["lower998"],
                    limits["upper998"],
                    benchmark,
                ),
            }
    for code, label in _funnel_labels(sums, key, icb_sums, mult, engine).items():
        figures[code]["funnel_significance"] = label
    funnel = _funnel(benchmark, sums["list_size"].astype("float64"), mult, engine)
    sii, sii_notes = _qof_sii(icb_frame, engine)
    notes += _flag_notes(frame) + _pcn_part_notes(geo, level, within, frame) + sii_notes
    icb_limits = _limits_of(icb_row)
    return {
        "benchmark": benchmark,
        "figures": figures,
        "funnel": funnel,
        "series": None,
        "sii": sii,
        "notes": notes,
        "icb": {**icb_limits, "significance": "Not compared"},
        "counts": _practice_counts(geo, level, frame),
        "icb_practices": len(icb_frame),
    }


# --- scores -----------------------------------------------------------------------------------


def _weighted(frame, by, value, weight, engine) -> pd.DataFrame:
    data = frame[[*by, value, weight]].dropna(subset=[value, weight])
    terms = {"weighted": lambda t: t[value] * t[weight], "weight": weight}
    sums = _sums(data, by, terms, engine, uses=(value,))
    sums["value"] = sums["weighted"].astype("float64") / sums["weight"].astype("float64")
    return sums


def _score_figures(sums: pd.DataFrame, key: str) -> dict:
    return {
        row[key]: {
            "numerator": None,
            "denominator": _none(row["weight"]),
            "value": _none(row["value"]),
            "lower95": None,
            "upper95": None,
            "lower998": None,
            "upper998": None,
            "significance": "Not compared",
        }
        for _, row in sums.iterrows()
    }


def _imd(definition, geo, level, within, engine) -> dict:
    notes = []
    if level is Level.PCN:
        frame, value, weight = geo.practices, "imd_score", "registered"
        frame = frame.assign(pcn=frame["pcn"].fillna(NO_PCN_CODE))
        notes.append(
            "PCNs: the IoD2019 score of their practices' registered patients (OHID Fingertips"
            f" 93553) weighted by {TREE_YEAR} list sizes; the ICB: its residents' score."
        )
    else:
        frame, value, weight = geo.areas, "imd_score", "population"
        notes.append(
            "IMD 2019 scores of the group's small areas (LSOA 2011 carried to LSOA 2021)"
            " weighted by mid-2020 residents."
        )
    icb = _weighted(geo.areas, [], "imd_score", "population", engine).iloc[0]
    sums = _weighted(_selected(frame, within), [level.value], value, weight, engine)
    practices = _selected(geo.practices, within)
    return {
        "benchmark": _none(icb["value"]),
        "figures": _score_figures(sums, level.value),
        "funnel": None,
        "series": None,
        "sii": None,
        "notes": notes + _flag_notes(practices),
        "icb": _score_figures(icb.to_frame().T.assign(code="icb"), "code")["icb"],
        "counts": _practice_counts(geo, level, practices),
    }


@cache
def _lad21_of_lsoa21() -> pd.Series:
    pairs = load("lsoa11_lsoa21")[["lsoa21_code", "lad22_code"]]
    return pairs.drop_duplicates("lsoa21_code").set_index("lsoa21_code")["lad22_code"]


def _health_index(definition, geo, level, within, engine) -> dict:
    index = load("health_index_lad21")[["ltla21_code", "year", definition.value_column]]
    index = index.rename(columns={definition.value_column: "score"})
    areas = geo.areas.assign(ltla21_code=geo.areas["lsoa21_code"].map(_lad21_of_lsoa21()))
    long = areas.merge(index, on="ltla21_code", how="inner")
    long["score"] = long["score"].astype("float64")
    long["year"] = long["year"].astype("int64")
    notes = []
    unscored = areas[~areas["ltla21_code"].isin(set(index["ltla21_code"]))]
    if len(unscored):
        notes.append(
            f"{len(unscored)} small area(s) lie in districts the Health Index does not cover"
            " and are left out."
        )
    new = sorted(set(areas["lad24_code"]) - set(index["ltla21_code"]))
    if new:
        names = ", ".join(geo.nodes[code].name for code in new if code in geo.nodes)
        notes.append(
            f"Districts created since 2021 ({names}) take the mean score of the 2021 districts"
            " their small areas lay in, weighted by residents."
        )
    if level is not Level.DISTRICT:
        notes.append(
            "Places and localities: the mean of their small areas' district scores weighted by"
            " mid-2020 residents; the ICB likewise."
        )
    latest = int(long["year"].max())
    selected = _selected(long, within)
    by_year = _weighted(selected, [level.value, "year"], "score", "population", engine)
    now = by_year[by_year["year"] == latest]
    icb_years = _weighted(long, ["year"], "score", "population", engine)
    icb = icb_years[icb_years["year"] == latest].iloc[0]
    # each group's yearly values and the ICB's, with XmR limits per group
    groups = by_year.rename(columns={level.value: "code", "year": "period"})
    groups["name"] = groups["code"].map(lambda code: geo.nodes[code].name)
    whole = icb_years.rename(columns={"year": "period"})
    whole = whole.assign(code=geo.tree.code, name=geo.tree.name)
    series = pd.concat(
        [frame[["code", "name", "period", "value"]] for frame in (groups, whole) if len(frame)],
        ignore_index=True,
    )
    order = [*_group_codes(geo, level, within), geo.tree.code]
    series = spc_xmr(
        series,
        "value",
        "period",
        by=["code", "name"],
        improvement_direction="increase",
        engine=engine,
    )
    series = series.sort_values(
        ["code", "period"], key=lambda c: c.map(order.index) if c.name == "code" else c
    ).reset_index(drop=True)
    practices = _selected(geo.practices, within)
    return {
        "benchmark": _none(icb["value"]),
        "figures": _score_figures(now, level.value),
        "funnel": None,
        "series": series,
        "sii": None,
        "notes": notes,
        "icb": _score_figures(icb.to_frame().T.assign(code="icb"), "code")["icb"],
        "counts": _practice_counts(geo, level, practices),
    }


# --- the API ----------------------------------------------------------------------------------


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
    geo = _geography(icb)
    parent_node = _within(geo, grouping, within)
    if engine is None:
        with connect() as own:
            return _variation(definition, geo, grouping, parent_node, own)
    return _variation(definition, geo, grouping, parent_node, engine)


def _variation(definition, geo, grouping, within, engine) -> Variation:
    level = LEVELS[grouping]
    if definition.kind == "proportion":
        parts = _qof(definition, geo, level, within, engine)
    elif definition.id == "imd-2019":
        parts = _imd(definition, geo, level, within, engine)
    else:
        parts = _health_index(definition, geo, level, within, engine)
    codes = _group_codes(geo, level, within)
    names = _names(geo, codes)
    parents = _parents(geo, level, codes)
    empty = dict.fromkeys(
        ("numerator", "denominator", "value", "lower95", "upper95", "lower998", "upper998")
    )
    groups = tuple(
        GroupValue(
            code=code,
            name=names[code],
            **{
                **empty,
                "significance": "Not compared",
                **parts["figures"].get(code, {}),
            },
            parent=parents[code],
            practices=int(parts["counts"].get(code, 0)),
        )
        for code in codes
    )
    notes = list(parts["notes"])
    if not codes:
        notes.insert(0, f"{geo.tree.name} has no {grouping} defined here.")
    parent_names = {
        code: geo.nodes[code].name for code in parents.values() if code and code in geo.nodes
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
