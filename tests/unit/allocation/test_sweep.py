"""The national sweep gives, to the penny, the amounts ``allocate`` gives one at a time."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from placeworks.allocation import Config, Need, allocate, functions
from placeworks.allocation.groupings import SHIPPED
from placeworks.allocation.inputs import MICRO, UNIT_COLUMNS, practice_inputs
from placeworks.allocation.money import largest_remainder as fraction_largest_remainder
from placeworks.allocation.money import to_pounds
from placeworks.allocation.sweep import (
    RESULT_COLUMNS,
    TOTAL_COLUMNS,
    allocation_count,
    icb_envelopes,
    largest_remainder,
    memberships,
    need_sweep,
    shares,
    stacked_inputs,
)
from placeworks.engine import connect

YEARS = ("2024/25", "2025/26")
ICBS = ("QE1", "QOP", "QMM")
PER_HEAD = Decimal("1000")


@pytest.fixture(scope="module")
def membership() -> pd.DataFrame:
    return memberships(YEARS, icbs=ICBS)


@pytest.fixture(scope="module")
def sweep(membership) -> pd.DataFrame:
    return need_sweep(membership, envelope_per_head=PER_HEAD)


def envelope(year: str, icb: str) -> Decimal:
    """The ICB's registered persons times £1,000, to the penny (half up), in Decimals."""
    frame = practice_inputs(year)
    micro = int(frame.loc[frame["icb_code"] == icb, "registered"].sum())
    return (Decimal(micro) / MICRO * PER_HEAD).quantize(Decimal("0.01"), ROUND_HALF_UP)


def test_membership_has_every_practice_once_per_grouping(membership):
    assert list(membership.columns) == [
        "year",
        "icb_code",
        "grouping",
        "group",
        "practice_code",
        "path",
    ]
    for year in YEARS:
        frame = practice_inputs(year)
        for icb in ICBS:
            practices = set(frame.loc[frame["icb_code"] == icb, "practice_code"])
            for grouping in SHIPPED:
                rows = membership[
                    (membership["year"] == year)
                    & (membership["icb_code"] == icb)
                    & (membership["grouping"] == grouping)
                ]
                assert sorted(rows["practice_code"]) == sorted(practices)
    assert (membership["path"].map(lambda path: path[-1]) == membership["group"]).all()


def test_one_allocation_per_year_icb_grouping_and_function(sweep):
    assert list(sweep.columns) == list(RESULT_COLUMNS)
    assert sweep["pence"].dtype == "int64"
    assert allocation_count(sweep) == len(YEARS) * len(ICBS) * len(SHIPPED) * len(functions())


@pytest.mark.parametrize(
    ("year", "icb", "grouping", "function"),
    [
        ("2025/26", "QE1", "places", "core"),
        ("2025/26", "QE1", "neighbourhoods", "population_health"),
        ("2024/25", "QE1", "localities", "community"),
        ("2025/26", "QOP", "districts", "community"),
        ("2024/25", "QOP", "neighbourhoods", "mental_health"),
        ("2025/26", "QMM", "pcns", "population_health"),
        ("2024/25", "QMM", "districts", "health_inequalities"),
    ],
)
def test_pence_equal_allocate_with_the_need_method(sweep, year, icb, grouping, function):
    config = Config(
        icb=icb,
        year=year,
        grouping=grouping,
        function=function,
        method=Need(),
        envelope=envelope(year, icb),
    )
    expected = {group: int(amount * 100) for group, amount in allocate(config).amounts().items()}
    rows = sweep[
        (sweep["year"] == year)
        & (sweep["icb_code"] == icb)
        & (sweep["grouping"] == grouping)
        & (sweep["function"] == function)
    ]
    assert dict(zip(rows["group"], rows["pence"], strict=True)) == expected


def test_every_allocation_sums_to_its_envelope(sweep):
    sums = sweep.groupby(["year", "icb_code", "grouping", "function"])["pence"].sum()
    envelopes = icb_envelopes(stacked_inputs(YEARS), PER_HEAD)
    for (year, icb, _, _), pence in sums.items():
        assert to_pounds(int(pence)) == envelope(year, icb)
        assert pence == envelopes[(year, icb)]
    assert (sweep["pence"] >= 0).all()


