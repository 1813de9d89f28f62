"""Convergence worked by hand on two groups."""

from __future__ import annotations

from fractions import Fraction

import pytest

from placeworks.allocation.convergence import ConvergenceInfeasible, path, solve_year


def test_one_year_by_hand():
    # A had 600p, B 400p; targets are 50:50 of a 1,100p envelope (550p each).
    # Floor 0%, cap 20%: A may go 600..720, B 400..480. k*550 clipped must sum to 1,100:
    # B is capped at 480, so A gets 620 (= k*550 with k = 620/550, inside A's bounds).
    amounts = solve_year(
        {"A": 600, "B": 400},
        {"A": Fraction(550), "B": Fraction(550)},
        1100,
        Fraction(0),
        Fraction(1, 5),
        year=1,
    )
    assert amounts == {"A": 620, "B": 480}


def test_floor_holds_groups_above_target():
    # Same start, cap 50%: B could reach its 550 target, and A then gets exactly 550 too.
    amounts = solve_year(
        {"A": 600, "B": 400},
        {"A": Fraction(550), "B": Fraction(550)},
        1100,
        Fraction(-1, 10),
        Fraction(1, 2),
        year=1,
    )
    assert amounts == {"A": 550, "B": 550}
    # With a 0% floor A cannot fall below 600, so B gets the remaining 500.
    held = solve_year(
        {"A": 600, "B": 400},
        {"A": Fraction(550), "B": Fraction(550)},
        1100,
        Fraction(0),
        Fraction(1, 2),
        year=1,
    )
    assert held == {"A": 600, "B": 500}


def test_path_reaches_target_and_balances_every_year():
    years = path(
        {"A": 600, "B": 400},
        {"A": Fraction(1, 2), "B": Fraction(1, 2)},
        1000,
        years=4,
        uplift=Fraction(1, 20),
        floor=Fraction(0),
        cap=Fraction(1, 10),
    )
    envelopes = [envelope for envelope, _ in years]
    assert envelopes == [1000, 1050, 1103, 1158]  # 5% a year, rounded half up to the penny
    for envelope, amounts in years:
        assert sum(amounts.values()) == envelope
    # B grows by at most 10% a year and A never shrinks.
    previous = {"A": 600, "B": 400}
    for _, amounts in years:
        assert amounts["B"] <= previous["B"] * Fraction(11, 10)
        assert amounts["A"] >= previous["A"]
        previous = amounts
    assert years[-1][1]["B"] > 520  # moving towards half


def test_unaffordable_floor_is_an_error():
    with pytest.raises(ConvergenceInfeasible, match="year 1: the floor"):
        solve_year(
            {"A": 600, "B": 400},
            {"A": Fraction(500), "B": Fraction(500)},
            1000,
            Fraction(1, 10),
            Fraction(1, 5),
            year=1,
        )


def test_cap_that_cannot_absorb_the_envelope_is_an_error():
    with pytest.raises(ConvergenceInfeasible, match="the cap"):
        solve_year(
            {"A": 600, "B": 400},
            {"A": Fraction(750), "B": Fraction(750)},
            1500,
            Fraction(0),
            Fraction(1, 10),
            year=1,
        )
