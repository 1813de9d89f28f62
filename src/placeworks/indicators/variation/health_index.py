"""The ONS Health Index: each group's resident-weighted score by year, with XmR limits."""

from __future__ import annotations

from functools import cache

import pandas as pd

from placeworks.data import load
from placeworks.geography import Level
from placeworks.indicators.spc import spc_xmr
from placeworks.indicators.variation.groups import group_codes, weighted
from placeworks.indicators.variation.scores import score_parts
from placeworks.indicators.variation.tree import selected


@cache
def _lad21_of_lsoa21() -> pd.Series:
    pairs = load("lsoa11_lsoa21")[["lsoa21_code", "lad22_code"]]
    return pairs.drop_duplicates("lsoa21_code").set_index("lsoa21_code")["lad22_code"]


def health_index(definition, geo, level, within, engine) -> dict:
    """The latest year's score of each group and every year's series with XmR limits."""
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
    selected_rows = selected(long, within)
    by_year = weighted(selected_rows, [level.value, "year"], "score", "population", engine)
    icb_years = weighted(long, ["year"], "score", "population", engine)
    icb = icb_years[icb_years["year"] == latest].iloc[0]
    series = _series(geo, level, within, by_year, icb_years, engine)
    now = by_year[by_year["year"] == latest]
    return score_parts(geo, level, within, icb, now, notes, series=series)


def _series(geo, level, within, by_year, icb_years, engine) -> pd.DataFrame:
    """Each group's yearly values and the ICB's, with XmR limits per group, in the tree's order."""
    groups = by_year.rename(columns={level.value: "code", "year": "period"})
    groups["name"] = groups["code"].map(lambda code: geo.nodes[code].name)
    whole = icb_years.rename(columns={"year": "period"})
    whole = whole.assign(code=geo.tree.code, name=geo.tree.name)
    series = pd.concat(
        [frame[["code", "name", "period", "value"]] for frame in (groups, whole) if len(frame)],
        ignore_index=True,
    )
    order = [*group_codes(geo, level, within), geo.tree.code]
    series = spc_xmr(
        series,
        "value",
        "period",
        by=["code", "name"],
        improvement_direction="increase",
        engine=engine,
    )
    return series.sort_values(
        ["code", "period"], key=lambda c: c.map(order.index) if c.name == "code" else c
    ).reset_index(drop=True)
