"""Largest-remainder rounding: parts sum to the whole, each within a penny of its exact share."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from placeworks.allocation.money import largest_remainder, split, to_pence


def test_thirds_of_a_pound():
    assert largest_remainder(100, {"a": 1, "b": 1, "c": 1}) == {"a": 34, "b": 33, "c": 33}


def test_remainders_go_to_the_largest_fractions():
    # Exact shares of 10p by 1:2:4 are 1.43, 2.86, 5.71: floors 1, 2, 5 leave 2p, which go to
    # b (.86) and c (.71), not a (.43).
    assert largest_remainder(10, {"a": 1, "b": 2, "c": 4}) == {"a": 1, "b": 3, "c": 6}


def test_split_in_pounds():
    parts = split(Decimal("1000000.01"), {"x": Fraction(1, 3), "y": Fraction(2, 3)})
    assert parts == {"x": Decimal("333333.34"), "y": Decimal("666666.67")}
    assert sum(parts.values()) == Decimal("1000000.01")


@pytest.mark.parametrize("bad", ["1.001", "0.005"])
def test_fractions_of_a_penny_are_refused(bad):
    with pytest.raises(ValueError, match="whole number of pence"):
        to_pence(bad)


def test_zero_weights_are_refused():
    with pytest.raises(ValueError, match="add up to zero"):
        largest_remainder(100, {"a": 0, "b": 0})


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    total=st.integers(min_value=0, max_value=10**14),
    weights=st.lists(st.integers(min_value=0, max_value=10**12), min_size=1, max_size=40).filter(
        lambda w: sum(w) > 0
    ),
)
def test_parts_sum_to_the_whole_and_stay_within_a_penny(total, weights):
    named = {f"g{i:02d}": w for i, w in enumerate(weights)}
    parts = largest_remainder(total, named)
    assert sum(parts.values()) == total
    whole = sum(weights)
    for key, weight in named.items():
        exact = Fraction(total * weight, whole)
        assert abs(parts[key] - exact) < 1
        assert parts[key] >= 0
