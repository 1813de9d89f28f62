"""Exact money: shares of an envelope in whole pence that add up to the envelope.

Every amount is computed from exact rational shares (``fractions.Fraction``) and rounded by the
largest remainder method (Hamilton's method): each part first gets the whole pence below its
exact amount; the pence left over go, one each, to the parts with the largest fractional
remainders (ties to the earlier key in sort order). The parts then sum to the whole exactly, and
no part is more than a penny from its exact amount.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from decimal import Decimal
from fractions import Fraction

PENNY = Decimal("0.01")


def to_pence(amount: Decimal | int | str) -> int:
    """An amount in pounds as whole pence; refuses fractions of a penny."""
    value = Decimal(str(amount))
    pence = value * 100
    if pence != pence.to_integral_value():
        raise ValueError(f"{amount} is not a whole number of pence")
    return int(pence)


def to_pounds(pence: int) -> Decimal:
    return (Decimal(pence) / 100).quantize(PENNY)


def largest_remainder(total_pence: int, weights: Mapping[Hashable, Fraction | int]) -> dict:
    """Split ``total_pence`` in proportion to ``weights`` (non-negative), to the penny.

    >>> largest_remainder(100, {"a": 1, "b": 1, "c": 1})
    {'a': 34, 'b': 33, 'c': 33}
    """
    if total_pence < 0:
        raise ValueError("the total must not be negative")
    if not weights:
        raise ValueError("nothing to share between")
    exact = {key: Fraction(weight) for key, weight in weights.items()}
    if any(weight < 0 for weight in exact.values()):
        raise ValueError("weights must not be negative")
    whole = sum(exact.values())
    if whole == 0:
        raise ValueError("the weights add up to zero")
    shares = {key: total_pence * weight / whole for key, weight in exact.items()}
    floors = {key: share.numerator // share.denominator for key, share in shares.items()}
    left = total_pence - sum(floors.values())
    order = sorted(shares, key=lambda key: (-(shares[key] - floors[key]), str(key)))
    for key in order[:left]:
        floors[key] += 1
    return {key: floors[key] for key in weights}


def split(total: Decimal, weights: Mapping[Hashable, Fraction | int]) -> dict:
    """Split an amount in pounds in proportion to ``weights``; the parts sum to it exactly."""
    pence = largest_remainder(to_pence(total), weights)
    return {key: to_pounds(value) for key, value in pence.items()}