def test_the_engine_and_pandas_paths_agree_to_the_penny(membership, sweep):
    with connect("duckdb") as engine:
        on_engine = need_sweep(membership, totals_engine=engine, envelope_per_head=PER_HEAD)
    pd.testing.assert_frame_equal(on_engine, sweep)


def test_a_group_under_two_parents_is_refused(membership):
    frame = membership[
        (membership["year"] == "2025/26")
        & (membership["icb_code"] == "QE1")
        & (membership["grouping"] == "localities")
    ].copy()
    places = sorted({path[0] for path in frame["path"]})
    first = frame.index[0]
    place, locality = frame.loc[first, "path"]
    assert (frame["group"] == locality).sum() > 1
    elsewhere = next(p for p in places if p != place)
    frame.loc[first, "path"] = (elsewhere, locality)
    with pytest.raises(ValueError, match="sits under"):
        need_sweep(frame)


@given(
    total=st.integers(min_value=0, max_value=10**14),
    weights=st.lists(st.integers(min_value=0, max_value=10**13), min_size=1, max_size=12),
)
def test_the_integer_split_is_money_largest_remainder(total, weights):
    keys = [f"G{n:02d}" for n in range(len(weights))][::-1]  # ties go to the earlier key
    if sum(weights) == 0:
        with pytest.raises(ValueError, match="zero"):
            largest_remainder(total, keys, weights)
        return
    expected = fraction_largest_remainder(total, dict(zip(keys, weights, strict=True)))
    assert largest_remainder(total, keys, weights) == [expected[k] for k in keys]


def test_equal_weights_break_ties_by_key():
    assert largest_remainder(100, ["b", "a", "c"], [1, 1, 1]) == [33, 34, 33]


def synthetic(weights: dict[tuple[str, ...], int]) -> tuple[pd.DataFrame, dict]:
    """Totals of one made-up grouping: every component of a group is its weight."""
    rows = [
        {"year": "2025/26", "icb_code": "QXX", "grouping": "test", "group": path[-1]}
        | {"practices": 1}
        | dict.fromkeys(UNIT_COLUMNS, weight)
        for path, weight in sorted(weights.items(), key=lambda item: item[0][-1])
    ]
    paths = {("2025/26", "QXX", "test", path[-1]): path for path in weights}
    return pd.DataFrame(rows, columns=list(TOTAL_COLUMNS)), paths


def test_a_parent_with_no_need_gets_nothing_and_its_children_nothing():
    totals, paths = synthetic({("A", "A1"): 1, ("A", "A2"): 2, ("B", "B1"): 0, ("B", "B2"): 0})
    result = shares(totals, paths, {("2025/26", "QXX"): 1000})
    assert allocation_count(result) == len(functions())
    for _, amounts in result.groupby("function"):
        assert dict(zip(amounts["group"], amounts["pence"], strict=True)) == {
            "A1": 333,
            "A2": 667,
            "B1": 0,
            "B2": 0,
        }


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({("A", "A1"): 0, ("B", "B1"): 0}, "add up to zero"),
        ({("A", "A1"): 1, ("B",): 1}, "same number of levels"),
        ({("A", "X", "X1"): 1, ("B", "X", "X2"): 1}, "X sits under two groups"),
    ],
)
def test_unusable_groupings_are_refused(weights, message):
    totals, paths = synthetic(weights)
    with pytest.raises(ValueError, match=message):
        shares(totals, paths, {("2025/26", "QXX"): 1000})


def test_the_envelope_is_rounded_half_up_to_the_penny():
    inputs = pd.DataFrame(
        {"year": ["2025/26"] * 2, "icb_code": ["QXX", "QYY"], "registered": [500_000, 499_999]}
    )
    # 0.5 and 0.499999 persons at one penny a head: half a penny rounds up, less rounds down.
    assert icb_envelopes(inputs, Decimal("0.01")) == {("2025/26", "QXX"): 1, ("2025/26", "QYY"): 0}
    with pytest.raises(ValueError, match="positive"):
        icb_envelopes(inputs, Decimal(0))


@pytest.mark.parametrize(
    ("total", "keys", "weights", "message"),
    [
        (-1, ["a"], [1], "negative"),
        (1, [], [], "nothing"),
        (1, ["a", "b"], [1, -1], "negative"),
    ],
)
def test_the_integer_split_refuses_what_money_refuses(total, keys, weights, message):
    with pytest.raises(ValueError, match=message):
        largest_remainder(total, keys, weights)
