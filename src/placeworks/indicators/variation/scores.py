"""Scores: population-weighted means with no limits (IMD 2019; the Health Index builds on it)."""

from __future__ import annotations

import pandas as pd

from placeworks.geography import Level
from placeworks.indicators.variation.groups import flag_notes, practice_counts, weighted
from placeworks.indicators.variation.results import FIGURES, figure
from placeworks.indicators.variation.tree import NO_PCN_CODE, TREE_YEAR, selected


def score_figures(row) -> dict:
    """A weighted mean's row as a group's figures: the value and its weight, not compared."""
    return {
        **dict.fromkeys(FIGURES),
        "denominator": figure(row["weight"]),
        "value": figure(row["value"]),
        "significance": "Not compared",
    }


def score_parts(geo, level, within, icb, sums: pd.DataFrame, notes, series=None) -> dict:
    """The parts of a score's variation: ``icb`` is the ICB's row, ``sums`` the groups'."""
    return {
        "benchmark": figure(icb["value"]),
        "figures": {row[level.value]: score_figures(row) for _, row in sums.iterrows()},
        "funnel": None,
        "series": series,
        "sii": None,
        "notes": notes,
        "icb": score_figures(icb),
        "counts": practice_counts(geo, level, selected(geo.practices, within)),
    }


def imd(definition, geo, level, within, engine) -> dict:
    """The IMD 2019 score of each group weighted by residents (PCNs: by list size)."""
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
    icb = weighted(geo.areas, [], "imd_score", "population", engine).iloc[0]
    sums = weighted(selected(frame, within), [level.value], value, weight, engine)
    notes += flag_notes(selected(geo.practices, within))
    return score_parts(geo, level, within, icb, sums, notes)
