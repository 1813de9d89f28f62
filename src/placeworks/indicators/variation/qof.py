"""QOF prevalence: practice registers and list sizes summed to the groups and the ICB."""

from __future__ import annotations

import pandas as pd

from placeworks.data import load
from placeworks.geography import Level
from placeworks.indicators.variation.comparison import (
    REGISTER_TERMS,
    compared,
    funnel,
    funnel_labels,
    limits_of,
    proportions,
)
from placeworks.indicators.variation.groups import (
    flag_notes,
    pcn_part_notes,
    practice_counts,
    sums,
)
from placeworks.indicators.variation.results import figure
from placeworks.indicators.variation.sii import qof_sii
from placeworks.indicators.variation.tree import NO_PCN_CODE, TREE_YEAR, Geography, selected


def qof_frame(geo: Geography, group: str) -> tuple[pd.DataFrame, list[str]]:
    """The ICB's practices with their ``group`` register and list size, and notes on the gaps."""
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


def _closed_since(geo: Geography, returned: set[str]) -> pd.DataFrame:
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


def qof(definition, geo, level, within, engine) -> dict:
    """A QOF register's prevalence for each group, with limits, funnel and SII."""
    icb_frame, notes = qof_frame(geo, definition.value_column)
    mult = definition.multiplier
    icb_sums = sums(icb_frame, [], REGISTER_TERMS, engine)
    icb_row = proportions(icb_sums, None, mult, engine).iloc[0]
    benchmark = figure(icb_row["value"])
    frame = selected(icb_frame, within)
    key = level.value
    frame = frame.assign(**{key: frame[key].fillna(NO_PCN_CODE)} if level is Level.PCN else {})
    frame = frame.dropna(subset=[key])
    group_sums = sums(frame, [key], REGISTER_TERMS, engine)
    figures = {}
    if len(group_sums):
        results = proportions(group_sums, key, mult, engine).set_index(key)
        figures = {code: compared(row, benchmark) for code, row in results.iterrows()}
    for code, label in funnel_labels(group_sums, key, icb_sums, mult, engine).items():
        figures[code]["funnel_significance"] = label
    limits = funnel(benchmark, group_sums["list_size"].astype("float64"), mult, engine)
    sii, sii_notes = qof_sii(icb_frame, engine)
    notes += flag_notes(frame) + pcn_part_notes(geo, level, within, frame) + sii_notes
    return {
        "benchmark": benchmark,
        "figures": figures,
        "funnel": limits,
        "series": None,
        "sii": sii,
        "notes": notes,
        "icb": {**limits_of(icb_row), "significance": "Not compared"},
        "counts": practice_counts(geo, level, frame),
        "icb_practices": len(icb_frame),
    }
