"""Quantiles assigned the OHID way, against hand calculations of the rule."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from placeworks.indicators import phe_quantile
from placeworks.indicators.quantiles import assign_quantiles

FRAME = pd.DataFrame(
    {
        "region": ["North"] * 10 + ["South"] * 5,
        "area": [f"A{i}" for i in range(15)],
        "score": [*range(1, 11), 5, None, 3, 3, 1],
    }
)


def test_quintiles_within_regions_highest_first():
    # North: n = 10, n/5 = 2; the highest value has rank 1 and
    # q = floor(6 - ceil((11 - r) / 2)): r = 1, 2 -> 1; 3, 4 -> 2; 5, 6 -> 3; 7, 8 -> 4; 9, 10 -> 5.
    # South: n = 4 (one value missing), n/5 = 0.8; 5 has rank 1 -> 6 - ceil(4/0.8 = 5) = 1;
    # the tied 3s have rank 2 -> 6 - ceil(3.75) = 2; 1 has rank 4 -> 6 - ceil(1.25) = 4.
    result = phe_quantile(FRAME, "score", by=["region"], nquantiles=5)
    assert result["quantile"].tolist()[:10] == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    south = result["quantile"].iloc[10:]
    assert south.iloc[[0, 2, 3, 4]].tolist() == [1, 2, 2, 4]
    assert south.isna().tolist() == [False, True, False, False, False]
    assert set(result["qinverted"]) == {"lowest quantile represents highest values"}
    assert set(result["groupvars"]) == {"region"}
    assert set(result["nquantiles"]) == {5}


def test_quartiles_over_the_whole_frame_lowest_first():
    # n = 14, n/4 = 3.5; ascending ranks with ties at the lowest: 1 -> 1, 2 -> 3, 3 -> 4,
    # 4 -> 7, 5 -> 8, 6 -> 10, 7 -> 11, 8 -> 12, 9 -> 13, 10 -> 14, and
    # q = floor(5 - ceil((15 - r) / 3.5)): r = 1: 5 - 4 = 1; r = 3: ceil(3.43) = 4 -> 1;
    # r = 4: ceil(3.14) = 4 -> 1; r = 7: ceil(2.29) = 3 -> 2; r = 8: ceil(2) = 2 -> 3;
    # r = 10, 11 -> 3; r = 12, 13, 14: ceil(<= 0.86) = 1 -> 4.
    result = phe_quantile(FRAME, "score", nquantiles=4, invert=False)
    by_value = dict(zip(result["score"], result["quantile"], strict=True))
    expected = {1: 1, 2: 1, 3: 1, 4: 2, 5: 3, 6: 3, 7: 3, 8: 4, 9: 4, 10: 4}
    assert {int(k): v for k, v in by_value.items() if k == k} == expected
    assert set(result["qinverted"]) == {"lowest quantile represents lowest values"}
    assert set(result["groupvars"]) == {""}


def test_invert_from_a_column_per_group():
    frame = FRAME.assign(polarity=FRAME["region"].eq("North"))
    result = phe_quantile(frame, "score", by=["region"], nquantiles=5, invert="polarity")
    assert result["quantile"].tolist()[:10] == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    # South is not inverted: ranks 1 -> 1 (r=1), 3 -> r=2, 5 -> r=4: quantiles 1, 2, 4
    assert result["quantile"].iloc[[14, 12, 10]].tolist() == [1, 2, 4]
    assert result["qinverted"].iloc[10] == "lowest quantile represents lowest values"


def test_invert_column_must_be_constant_in_a_group():
    frame = FRAME.assign(polarity=[True, False] + [True] * 13)
    with pytest.raises(ValueError, match="column polarity must take one value in group North"):
        phe_quantile(frame, "score", by=["region"], invert="polarity")


def test_standard_type_and_validation():
    result = phe_quantile(FRAME, "score", by=["region"], type="standard")
    assert list(result.columns) == ["region", "area", "score", "quantile"]
    with pytest.raises(TypeError, match="column area must be numeric"):
        phe_quantile(FRAME, "area")
    with pytest.raises(KeyError, match="no column value"):
        phe_quantile(FRAME, "value")
    with pytest.raises(ValueError, match="nquantiles"):
        phe_quantile(FRAME, "score", nquantiles=0)


def test_rows_come_back_grouped_in_their_order():
    shuffled = FRAME.iloc[[12, 0, 14, 1]]
    result = phe_quantile(shuffled, "score", by=["region"], nquantiles=2)
    assert result["area"].tolist() == ["A0", "A1", "A12", "A14"]


def test_deciles_of_a_hundred_areas_hold_ten_each():
    result = phe_quantile(pd.DataFrame({"v": range(100)}), "v")
    assert result["quantile"].value_counts().tolist() == [10] * 10
    assert result.loc[result["v"] == 99, "quantile"].item() == 1


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=60),
    st.integers(min_value=2, max_value=10),
    st.booleans(),
)
def test_quantiles_are_monotone_in_the_value_and_in_range(values, nquantiles, invert):
    q = assign_quantiles(values, nquantiles, invert)
    assert ((q >= 1) & (q <= nquantiles)).all()
    pairs = sorted(zip(values, q, strict=True), reverse=invert)
    assert all(a[1] <= b[1] for a, b in itertools.pairwise(pairs))
    # ties share a quantile
    for value in set(values):
        assert len({qq for vv, qq in zip(values, q, strict=True) if vv == value}) == 1
