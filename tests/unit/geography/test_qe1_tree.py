"""The shipped geography of Lancashire and South Cumbria, checked against known facts."""

from __future__ import annotations

import math

import pytest

from placeworks.data import load
from placeworks.geography import Level, find, icb_tree
from placeworks.geography.tree import NO_PCN, PCN_SPANS_PLACES

LANCASHIRE_LOCALITIES = {
    "East Lancashire": {"Burnley", "Hyndburn", "Pendle", "Ribble Valley", "Rossendale"},
    "Central and West Lancashire": {"Chorley", "Preston", "South Ribble", "West Lancashire"},
    "North Lancashire": {"Fylde", "Lancaster", "Wyre"},
}


@pytest.fixture(scope="module")
def qe1():
    return icb_tree("QE1", "2025/26")


def children(node, level):
    return [c for c in node.children if c.level is level]


def test_four_places(qe1):
    names = [p.name for p in children(qe1, Level.PLACE)]
    assert names == ["Lancashire", "Blackburn with Darwen", "Blackpool", "South Cumbria"]


def test_lancashire_has_three_localities_and_twelve_districts(qe1):
    lancashire = qe1.find("QE1-LAN")
    localities = children(lancashire, Level.LOCALITY)
    found = {loc.name: {d.name for d in children(loc, Level.DISTRICT)} for loc in localities}
    assert found == LANCASHIRE_LOCALITIES
    districts = [n for n in lancashire.walk() if n.level is Level.DISTRICT]
    assert len(districts) == 12


def test_west_lancashire_neighbourhoods(qe1):
    west_lancs = qe1.find("E07000127")
    hoods = children(west_lancs, Level.NEIGHBOURHOOD)
    assert [h.name for h in hoods] == [
        "Skelmersdale and Up Holland",
        "Burscough and the Northern Parishes",
        "Ormskirk and Aughton",
    ]
    # The neighbourhoods cover the whole district, each of roughly 30,000-50,000 people.
    assert sum(h.resident_population for h in hoods) == west_lancs.resident_population
    assert all(30_000 <= h.resident_population <= 50_000 for h in hoods)
    assert sum(h.practices for h in hoods) == west_lancs.practices


def test_every_practice_appears_exactly_once(qe1):
    allocated = load("weighted_populations")
    expected = set(
        allocated.loc[
            (allocated["year"] == "2025/26") & (allocated["icb_code"] == "QE1"), "practice_code"
        ]
    )
    listed = [n.code for n in qe1.walk() if n.level is Level.PRACTICE]
    assert len(listed) == len(set(listed)) == 198
    assert set(listed) == expected


def test_registered_population_matches_nhs_england(qe1):
    allocated = load("weighted_populations")
    rows = allocated[(allocated["year"] == "2025/26") & (allocated["icb_code"] == "QE1")]
    assert qe1.registered_population == pytest.approx(rows["population"].sum(), abs=1e-6)


def test_resident_population_is_the_icb_lsoas(qe1):
    lsoa = load("lsoa21")
    population = load("population_lsoa21").set_index("lsoa21_code")["population"]
    codes = lsoa.loc[lsoa["icb24_code_nhs"] == "QE1", "lsoa21_code"]
    assert len(codes) == 1060
    assert qe1.resident_population == population.loc[codes].sum()


def test_totals_reconcile_between_levels(qe1):
    for node in qe1.walk():
        if not node.children:
            continue
        assert sum(c.practices for c in node.children) == node.practices, node.code
        assert math.isclose(
            sum(c.registered_population for c in node.children),
            node.registered_population,
            rel_tol=1e-12,
        ), node.code
        if node.level in (Level.ICB, Level.PLACE, Level.LOCALITY):
            assert sum(c.resident_population for c in node.children) == node.resident_population


def test_imd_score_is_a_population_weighted_mean(qe1):
    # An area's score lies between its least and most deprived children, and its decile mix
    # sums to one.
    for node in qe1.walk():
        area_children = [c for c in node.children if c.resident_population]
        if node.level in (Level.ICB, Level.PLACE, Level.LOCALITY) and area_children:
            scores = [c.imd_score for c in area_children]
            assert min(scores) - 1e-9 <= node.imd_score <= max(scores) + 1e-9
        if node.imd_deciles is not None:
            assert sum(node.imd_deciles) == pytest.approx(1.0)
    # Blackpool is among the most deprived places in England (IoD2025): above Lancashire.
    assert qe1.find("QE1-BPL").imd_score > qe1.find("QE1-LAN").imd_score


def test_pcn_spanning_places_is_flagged(qe1):
    # Torentum PCN has practices in Wyre (Lancashire) and in Blackpool.
    torentum = [n for n in qe1.walk() if n.code == "U87975"]
    places = {p.code for p in qe1.children for n in p.walk() if n.code == "U87975"}
    assert places == {"QE1-LAN", "QE1-BPL"}
    assert all(PCN_SPANS_PLACES in n.flags for n in torentum)
    for pcn in torentum:
        assert all(PCN_SPANS_PLACES in p.flags for p in pcn.children)


def test_practice_without_pcn_is_flagged(qe1):
    compass = qe1.find("Y05788")
    assert compass.level is Level.PRACTICE
    assert NO_PCN in compass.flags


def test_find_by_district_and_locality_codes():
    assert find("E07000127").name == "West Lancashire"
    assert find("QE1-LAN-NORTH").name == "North Lancashire"
    with pytest.raises(KeyError):
        find("E99999999")


def test_earlier_years_use_iod2019(qe1):
    earlier = icb_tree("QE1", "2023/24")
    assert earlier.practices == 203
    assert earlier.resident_population == qe1.resident_population
    assert earlier.imd_score != qe1.imd_score
