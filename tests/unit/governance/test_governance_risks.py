"""Risk matrices as data: scores, bands, appetite, and the shipped NPSA default."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from placeworks.governance.risks import (
    RiskMatrixSpec,
    above_appetite,
    check_appetite,
    default_matrix,
    risk_band,
    risk_score,
)


def matrix(likelihood=3, impact=3, bands=((("Low", 3)), ("High", 9))) -> RiskMatrixSpec:
    return RiskMatrixSpec(
        likelihood=[f"L{i}" for i in range(1, likelihood + 1)],
        impact=[f"I{i}" for i in range(1, impact + 1)],
        bands=[{"name": name, "max_score": top} for name, top in bands],
    )


def test_the_default_is_the_npsa_five_by_five():
    npsa = default_matrix()
    assert npsa.likelihood == ("Rare", "Unlikely", "Possible", "Likely", "Almost certain")
    assert npsa.impact == ("Negligible", "Minor", "Moderate", "Major", "Catastrophic")
    assert npsa.max_score == 25
    bands = {
        score: risk_band(npsa, score).name
        for score in sorted({a * b for a, b in itertools.product(range(1, 6), repeat=2)})
    }
    assert bands == {
        1: "Low",
        2: "Low",
        3: "Low",
        4: "Moderate",
        5: "Moderate",
        6: "Moderate",
        8: "High",
        9: "High",
        10: "High",
        12: "High",
        15: "Extreme",
        16: "Extreme",
        20: "Extreme",
        25: "Extreme",
    }


def test_scores_are_likelihood_times_impact_on_the_matrix():
    npsa = default_matrix()
    assert risk_score(npsa, 4, 5) == 20
    with pytest.raises(ValueError, match="likelihood 6 is not between 1 and 5"):
        risk_score(npsa, 6, 1)
    with pytest.raises(ValueError, match="impact 0 is not between 1 and 5"):
        risk_score(npsa, 1, 0)
    with pytest.raises(ValueError, match="likelihood must be a whole number"):
        risk_score(npsa, 2.5, 1)
    with pytest.raises(ValueError, match="score 26 is not between 1 and 25"):
        risk_band(npsa, 26)


def test_a_matrix_can_be_any_size_with_its_own_bands():
    small = matrix(3, 3, (("Low", 2), ("Medium", 4), ("High", 9)))
    assert small.max_score == 9
    assert [risk_band(small, s).name for s in (1, 2, 3, 4, 6, 9)] == [
        "Low",
        "Low",
        "Medium",
        "Medium",
        "High",
        "High",
    ]
    wide = matrix(4, 6, (("Low", 6), ("High", 24)))
    assert risk_score(wide, 4, 6) == 24
    with pytest.raises(ValueError, match="impact 7 is not between 1 and 6"):
        risk_score(wide, 1, 7)


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ((("Low", 3), ("High", 8)), "the last band ends at 8 but the highest score of a 3 by 3"),
        ((("Low", 3), ("High", 3), ("Top", 9)), "band 'High' ends at 3, not above"),
        ((("Low", 5), ("Low", 9)), "band names must be different"),
    ],
)
def test_bands_must_cover_every_score_in_order(bands, message):
    with pytest.raises(ValidationError, match=message):
        matrix(3, 3, bands)


def test_a_matrix_has_two_to_ten_levels_each_way_and_nothing_else():
    with pytest.raises(ValidationError, match="at least 2"):
        matrix(1, 3, (("All", 3),))
    with pytest.raises(ValidationError, match="at most 10"):
        matrix(11, 2, (("All", 22),))
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        RiskMatrixSpec(likelihood=["a", "b"], impact=["c", "d"], bands=[], size=2)


def test_appetite_flags_scores_above_it_only():
    assert above_appetite(13, 12)
    assert not above_appetite(12, 12)
    check_appetite(default_matrix(), 25)
    with pytest.raises(ValueError, match="an appetite is a score between 1 and 25, not 30"):
        check_appetite(default_matrix(), 30)


@given(st.integers(1, 5), st.integers(1, 5))
def test_every_cell_of_the_default_falls_in_exactly_one_band(likelihood, impact):
    npsa = default_matrix()
    score = risk_score(npsa, likelihood, impact)
    holding = [b for b in npsa.bands if score <= b.max_score]
    assert risk_band(npsa, score) == holding[0]
