"""The confidence limit formulas against published tables and the formulas written out."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from placeworks.indicators import limits

Z95 = 1.959963984540054  # Φ⁻¹(0.975), from any normal table to 1.95996
Z998 = 3.090232306167813  # Φ⁻¹(0.999)


def test_z_values_are_the_tabled_normal_quantiles():
    assert limits.z_value(0.95) == pytest.approx(Z95, abs=1e-12)
    assert limits.z_value(0.998) == pytest.approx(Z998, abs=1e-12)


@pytest.mark.parametrize(
    ("x", "n", "lower", "upper"),
    [
        # Newcombe RG. Two-sided confidence intervals for the single proportion: comparison of
        # seven methods. Stat Med 1998;17:857-872, table II, method 3 (Wilson score).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_reproduces_newcombes_table(x, n, lower, upper):
    low, high = limits.wilson(x, n, 0.95)
    assert float(low) == pytest.approx(lower, abs=5e-5)
    assert float(high) == pytest.approx(upper, abs=5e-5)


def test_wilson_is_the_score_formula_written_out():
    x, n, z = 65.0, 100.0, Z95
    centre = 2 * x + z * z
    spread = z * math.sqrt(z * z + 4 * x * (1 - x / n))
    low, high = limits.wilson(x, n, 0.95)
    assert float(low) == pytest.approx((centre - spread) / (2 * (n + z * z)), rel=1e-12)
    assert float(high) == pytest.approx((centre + spread) / (2 * (n + z * z)), rel=1e-12)
    # The OHID guide's worked example: 65 of 100 gives 55.3% to 73.6%.
    assert (round(float(low), 3), round(float(high), 3)) == (0.553, 0.736)


def test_byars_is_the_formula_written_out():
    x, z = 100.0, Z95
    assert float(limits.byars_lower(x, 0.95)) == pytest.approx(
        x * (1 - 1 / (9 * x) - z / (3 * math.sqrt(x))) ** 3, rel=1e-12
    )
    assert float(limits.byars_upper(x, 0.95)) == pytest.approx(
        (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * math.sqrt(x + 1))) ** 3, rel=1e-12
    )


def test_byars_lower_is_missing_where_it_would_be_negative():
    assert math.isnan(float(limits.byars_lower(0.0, 0.95)))
    assert float(limits.byars_lower(10.0, 0.95)) > 0


@pytest.mark.parametrize(
    ("x", "lower", "upper"),
    [
        # Exact Poisson 95% limits (Garwood 1936), as tabled in Geigy Scientific Tables and
        # Armitage, Berry & Matthews (2002).
        (0, 0.0, 3.689),
        (1, 0.0253, 5.572),
        (5, 1.624, 11.668),
        (9, 4.115, 17.085),
    ],
)
def test_exact_poisson_limits_match_the_tables(x, lower, upper):
    assert float(limits.exact_lower(x, 0.95)) == pytest.approx(lower, abs=6e-4)
    assert float(limits.exact_upper(x, 0.95)) == pytest.approx(upper, abs=6e-4)


def test_poisson_switches_from_exact_to_byars_at_ten():
    low, high = limits.poisson(np.array([9.0, 10.0]), 0.95)
    assert low[0] == pytest.approx(float(limits.exact_lower(9, 0.95)))
    assert low[1] == pytest.approx(float(limits.byars_lower(10, 0.95)))
    assert high[1] == pytest.approx(float(limits.byars_upper(10, 0.95)))
    assert list(limits.poisson_method(np.array([9.0, 10.0, np.nan]))) == ["Exact", "Byars", None]


def test_byars_approximates_the_exact_limits_for_large_counts():
    exact = limits.exact_lower(400, 0.95), limits.exact_upper(400, 0.95)
    byars = limits.byars_lower(400, 0.95), limits.byars_upper(400, 0.95)
    assert float(byars[0]) == pytest.approx(float(exact[0]), rel=1e-3)
    assert float(byars[1]) == pytest.approx(float(exact[1]), rel=1e-3)


def test_dobson_is_the_formula_written_out():
    # DSR 0.002 (per person), 50 events, variance 1e-7.
    rate, count, variance = 0.002, 50.0, 1e-7
    low, high = limits.dobson(rate, count, variance, 0.95)
    scale = math.sqrt(variance / count)
    byar_low = count * (1 - 1 / (9 * count) - Z95 / (3 * math.sqrt(count))) ** 3
    byar_high = (count + 1) * (1 - 1 / (9 * (count + 1)) + Z95 / (3 * math.sqrt(count + 1))) ** 3
    assert float(low) == pytest.approx(rate + scale * (byar_low - count), rel=1e-12)
    assert float(high) == pytest.approx(rate + scale * (byar_high - count), rel=1e-12)


def test_student_t_matches_the_tabled_quantile():
    # Values 30, 40, 50, 60: mean 45, s = √(500/3); t(0.975; 3) = 3.182 from t tables.
    sd = math.sqrt(500 / 3)
    low, high = limits.student_t(45.0, sd, 4, 0.95)
    half = 3.182446305284263 * sd / 2
    assert float(low) == pytest.approx(45 - half, rel=1e-9)
    assert float(high) == pytest.approx(45 + half, rel=1e-9)


def test_proportion_control_limits_solve_ohids_quadratic():
    # The funnel plot guide's form: the count x at the limit is
    # (p(n/z²+1) ∓ √D/8) / (1/z² + 1/n), D = (8p(n/z²+1))² - 64(1/z²+1/n) p (n(p(n/z²+2)-1)
    # + z²(p-1)), as a proportion of n.
    p = 0.3
    for n in (5.0, 120.0, 40_000.0):
        for probability in (0.975, 0.999):
            z2 = stats.norm.ppf(probability) ** 2
            first = p * (n / z2 + 1)
            d = (8 * first) ** 2 - 64 * (1 / z2 + 1 / n) * p * (
                n * (p * (n / z2 + 2) - 1) + z2 * (p - 1)
            )
            last = 1 / z2 + 1 / n
            low, high = limits.proportion_control_limits(p, n, probability)
            assert float(low) == pytest.approx((first - math.sqrt(d) / 8) / last / n, rel=1e-9)
            assert float(high) == pytest.approx((first + math.sqrt(d) / 8) / last / n, rel=1e-9)


def test_a_proportion_at_its_control_limit_has_a_wilson_interval_reaching_the_average():
    low, high = limits.proportion_control_limits(0.3, 200.0, 0.975)
    assert float(limits.wilson(float(high) * 200, 200, 0.95)[0]) == pytest.approx(0.3)
    assert float(limits.wilson(float(low) * 200, 200, 0.95)[1]) == pytest.approx(0.3)


@pytest.mark.parametrize("observed", [0, 1, 7, 30])
def test_poisson_expected_for_tail_puts_the_count_in_that_tail(observed):
    high = float(limits.poisson_expected_for_tail(observed, 0.025, "high"))
    assert stats.poisson.cdf(observed, high) == pytest.approx(0.025)
    low = float(limits.poisson_expected_for_tail(observed, 0.025, "low"))
    if observed == 0:
        assert low == 0
    else:
        assert stats.poisson.sf(observed - 1, low) == pytest.approx(0.025)
    with pytest.raises(ValueError, match="side"):
        limits.poisson_expected_for_tail(observed, 0.025, "middle")


@given(
    n=st.integers(min_value=1, max_value=10**7),
    share=st.floats(min_value=0, max_value=1),
)
def test_wilson_limits_bracket_the_proportion_and_widen_with_confidence(n, share):
    x = math.floor(share * n)
    low95, high95 = (float(v) for v in limits.wilson(x, n, 0.95))
    low998, high998 = (float(v) for v in limits.wilson(x, n, 0.998))
    tol = 1e-12  # the formula's rounding error near 0 and 1
    assert 0 <= low998 <= low95 + tol
    assert low95 <= x / n + tol
    assert x / n - tol <= high95 <= high998 + tol
    assert high998 <= 1 + tol


@given(x=st.integers(min_value=0, max_value=10**6))
def test_poisson_limits_bracket_the_count_and_widen_with_confidence(x):
    low95, high95 = (float(v) for v in limits.poisson(x, 0.95))
    low998, high998 = (float(v) for v in limits.poisson(x, 0.998))
    assert 0 <= low998 <= low95 <= x <= high95 <= high998
