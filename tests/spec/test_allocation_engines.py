"""Allocations computed on every engine agree with the Python reference to the penny."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from placeworks.allocation import (
    Blend,
    Config,
    Convergence,
    Grouping,
    Historic,
    Need,
    Population,
    Totals,
    allocate,
    example_baseline,
    functions,
    indices,
)
from placeworks.allocation.inputs import practice_inputs

YEARS = ("2023/24", "2024/25", "2025/26")
ICBS = ("QE1", "QOP", "QMM", "QHL", "QT6")  # worked example, large, rural, urban, smallest


def random_grouping(icb: str, year: str, labels: list[int]) -> Grouping:
    practices = practice_inputs(year)
    codes = sorted(practices.loc[practices["icb_code"] == icb, "practice_code"])
    paths = {code: (f"G{labels[i % len(labels)]}",) for i, code in enumerate(codes)}
    return Grouping("random", icb, year, ("group",), paths)


METHODS = st.sampled_from(
    [
        Need(),
        Population(),
        Blend(need=Decimal("0.6"), population=Decimal("0.4")),
    ]
)


@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    icb=st.sampled_from(ICBS),
    year=st.sampled_from(YEARS),
    labels=st.lists(st.integers(min_value=0, max_value=9), min_size=1, max_size=40),
    pence=st.integers(min_value=1, max_value=10**13),
    function=st.sampled_from(sorted(functions())),
    method=METHODS,
)
def test_random_groupings_agree_to_the_penny(engine, icb, year, labels, pence, function, method):
    grouping = random_grouping(icb, year, labels)
    config = Config(
        icb=icb,
        year=year,
        grouping="random",
        function=function,
        method=method,
        envelope=Decimal(pence) / 100,
    )
    on_engine = allocate(config, grouping=grouping, totals=Totals(engine))
    reference = allocate(config, grouping=grouping)
    assert on_engine.rows == reference.rows
    assert on_engine.total == config.envelope


@pytest.mark.parametrize("grouping", ["places", "neighbourhoods", "pcns"])
def test_historic_blend_and_convergence_agree(engine, grouping):
    baseline = example_baseline("QE1")
    for method in (
        Historic(),
        Blend(historic=Decimal("0.5"), need=Decimal("0.3"), population=Decimal("0.2")),
        Convergence(years=3, uplift=Decimal("0.02"), floor=Decimal("0.0"), cap=Decimal("0.05")),
    ):
        config = Config(
            icb="QE1",
            year="2025/26",
            grouping=grouping,
            function="core",
            method=method,
            envelope=Decimal("3500000000.00"),
        )
        on_engine = allocate(config, baseline=baseline, totals=Totals(engine))
        reference = allocate(config, baseline=baseline)
        assert on_engine.amounts() == reference.amounts()
        assert on_engine.path == reference.path


def test_nhs_england_indices_agree(engine):
    assert indices("QE1", "2025/26", "pcns", totals=Totals(engine)) == indices(
        "QE1", "2025/26", "pcns"
    )
