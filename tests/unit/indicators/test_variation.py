"""Variation of indicators across Lancashire and South Cumbria, against independent sums."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from placeworks.data import load
from placeworks.geography import Level, find
from placeworks.indicators.variation import (
    SIGNIFICANCE,
    TREE_YEAR,
    catalogue,
    groupings,
    significance,
    variation,
)

WEST_LANCASHIRE = "E07000127"
Z95 = 1.959963984540054
Z998 = 3.090232306167813


def _wilson(x: float, n: float, z: float) -> tuple[float, float]:
    """The Wilson score interval written out (Newcombe 1998, method 3)."""
    centre, root = 2 * x + z * z, z * math.sqrt(z * z + 4 * x * (1 - x / n))
    return (centre - root) / (2 * (n + z * z)), (centre + root) / (2 * (n + z * z))


def _qof(group: str) -> pd.DataFrame:
    qof = load("qof_prevalence_2021")
    return qof[qof["group_code"] == group].set_index("practice_code")


def _practices_of(code: str) -> list[str]:
    node = find(code, TREE_YEAR, icb="QE1")
    return [n.code for n in node.walk() if n.level is Level.PRACTICE]


@pytest.fixture(scope="module")
def places():
    return variation("QE1", "places", "qof-hyp")


@pytest.fixture(scope="module")
def hoods():
    return variation("QE1", "neighbourhoods", "qof-hyp", within=WEST_LANCASHIRE)


def test_catalogue_has_the_qof_registers_deprivation_and_the_health_index():
    ids = [d.id for d in catalogue()]
    assert len(ids) == len(set(ids))
    registers = set(load("qof_prevalence_2021")["group_code"])
    assert {f"qof-{code.lower()}" for code in registers} <= set(ids)
    assert {"qof-hyp", "qof-dm", "qof-ast", "qof-copd", "qof-chd", "qof-dep"} <= set(ids)
    assert {"imd-2019", "health-index"} <= set(ids)
    hyp = next(d for d in catalogue() if d.id == "qof-hyp")
    assert (hyp.kind, hyp.multiplier, hyp.unit, hyp.period) == ("proportion", 100, "%", "2020/21")
    assert "Open Government Licence" in hyp.source
    assert [g for g, _ in groupings()] == [
        "places",
        "localities",
        "districts",
        "neighbourhoods",
        "pcns",
    ]


def test_icb_value_is_the_sum_of_its_practices_registers(places):
    wp = load("weighted_populations")
    icb = wp.loc[(wp["year"] == TREE_YEAR) & (wp["icb_code"] == "QE1"), "practice_code"]
    hyp = _qof("HYP").reindex(icb).dropna()
    assert places.icb_value.numerator == hyp["register"].sum()
    assert places.icb_value.denominator == hyp["list_size"].sum()
    assert places.benchmark == pytest.approx(
        100 * hyp["register"].sum() / hyp["list_size"].sum(), rel=1e-12
    )
    # QOF 2020-21 England: 13.9% recorded hypertension; the ICB is older and above it.
    assert 13.9 < places.benchmark < 17


def test_four_places_add_up_to_the_icb_and_count_every_practice_once(places):
    assert [g.name for g in places.groups] == [
        "Lancashire",
        "Blackburn with Darwen",
        "Blackpool",
        "South Cumbria",
    ]
    assert sum(g.numerator for g in places.groups) == places.icb_value.numerator
    assert sum(g.denominator for g in places.groups) == places.icb_value.denominator
    members = [set(_practices_of(g.code)) & set(_qof("HYP").index) for g in places.groups]
    assert sum(len(m) for m in members) == len(set().union(*members))
    assert [g.practices for g in places.groups] == [len(m) for m in members]


def test_a_place_sums_its_own_practices():
    result = variation("QE1", "places", "qof-copd")
    copd = _qof("COPD")
    for group in result.groups:
        rows = copd.reindex(_practices_of(group.code)).dropna()
        assert group.numerator == rows["register"].sum()
        assert group.denominator == rows["list_size"].sum()


def test_wilson_limits_by_hand(places):
    blackpool = next(g for g in places.groups if g.code == "QE1-BPL")
    x, n = blackpool.numerator, blackpool.denominator
    assert blackpool.value == pytest.approx(100 * x / n)
    for (low, high), z in (
        ((blackpool.lower95, blackpool.upper95), Z95),
        ((blackpool.lower998, blackpool.upper998), Z998),
    ):
        expected = _wilson(x, n, z)
        assert low == pytest.approx(100 * expected[0], rel=1e-9)
        assert high == pytest.approx(100 * expected[1], rel=1e-9)


def test_limits_bracket_values_and_significance_follows_them(places, hoods):
    for result in (places, hoods):
        for g in result.groups:
            assert g.lower998 <= g.lower95 <= g.value <= g.upper95 <= g.upper998
            assert g.significance in SIGNIFICANCE
            if g.significance.startswith("Higher"):
                assert g.lower95 > result.benchmark
            elif g.significance.startswith("Lower"):
                assert g.upper95 < result.benchmark
            else:
                assert g.lower95 <= result.benchmark <= g.upper95
    # Blackpool's recorded hypertension is well above the ICB's.
    assert next(g for g in places.groups if g.code == "QE1-BPL").significance == "Higher (99.8%)"


def test_significance_rules():
    assert significance(12, 11, 13, 10.5, 13.5, 10) == "Higher (99.8%)"
    assert significance(12, 11, 13, 9.5, 13.5, 10) == "Higher (95%)"
    assert significance(12, 11, 13, 10.5, 13.5, 12) == "Similar"
    assert significance(12, 11, 13, 10.5, 13.5, 13.2) == "Lower (95%)"
    assert significance(12, 11, 13, 10.5, 13.5, 14) == "Lower (99.8%)"
    assert significance(None, None, None, None, None, 14) == "Not compared"


def test_west_lancashire_has_its_three_neighbourhoods(hoods):
    assert hoods.within == WEST_LANCASHIRE
    assert [g.name for g in hoods.groups] == [
        "Skelmersdale and Up Holland",
        "Burscough and the Northern Parishes",
        "Ormskirk and Aughton",
    ]
    assert all(g.parent == WEST_LANCASHIRE for g in hoods.groups)
    hyp = _qof("HYP")
    district = hyp.reindex(_practices_of(WEST_LANCASHIRE)).dropna()
    assert sum(g.numerator for g in hoods.groups) == district["register"].sum()
    # compared with the ICB, not with West Lancashire
    assert hoods.benchmark == variation("QE1", "places", "qof-hyp").benchmark


def test_pcns_cover_every_practice_once():
    result = variation("QE1", "pcns", "qof-dm")
    dm = _qof("DM")
    icb = [code for code in _practices_of("QE1") if code in dm.index]
    assert sum(g.practices for g in result.groups) == len(icb) == result.icb_value.practices
    assert sum(g.numerator for g in result.groups) == result.icb_value.numerator
    assert len({g.code for g in result.groups}) == len(result.groups)


def test_funnel_is_centred_on_the_icb_and_spans_the_groups(places):
    funnel = places.funnel
    assert list(funnel.columns[:5]) == ["denominator", "lower998", "lower95", "upper95", "upper998"]
    assert len(funnel) == 100
    assert funnel["benchmark"].to_numpy() == pytest.approx([places.benchmark] * 100)
    assert funnel["denominator"].max() >= max(g.denominator for g in places.groups)
    assert (funnel["lower998"] <= funnel["lower95"]).all()
    assert (funnel["lower95"] <= places.benchmark).all()
    assert (funnel["upper95"] >= places.benchmark).all()
    # at the largest size the 99.8% limits are p ∓ 3.09 √(p(1 - p)/n)
    last = funnel.iloc[-1]
    p = places.benchmark / 100
    half = Z998 * math.sqrt(p * (1 - p) / last["denominator"])
    assert last["upper998"] == pytest.approx(100 * (p + half), rel=1e-3)


def test_sii_is_reproducible_with_its_seed(places):
    again = variation("QE1", "places", "qof-hyp").sii
    assert again == places.sii
    sii = places.sii
    assert sii["sii_lower998"] <= sii["sii_lower95"] <= sii["sii"] <= sii["sii_upper95"]
    assert sii["sii_upper95"] <= sii["sii_upper998"]
    deciles = sii["deciles"]
    assert [d["decile"] for d in deciles] == list(range(1, 11))
    assert sum(d["numerator"] for d in deciles) <= places.icb_value.numerator
    assert sum(d["practices"] for d in deciles) == sii["practices"]


def test_deprivation_scores_are_resident_weighted():
    result = variation("QE1", "places", "imd-2019")
    assert all(g.significance == "Not compared" and g.lower95 is None for g in result.groups)
    # the tree's population-weighted IMD score of each place (IoD2019 in 2023/24)
    for g in result.groups:
        node = find(g.code, TREE_YEAR, icb="QE1")
        assert g.value == pytest.approx(node.imd_score, rel=1e-9)
        assert g.denominator == pytest.approx(node.resident_population)
    blackpool = next(g for g in result.groups if g.code == "QE1-BPL")
    assert blackpool.value == max(g.value for g in result.groups)


def test_health_index_by_district_has_a_series_with_spc():
    result = variation("QE1", "districts", "health-index")
    index = load("health_index_lad21").set_index(["ltla21_code", "year"])["overall_score"]
    preston = next(g for g in result.groups if g.code == "E07000123")
    assert preston.value == pytest.approx(float(index[("E07000123", 2021)]), rel=1e-6)
    series = result.series
    assert {"code", "name", "period", "value", "mean", "lpl", "upl", "special_cause_type"} <= set(
        series.columns
    )
    assert sorted(series.loc[series["code"] == "E07000123", "period"]) == list(range(2015, 2022))
    # Lancashire's twelve, two unitaries and South Cumbria's three parts of districts
    assert len(result.groups) == 17


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("QXX", "places", "qof-hyp"), "QXX"),
        (("QE1", "wards", "qof-hyp"), "wards"),
        (("QE1", "places", "qof-nope"), "qof-nope"),
        (("QE1", "pcns", "health-index"), "health-index"),
    ],
)
def test_unknown_choices_are_named_with_the_valid_ones(args, named):
    with pytest.raises(ValueError, match=named) as info:
        variation(*args)
    assert "choose one of" in str(info.value)


def test_within_must_be_an_area_above_the_grouping():
    with pytest.raises(ValueError, match="E0700012'"):
        variation("QE1", "neighbourhoods", "qof-hyp", within="E0700012")
    with pytest.raises(ValueError, match="choose one of"):
        variation("QE1", "places", "qof-hyp", within="QE1-LAN")


def test_to_frame_is_one_row_per_group(places):
    frame = places.to_frame()
    assert len(frame) == 4
    assert (frame["indicator"] == "qof-hyp").all()
    assert (frame["period"] == "2020/21").all()
    assert (frame["benchmark"] == places.benchmark).all()


def test_funnel_labels_follow_the_control_limits_around_the_icb():
    result = variation("QE1", "pcns", "qof-copd", within="QE1-LAN-CW")
    p = result.benchmark / 100
    seen = set()
    for g in result.groups:
        spread = math.sqrt(p * (1 - p) / g.denominator)
        value = g.value / 100
        outside998 = abs(value - p) > Z998 * spread
        outside95 = abs(value - p) > Z95 * spread
        side = "High" if value > p else "Low"
        expected = (
            f"{side} (0.001)"
            if outside998
            else f"{side} (0.025)"
            if outside95
            else "Not significant"
        )
        assert g.funnel_significance == expected, g.code
        seen.add(g.funnel_significance)
    assert len(seen) > 1


def test_health_index_of_a_new_unitary_comes_from_its_2021_districts():
    result = variation("QE1", "districts", "health-index")
    index = load("health_index_lad21")
    latest = index[index["year"] == 2021].set_index("ltla21_code")["overall_score"]
    westmorland = next(g for g in result.groups if g.code == "E06000064")
    # Barrow-in-Furness, Eden and South Lakeland
    parts = latest[["E07000027", "E07000030", "E07000031"]]
    assert parts.min() < westmorland.value < parts.max()
    assert any("created since 2021" in note for note in result.notes)
