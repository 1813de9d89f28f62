"""Confidence limit formulas, on numbers or numpy arrays (no data frames, no engines).

Each takes a two-sided confidence level ``confidence`` (0.95 for 95%) and uses the standard
normal quantile ``z = Φ⁻¹(1 - (1 - confidence) / 2)`` where a normal approximation is involved.
References are those of OHID's *Technical Guide: Confidence intervals* (Fingertips public
health technical guidance) and the papers it cites.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

Array = NDArray[np.float64]

#: Counts below this get exact Poisson limits; at or above it, Byar's approximation.
SMALL_COUNT = 10


def z_value(confidence: float) -> float:
    """The two-sided standard normal quantile for ``confidence`` (1.959964 for 0.95)."""
    return float(stats.norm.ppf(1 - (1 - confidence) / 2))


def _array(value: ArrayLike) -> Array:
    return np.asarray(value, dtype="float64")


def wilson(x: ArrayLike, n: ArrayLike, confidence: float) -> tuple[Array, Array]:
    """Wilson score limits of the proportion ``x / n``.

    ``(2x + z² ∓ z √(z² + 4x(1 - x/n))) / (2(n + z²))``

    Wilson EB. Probable inference, the law of succession, and statistical inference. J Am Stat
    Assoc 1927;22:209-212. Newcombe RG, Altman DG. Proportions and their differences. In:
    Altman DG et al. (eds). Statistics with confidence (2nd edn). BMJ Books; 2000:46-48.
    """
    x, n, z = _array(x), _array(n), z_value(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        root = z * np.sqrt(z**2 + 4 * x * (1 - x / n))
        denominator = 2 * (n + z**2)
        return (2 * x + z**2 - root) / denominator, (2 * x + z**2 + root) / denominator


def byars_lower(x: ArrayLike, confidence: float) -> Array:
    """Byar's approximate lower limit of a Poisson count ``x``.

    ``x (1 - 1/(9x) - z/(3√x))³``, missing where that is negative (very small counts).

    Breslow NE, Day NE. Statistical methods in cancer research, volume II: the design and
    analysis of cohort studies. Lyon: IARC; 1987.
    """
    x, z = _array(x), z_value(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        lower = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3
    return np.where(lower < 0, np.nan, lower)


def byars_upper(x: ArrayLike, confidence: float) -> Array:
    """Byar's approximate upper limit of a Poisson count ``x``.

    ``(x + 1)(1 - 1/(9(x + 1)) + z/(3√(x + 1)))³`` (Breslow and Day 1987).
    """
    x1, z = _array(x) + 1, z_value(confidence)
    return x1 * (1 - 1 / (9 * x1) + z / (3 * np.sqrt(x1))) ** 3


def exact_lower(x: ArrayLike, confidence: float) -> Array:
    """Exact lower limit of a Poisson count: ``χ²((1 - c)/2; 2x) / 2``, and 0 for ``x = 0``.

    Armitage P, Berry G, Matthews JNS. Statistical methods in medical research (4th edn).
    Oxford: Blackwell; 2002. (Garwood 1936.)
    """
    x = _array(x)
    with np.errstate(invalid="ignore"):
        lower = stats.chi2.ppf((1 - confidence) / 2, 2 * x) / 2
    return np.where(x == 0, 0.0, lower)


def exact_upper(x: ArrayLike, confidence: float) -> Array:
    """Exact upper limit of a Poisson count: ``χ²(1 - (1 - c)/2; 2x + 2) / 2``."""
    x = _array(x)
    return stats.chi2.ppf(1 - (1 - confidence) / 2, 2 * x + 2) / 2


def poisson(x: ArrayLike, confidence: float) -> tuple[Array, Array]:
    """Limits of a Poisson count as OHID computes them: exact below 10 events, Byar's from 10."""
    x = _array(x)
    small = x < SMALL_COUNT
    lower = np.where(small, exact_lower(x, confidence), byars_lower(x, confidence))
    upper = np.where(small, exact_upper(x, confidence), byars_upper(x, confidence))
    missing = np.isnan(x)
    return np.where(missing, np.nan, lower), np.where(missing, np.nan, upper)


