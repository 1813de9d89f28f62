"""The groups of a grouping (codes, names, parents, practices, notes) and sums of rows to them."""

from __future__ import annotations

import pandas as pd

from placeworks.engine import Engine
from placeworks.geography import Level, Node
from placeworks.indicators.grouped import group_sums
from placeworks.indicators.variation.tree import NO_PCN_CODE, NO_PCN_NAME, Geography, selected


def sums(
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


def weighted(frame, by, value, weight, engine) -> pd.DataFrame:
    """The mean of ``value`` weighted by ``weight`` for each ``by`` (``weighted``, ``weight``)."""
    data = frame[[*by, value, weight]].dropna(subset=[value, weight])
    terms = {"weighted": lambda t: t[value] * t[weight], "weight": weight}
    result = sums(data, by, terms, engine, uses=(value,))
    result["value"] = result["weighted"].astype("float64") / result["weight"].astype("float64")
    return result


def group_codes(geo: Geography, level: Level, within: Node | None) -> list[str]:
    """The groups of ``level`` under ``within`` (or the ICB), in the tree's order."""
    if level is Level.PCN:
        frame = selected(geo.practices, within)
        codes = sorted(
            frame["pcn"].dropna().unique(), key=lambda code: (geo.nodes[code].name, code)
        )
        return [*codes, *([NO_PCN_CODE] if frame["pcn"].isna().any() else [])]
    top = within or geo.tree
    return list(dict.fromkeys(node.code for node in top.walk() if node.level is level))


def names(geo: Geography, codes: list[str]) -> dict[str, str]:
    return {code: NO_PCN_NAME if code == NO_PCN_CODE else geo.nodes[code].name for code in codes}


def parents(geo: Geography, level: Level, codes: list[str]) -> dict[str, str | None]:
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


def practice_counts(geo: Geography, level: Level, frame: pd.DataFrame) -> pd.Series:
    key = frame[level.value]
    if level is Level.PCN:
        key = key.fillna(NO_PCN_CODE)
    return key.value_counts()


def flag_notes(frame: pd.DataFrame) -> list[str]:
    """Notes on the practices outside the ICB's area or in a PCN spanning places."""
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


def pcn_part_notes(geo: Geography, level: Level, within: Node | None, frame) -> list[str]:
    """A note naming the PCNs of which only some practices lie within the area looked in."""
    if level is not Level.PCN or within is None:
        return []
    whole = geo.practices["pcn"].value_counts()
    inside = frame["pcn"].value_counts()
    cut = [code for code, count in inside.items() if code in whole and whole[code] > count]
    if not cut:
        return []
    listed = ", ".join(geo.nodes[code].name for code in sorted(cut))
    return [f"Only the practices inside {within.name} are counted for {listed}."]
