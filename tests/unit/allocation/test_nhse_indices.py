"""NHS England's index arithmetic, by hand, and against the published data."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from placeworks.allocation import indices
from placeworks.allocation.nhse import index, round_index, round_people
from placeworks.data import load
from placeworks.geography import Level, find

M = 10**6


def test_sums_round_half_up_to_whole_people():
    assert round_people(int(2.5 * M)) == 3  # not banker's rounding
    assert round_people(int(3.5 * M)) == 4
    assert round_people(2_499_999) == 2


def test_index_rounds_half_up_on_the_shortest_decimal():
    assert round_index(1.0005) == Decimal("1.001")
    assert round_index(0.9994999) == Decimal("0.999")


def test_index_by_hand():
    # Group: 1,200 weighted over 1,000 people; ICB: 10,000 over 10,000 -> 1.2 / 1.0.
    assert index(1_200 * M, 1_000 * M, 10_000 * M, 10_000 * M) == Decimal("1.200")
    # Sums are rounded before dividing: 1,199.6 -> 1,200 and 999.5 -> 1,000.
    assert index(int(1_199.6 * M), int(999.5 * M), 10_000 * M, 10_000 * M) == Decimal("1.200")


@pytest.fixture(scope="module")
def qe1_2025():
    wp = load("weighted_populations")
    return wp[(wp["year"] == "2025/26") & (wp["icb_code"] == "QE1")]


def tool_sum(values: pd.Series) -> int:
    """The tool's reading: blanks and zeros are 1, then the sum rounded half up."""
    return int(
        Decimal(str(values.replace(0, 1).fillna(1).sum())).quantize(Decimal(1), "ROUND_HALF_UP")
    )


def test_places_match_the_published_formula(qe1_2025):
    # An independent pandas computation of the tool's figures for Blackpool's 17 practices.
    rows = indices("QE1", "2025/26", "places")
    blackpool = next(r for r in rows if r.group == "QE1-BPL")
    practices = {n.code for n in find("QE1-BPL").walk() if n.level is Level.PRACTICE}
    place = qe1_2025[qe1_2025["practice_code"].isin(practices)]
    for component, column in [
        ("core", "wp_core"),
        ("maternity", "wp_maternity"),
        ("community", "wp_community"),
    ]:
        icb_ratio = tool_sum(qe1_2025[column]) / tool_sum(qe1_2025["population"])
        expected = tool_sum(place[column]) / tool_sum(place["population"]) / icb_ratio
        assert blackpool.indices[component] == Decimal(str(expected)).quantize(
            Decimal("0.001"), "ROUND_HALF_UP"
        )
    assert blackpool.population == tool_sum(place["population"])


def test_the_whole_icb_has_index_one():
    rows = indices("QE1", "2025/26", "places")
    population = sum(r.population for r in rows)
    weighted = {
        c: sum(r.indices[c] * r.population for r in rows) / population for c in rows[0].indices
    }
    for component, value in weighted.items():
        assert abs(value - 1) < Decimal("0.002"), component