def poisson_method(x: ArrayLike) -> NDArray[np.object_]:
    """``"Exact"`` below 10 events, ``"Byars"`` from 10, missing for a missing count."""
    x = _array(x)
    labels = np.where(x < SMALL_COUNT, "Exact", "Byars").astype(object)
    labels[np.isnan(x)] = None
    return labels


def dobson(
    value: ArrayLike, count: ArrayLike, variance: ArrayLike, confidence: float
) -> tuple[Array, Array]:
    """Dobson limits of a weighted sum of Poisson parameters (a directly standardised rate).

    ``DSR + √(var(DSR) / O) (O_L - O)`` and ``DSR + √(var(DSR) / O) (O_U - O)``, where ``O`` is
    the total count and ``O_L``, ``O_U`` are its Byar limits; ``value`` and ``variance`` on the
    same scale (multiply the result by the rate's multiplier).

    Dobson AJ, Kuulasmaa K, Eberle E, Scherer J. Confidence intervals for weighted sums of
    Poisson parameters. Stat Med 1991;10:457-462.
    """
    value, count, variance = _array(value), _array(count), _array(variance)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.sqrt(variance / count)
        lower = value + scale * (byars_lower(count, confidence) - count)
        upper = value + scale * (byars_upper(count, confidence) - count)
    return lower, upper


def student_t(
    mean: ArrayLike, sd: ArrayLike, count: ArrayLike, confidence: float
) -> tuple[Array, Array]:
    """Student's t limits of a mean: ``mean ∓ t(1 - (1 - c)/2; n - 1) · sd / √n``.

    Student. The probable error of a mean. Biometrika 1908;6:1-25.
    """
    mean, sd, count = _array(mean), _array(sd), _array(count)
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stats.t.ppf(1 - (1 - confidence) / 2, count - 1) * sd / np.sqrt(count)
    return mean - half, mean + half


def proportion_control_limits(
    average: float, denominator: ArrayLike, probability: float
) -> tuple[Array, Array]:
    """Funnel plot control limits of a proportion around ``average`` at each ``denominator``.

    ``p ∓ z √(p (1 - p) / n)`` with ``p = average`` and ``z = Φ⁻¹(probability)`` (0.975 for the
    2 sigma, 95% limits; 0.999 for the 3 sigma, 99.8% limits): the observed proportions whose
    Wilson score interval just reaches ``p``, since the score test uses the variance under
    ``p``. OHID's guidance writes the same limits as the roots of a quadratic in the count.

    OHID Fingertips technical guidance, *Funnel plots*; Spiegelhalter DJ. Funnel plots for
    comparing institutional performance. Stat Med 2005;24:1185-1202.
    """
    n = _array(denominator)
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stats.norm.ppf(probability) * np.sqrt(average * (1 - average) / n)
    return average - half, average + half


def poisson_expected_for_tail(observed: ArrayLike, tail: float, side: str) -> Array:
    """The Poisson mean at which ``observed`` sits exactly in a tail of probability ``tail``.

    ``side="high"``: the mean ``μ`` with ``P(X ≤ observed | μ) = tail``, that is
    ``χ²(1 - tail; 2(observed + 1)) / 2``; ``side="low"``: the mean with
    ``P(X ≥ observed | μ) = tail``, ``χ²(tail; 2 observed) / 2`` (0 for no events). These are the
    expected counts at the funnel plot's control limits for ratios and rates.
    """
    observed = _array(observed)
    if side == "high":
        return stats.chi2.ppf(1 - tail, 2 * observed + 2) / 2
    if side == "low":
        with np.errstate(invalid="ignore"):
            mean = stats.chi2.ppf(tail, 2 * observed) / 2
        return np.where(observed == 0, 0.0, mean)
    raise ValueError(f"side must be 'high' or 'low', not {side!r}")
