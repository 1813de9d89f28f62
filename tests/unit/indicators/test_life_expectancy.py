"""Life expectancy (Chiang II, Silcocks limits) against the OHID calculator's worked example."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from placeworks.indicators import phe_life_expectancy
from placeworks.indicators.life_expectancy import AGE_BANDS, REASONS, chiang_silcocks

POPS = [7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601, 50209, 56416]
POPS += [46411, 39820, 37978, 37039, 33288, 23306, 11936, 11936]
DEATHS = [17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390, 1605]
DEATHS += [1936, 1937]

# The worked example of PHE's life expectancy calculator (Fingertips technical guidance), as
# published with PHEindicatormethods' tests: LE and 95% limits at each band's start age.
CALCULATOR = {
    0: (80.16960813, 79.88268548, 80.45653078),
    5: (75.44193645, 75.17407307, 75.70979983),
    25: (55.78835987, 55.53801579, 56.03870395),
    65: (18.76856852, 18.57570352, 18.96143352),
    85: (6.163942934, 5.978358351, 6.349527517),
    90: (6.16210635, 5.887683386, 6.436529314),
}


def table(area: str = "Burnley", pops=POPS, deaths=DEATHS) -> pd.DataFrame:
    return pd.DataFrame(
        {"area": area, "age": list(AGE_BANDS), "pop": list(pops), "deaths": list(deaths)}
    )


def test_matches_the_calculator_worked_example():
    result = phe_life_expectancy(table(), "deaths", "pop", "age").set_index("age")
    for age, (value, lower, upper) in CALCULATOR.items():
        assert result.loc[age, "value"] == pytest.approx(value, abs=1e-4)
        assert result.loc[age, "lowercl"] == pytest.approx(lower, abs=1e-4)
        assert result.loc[age, "uppercl"] == pytest.approx(upper, abs=1e-4)
    assert result.loc[0, "confidence"] == "95%"
    assert result.loc[5, "statistic"] == "life expectancy at 5"
    assert result.loc[5, "method"] == "Chiang, using Silcocks et al for confidence limits"
    assert result["reason"].isna().all()


def test_last_band_by_hand():
    # In the open 90+ band e = T/l = (l/M)/l = 1/M = 11936/1937 = 6.162106; its variance is
    # (l/2)² · 4/(D M²) / l² = 1/(D M²), so se = (1/M)/√D = 6.162106/√1937 = 0.140013 and the
    # 95% limits are 6.162106 ∓ 1.959964 × 0.140013 = 5.887689 and 6.436524.
    result = phe_life_expectancy(table(), "deaths", "pop", "age", le_age=90)
    assert len(result) == 1
    assert result["value"].iloc[0] == pytest.approx(11936 / 1937)
    se = (11936 / 1937) / math.sqrt(1937)
    assert result["lowercl"].iloc[0] == pytest.approx(11936 / 1937 - 1.959964 * se, abs=1e-6)
    assert result["uppercl"].iloc[0] == pytest.approx(11936 / 1937 + 1.959964 * se, abs=1e-6)


def test_two_band_table_by_hand():
    # Bands 0-4 and 5+ (a = 0.1, n = 5): D = (10, 50), P = (1000, 500), M = (0.01, 0.1).
    # q0 = 0.05 / (1 + 0.05 × 0.9) = 0.0478469; l1 = 100000 × (1 - q0) = 95215.31
    # L0 = 5 × (95215.31 + 0.1 × 4784.69) = 478468.90; L1 = 95215.31 / 0.1 = 952153.11
    # e0 = (478468.90 + 952153.11) / 100000 = 14.306220; e1 = 10
    e, se = chiang_silcocks([0, 5], [10, 50], [1000, 500])
    assert e == pytest.approx([14.306220, 10.0], abs=1e-6)
    # Var(e0) = [l0² (0.9 × 5 + e1)² q0²(1 - q0)/D0 + (l1/2)² × 4/(D1 M1²)] / l0²
    q0 = 0.05 / 1.045
    l1 = 1e5 * (1 - q0)
    var0 = (1e10 * 14.5**2 * q0**2 * (1 - q0) / 10 + (l1 / 2) ** 2 * 4 / (50 * 0.01)) / 1e10
    assert se[0] == pytest.approx(math.sqrt(var0))
    assert se[1] == pytest.approx(10 / math.sqrt(50))


def test_groups_are_separate_and_sorted_and_rows_are_totalled():
    # Pendle's table arrives split over two rows per band (e.g. by sex); totals give the
    # calculator's table, so Pendle matches it exactly.
    half = table("Pendle", [p / 2 for p in POPS], [d / 2 for d in DEATHS])
    frame = pd.concat([table("Burnley"), half, half])
    result = phe_life_expectancy(frame, "deaths", "pop", "age", by=["area"], le_age=[0, 90])
    assert result["area"].tolist() == ["Burnley", "Burnley", "Pendle", "Pendle"]
    assert result["age"].tolist() == [0, 90, 0, 90]
    assert result["value"].tolist() == pytest.approx([80.16960813, 6.16210635] * 2, abs=1e-4)
    assert result["pops_used"].tolist() == [sum(POPS), 11936] * 2


def test_two_levels_name_the_columns_and_the_label():
    result = phe_life_expectancy(table(), "deaths", "pop", "age", confidence=[0.95, 99.8])
    assert {"lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"} <= set(result.columns)
    assert "lowercl" not in result.columns
    assert result["confidence"].iloc[0] == "95%, 99.8%"
    # the 95% limits are the one-level run's
    single = phe_life_expectancy(table(), "deaths", "pop", "age")
    assert result["lower95_0cl"].tolist() == pytest.approx(single["lowercl"].tolist())
    assert (result["lower99_8cl"] < result["lower95_0cl"]).all()


def test_cumulative_population_and_deaths_used():
    result = phe_life_expectancy(table(), "deaths", "pop", "age").set_index("age")
    assert result.loc[0, "pops_used"] == sum(POPS)
    assert result.loc[85, "dths_used"] == 1936 + 1937


def test_standard_type_drops_metadata():
    result = phe_life_expectancy(table(), "deaths", "pop", "age", type="standard")
    assert list(result.columns) == ["age", "value", "lowercl", "uppercl", "reason"]


def _suppressed(frame: pd.DataFrame) -> pd.DataFrame:
    return phe_life_expectancy(frame, "deaths", "pop", "age", by=["area"])


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"deaths": (3, -5)}, REASONS["negative_deaths"]),
        ({"pop": (5, 0)}, REASONS["population"]),
        ({"pop": (18, 119)}, REASONS["deaths_over_population"]),
        ({"deaths": (19, 0)}, REASONS["last_band"]),
    ],
)
def test_a_bad_band_suppresses_its_group_only(change, reason):
    bad = table("Bad")
    for column, (row, value) in change.items():
        bad.loc[row, column] = value
    result = _suppressed(pd.concat([table("Good"), bad]))
    bad_rows = result[result["area"] == "Bad"]
    assert len(bad_rows) == 20
    assert bad_rows[["value", "lowercl", "uppercl"]].isna().all().all()
    assert (bad_rows["reason"] == reason).all()
    assert result[result["area"] == "Good"]["value"].notna().all()


def test_small_population_is_suppressed():
    small = table("Small", [250] * 20, [5] * 20)  # 20 × 250 = 5,000: not more than 5,000
    result = _suppressed(small)
    assert result["value"].isna().all()
    assert (result["reason"] == "total population of 5,000 or less").all()
    just_enough = _suppressed(table("Small", [251] * 20, [5] * 20))
    assert just_enough["lowercl"].notna().all()


def test_missing_band_and_missing_values():
    result = _suppressed(table("Short").iloc[:19])
    assert len(result) == 19
    assert (result["reason"] == REASONS["bands"]).all()
    holes = table("Holes")
    holes["deaths"] = holes["deaths"].astype(float)
    holes.loc[4, "deaths"] = np.nan
    assert (_suppressed(holes)["reason"] == REASONS["missing"]).all()


def test_zero_deaths_in_a_band_before_the_last_are_fine():
    deaths = list(DEATHS)
    deaths[2] = 0
    result = _suppressed(table("Zero", deaths=deaths))
    assert result["value"].notna().all()


def test_wide_interval_suppresses_the_value_but_keeps_the_limits():
    # a tiny 90+ band, 1 death in 30 person-years: e = 1/M = 30 and se = 30/√1 = 30, so the
    # 95% interval is 2 × 1.96 × 30 = 117.6 years wide
    pops = [*POPS[:19], 30]
    deaths = [*DEATHS[:19], 1]
    result = _suppressed(table("Wide", pops, deaths)).set_index("age")
    assert math.isnan(result.loc[90, "value"])
    assert result.loc[90, "reason"] == REASONS["wide"]
    assert result.loc[90, "uppercl"] - result.loc[90, "lowercl"] == pytest.approx(117.6, abs=0.1)
    assert result[["lowercl", "uppercl"]].notna().all().all()
    assert (result["value"].isna() == (result["reason"] == REASONS["wide"])).all()


def test_five_year_bands_from_zero():
    bands = list(range(0, 95, 5))
    pops = [42119, *POPS[2:]]
    deaths = [26, *DEATHS[2:]]
    frame = pd.DataFrame({"area": "A", "age": bands, "pop": pops, "deaths": deaths})
    result = phe_life_expectancy(frame, "deaths", "pop", "age", by=["area"], age_contents=bands)
    assert len(result) == 19
    # from 5 upwards the table is the calculator's, so LE at 5 is unchanged
    assert result.set_index("age").loc[5, "value"] == pytest.approx(75.44193645, abs=1e-4)


def test_validation_names_the_column():
    frame = table()
    frame.loc[3, "age"] = 12
    with pytest.raises(ValueError, match="column age holds age bands not in age_contents: 12"):
        phe_life_expectancy(frame, "deaths", "pop", "age")
    with pytest.raises(KeyError, match="no column dead"):
        phe_life_expectancy(table(), "dead", "pop", "age")
    with pytest.raises(ValueError, match="must start at 0"):
        phe_life_expectancy(table(), "deaths", "pop", "age", age_contents=[1, 5])
    with pytest.raises(ValueError, match="ascending"):
        phe_life_expectancy(table(), "deaths", "pop", "age", age_contents=[0, 5, 1])
    with pytest.raises(ValueError, match=r"between 0\.9 and 1"):
        phe_life_expectancy(table(), "deaths", "pop", "age", confidence=0.8)


def test_le_age_keeps_the_known_ages_or_warns_and_gives_all():
    # as the package: ages outside age_contents are dropped; if none is known, all are given
    some = phe_life_expectancy(table(), "deaths", "pop", "age", le_age=[4, 5])
    assert some["age"].tolist() == [5]
    # (recorded by hand: pytest.warns would re-raise ibis' own deprecation warning)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        every = phe_life_expectancy(table(), "deaths", "pop", "age", le_age=[4, 6])
    assert len(every) == 20
    messages = [str(w.message) for w in caught if w.category is UserWarning]
    assert messages == ["le_age 4, 6 not in age_contents; life expectancy is given at every age"]


@settings(max_examples=25, deadline=None)
@given(
    scale=st.floats(min_value=0.2, max_value=5),
    mortality=st.floats(min_value=0.5, max_value=2),
)
def test_limits_bracket_the_value_and_nest(scale, mortality):
    pops = [p * scale for p in POPS]
    deaths = [min(d * scale * mortality, p) for d, p in zip(DEATHS, pops, strict=True)]
    result = phe_life_expectancy(
        table("A", pops, deaths), "deaths", "pop", "age", confidence=[95, 99.8]
    )
    ok = result["value"].notna()
    assert (result["lower95_0cl"][ok] <= result["value"][ok]).all()
    assert (result["value"][ok] <= result["upper95_0cl"][ok]).all()
    assert (result["lower99_8cl"] < result["lower95_0cl"]).all()
    assert (result["upper99_8cl"] > result["upper95_0cl"]).all()
