"""Convergence: a path from historic amounts towards need targets, year by year.

For year ``t`` with envelope ``E_t``, previous amounts ``A`` and need targets ``T = s * E_t``
(``s`` the need shares), each group's amount is::

    clip(k * T_g, A_g * (1 + floor), A_g * (1 + cap))

with one ``k`` for all groups, chosen so that the amounts add up to ``E_t`` (budget balance).
Groups far below target are held at the cap, groups far above it at the floor, and the rest sit
at the same proportion ``k`` of their target. The sum is a continuous, non-decreasing,
piecewise-linear function of ``k``, so ``k`` is found exactly (rational arithmetic) by walking its
breakpoints. It exists when the floors are affordable and the caps can absorb the envelope.
"""

from __future__ import annotations

import math
from fractions import Fraction

from placeworks.allocation.money import largest_remainder


class ConvergenceInfeasible(ValueError):
    """The floor or cap cannot be met within the envelope."""


def solve_year(
    previous: dict[str, int],
    targets: dict[str, Fraction],
    envelope: int,
    floor: Fraction,
    cap: Fraction,
    year: int,
) -> dict[str, int]:
    """Amounts in pence for one year, summing exactly to ``envelope`` pence."""
    low = {g: previous[g] * (1 + floor) for g in previous}
    high = {g: previous[g] * (1 + cap) for g in previous}
    if sum(low.values()) > envelope:
        raise ConvergenceInfeasible(
            f"year {year}: the floor ({float(floor):.2%} growth) needs"
            f" {float(sum(low.values())) / 100:,.2f} but the envelope is {envelope / 100:,.2f}"
        )
    if sum(high.values()) < envelope:
        raise ConvergenceInfeasible(
            f"year {year}: the cap ({float(cap):.2%} growth) allows only "
            f"{float(sum(high.values())) / 100:,.2f} of the envelope {envelope / 100:,.2f}"
        )
    k = _solve_k(low, high, targets, envelope)
    exact = {g: min(max(k * targets[g], low[g]), high[g]) for g in previous}
    # ``exact`` sums to the envelope; share it in whole pence.
    return largest_remainder(envelope, exact)


def _solve_k(low, high, targets, envelope) -> Fraction:
    def total(k: Fraction) -> Fraction:
        return sum(min(max(k * targets[g], low[g]), high[g]) for g in low)

    points = sorted(
        {Fraction(0)}
        | {low[g] / targets[g] for g in low if targets[g] > 0}
        | {high[g] / targets[g] for g in low if targets[g] > 0}
    )
    if total(points[-1]) < envelope:  # only groups with no target can take more: impossible
        raise ConvergenceInfeasible("no group with a need target can take the envelope")
    previous_point = points[0]
    if total(previous_point) >= envelope:
        return previous_point
    for point in points[1:]:
        if total(point) >= envelope:
            # Linear between the two points: interpolate exactly.
            a, b = total(previous_point), total(point)
            return previous_point + (point - previous_point) * (envelope - a) / (b - a)
        previous_point = point
    return points[-1]


def path(
    start: dict[str, int],
    need_shares: dict[str, Fraction],
    first_envelope: int,
    years: int,
    uplift: Fraction,
    floor: Fraction,
    cap: Fraction,
) -> list[tuple[int, dict[str, int]]]:
    """(envelope, amounts) in pence for each of ``years`` years after ``start``.

    ``start`` is year 0: the historic amounts. Year 1's envelope is ``first_envelope``; each
    later year's is the previous one grown by ``uplift``, rounded half up to the penny.
    """
    amounts = start
    envelope = first_envelope
    result = []
    for year in range(1, years + 1):
        if year > 1:
            envelope = math.floor(envelope * (1 + uplift) + Fraction(1, 2))
        targets = {g: need_shares[g] * envelope for g in start}
        amounts = solve_year(amounts, targets, envelope, floor, cap, year)
        result.append((envelope, amounts))
    return result
