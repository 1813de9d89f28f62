"""`placeworks indicators`, run as a user would on small files, against hand calculations and the
published values the method tests use (never against calling the Python functions)."""

from __future__ import annotations

import math
from importlib.util import find_spec
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook
from scipy import stats
from typer.testing import CliRunner

from placeworks.cli import app

runner = CliRunner()
Z95 = 1.959963984540054  # normal tables: 1.96
T975_3 = 3.182446305284263  # t(0.975; 3), from t tables as 3.182


def _csv(path: Path, text: str) -> Path:
    path.write_text(text.strip() + "\n", encoding="utf-8")
    return path


def _run(*args: str):
    return runner.invoke(app, ["indicators", *map(str, args)])


def _ok(*args: str) -> None:
    result = _run(*args)
    assert result.exit_code == 0, result.output
    return result


def _byars(o: float, z: float = Z95) -> tuple[float, float]:
    low = o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3
    high = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * math.sqrt(o + 1))) ** 3
    return low, high


@pytest.fixture
def areas(tmp_path) -> Path:
    return _csv(
        tmp_path / "smokers.csv",
        """
area,x,n
Pendle,65,100
Burnley,81,200
Burnley,0,63
Hyndburn,0,20
""",
    )


# --- one test per method ------------------------------------------------------------------------


def test_proportion_to_csv_matches_newcombes_examples(areas, tmp_path):
    out = tmp_path / "out.csv"
    result = _ok("proportion", "--input", areas, "--x", "x", "--n", "n", "--by", "area",
                 "--output", out)  # fmt: skip
    assert f"wrote {out}" in result.output
    table = pd.read_csv(out).set_index("area")
    assert table.index.tolist() == ["Burnley", "Hyndburn", "Pendle"]
    # Burnley: 81 of 263, Newcombe's example: 0.3080 (0.2553 to 0.3662); counts stay whole.
    assert table.loc["Burnley", ["x", "n"]].tolist() == [81, 263]
    assert table.loc["Burnley", "value"] == pytest.approx(81 / 263)
    assert table.loc["Burnley", "lowercl"] == pytest.approx(0.2553, abs=5e-5)
    assert table.loc["Burnley", "uppercl"] == pytest.approx(0.3662, abs=5e-5)
    # Hyndburn: none of 20, limits 0 to 0.1611 (Newcombe 1998).
    assert table.loc["Hyndburn", "uppercl"] == pytest.approx(0.1611, abs=5e-5)
    assert set(table["method"]) == {"Wilson"}
    assert set(table["confidence"]) == {"95%"}
    assert out.read_text().splitlines()[1].startswith("Burnley,81,263,0.30798")


def test_proportion_table_on_stdout_with_both_levels_and_percentages(areas):
    result = _ok("proportion", "--input", areas, "--x", "x", "--n", "n", "--by", "area",
                 "--multiplier", "100", "--confidence", "0.95", "--confidence", "0.998",
                 "--output", "-")  # fmt: skip
    lines = result.stdout.splitlines()
    assert lines[0].strip() == "Proportions"
    assert lines[1].split() == ["area", "x", "n", "value", "lower95_0cl", "upper95_0cl",
                                "lower99_8cl", "upper99_8cl", "confidence", "statistic",
                                "method"]  # fmt: skip
    burnley = lines[2].split()
    assert burnley[:4] == ["Burnley", "81", "263", "30.7985"]  # 81/263 = 30.7985%
    assert burnley[4:6] == ["25.5289", "36.621"]
    assert "95%, 99.8%" in lines[2]
    assert "percentage" in lines[2]


def test_rate_byars_and_exact_limits_by_hand(tmp_path):
    data = _csv(
        tmp_path / "deaths.csv",
        """
area,deaths,pop
Burnley,60,30000
Burnley,40,20000
Pendle,5,10000
Hyndburn,0,2000
""",
    )
    out = tmp_path / "rates.parquet"
    _ok("rate", "--input", data, "--x", "deaths", "--n", "pop", "--by", "area", "--output", out)
    table = pd.read_parquet(out).set_index("area")
    low, high = _byars(100)
    assert table.loc["Burnley", "value"] == pytest.approx(200)
    assert table.loc["Burnley", "lowercl"] == pytest.approx(low / 50_000 * 1e5)
    assert table.loc["Burnley", "uppercl"] == pytest.approx(high / 50_000 * 1e5)
    # five events: exact 95% limits 1.624 to 11.668 (Garwood's tables), over 10,000 people
    assert table.loc["Pendle", "lowercl"] == pytest.approx(16.24, abs=0.01)
    assert table.loc["Pendle", "uppercl"] == pytest.approx(116.68, abs=0.01)
    # no events: 0 to 3.689 (the "rule of 3.7") over 2,000
    assert table.loc["Hyndburn", "uppercl"] == pytest.approx(3.689 / 2_000 * 1e5, abs=0.05)
    assert table["method"].tolist() == ["Byars", "Exact", "Exact"]


def test_mean_with_students_t_from_an_excel_file(tmp_path):
    book = Workbook()
    sheet = book.active
    for row in (["area", "v"], ["A", 30], ["A", 40], ["A", 50], ["A", 60]):
        sheet.append(row)
    book.save(tmp_path / "values.xlsx")
    out = tmp_path / "means.xlsx"
    _ok("mean", "--input", tmp_path / "values.xlsx", "--x", "v", "--by", "area", "--output", out)
    row = pd.read_excel(out).iloc[0]
    # Σ = 180, n = 4, mean 45, s² = (225 + 25 + 25 + 225) / 3
    sd = math.sqrt(500 / 3)
    assert (row["value_sum"], row["value_count"], row["value"]) == (180, 4, 45)
    assert row["lowercl"] == pytest.approx(45 - T975_3 * sd / 2)
    assert row["uppercl"] == pytest.approx(45 + T975_3 * sd / 2)
    assert row["method"] == "Student's t-distribution"


def test_dsr_with_a_standard_population_column_by_hand(tmp_path):
    data = _csv(
        tmp_path / "bands.csv",
        """
area,band,x,n,w
A,0,10,1000,100
A,1,20,2000,200
A,2,30,1500,300
""",
    )
    out = tmp_path / "dsr.csv"
    _ok("dsr", "--input", data, "--x", "x", "--n", "n", "--stdpop", "w", "--by", "area",
        "--output", out)  # fmt: skip
    row = pd.read_csv(out).iloc[0]
    # Σ w x / n = 100·10/1000 + 200·20/2000 + 300·30/1500 = 9 over Σ w = 600
    rate = 9 / 600
    variance = (10 * 0.1**2 + 20 * 0.1**2 + 30 * 0.2**2) / 600**2
    low, high = _byars(60)
    scale = math.sqrt(variance / 60)
    assert (row["total_count"], row["total_pop"]) == (60, 4500)
    assert row["value"] == pytest.approx(rate * 100_000)
    assert row["lowercl"] == pytest.approx((rate + scale * (low - 60)) * 100_000)
    assert row["uppercl"] == pytest.approx((rate + scale * (high - 60)) * 100_000)
    assert row["statistic"] == "dsr per 100000"


def test_dsr_defaults_to_the_esp2013_by_lower_age(tmp_path):
    # every band of the ESP 2013 has 1 death in 1,000 people: the DSR is 100 per 100,000
    # whatever the weights, and 19 deaths give Dobson limits around it
    lines = ["age,deaths,pop"] + [f"{age},1,1000" for age in range(0, 95, 5)]
    data = _csv(tmp_path / "esp.csv", "\n".join(lines))
    result = _ok("dsr", "--input", data, "--x", "deaths", "--n", "pop", "--ageband", "age",
                 "--output", "-")  # fmt: skip
    row = result.stdout.splitlines()[2].split()
    assert row[:3] == ["19", "19000", "100"]


ISR = """
area,band,x,n,x_ref,n_ref
A,0,1,100,5,1000
A,1,2,200,10,1000
A,2,30,300,200,2000
A,3,40,400,300,1000
B,0,0,100,5,1000
B,1,1,200,10,1000
B,2,2,300,200,2000
B,3,3,400,300,1000
"""
# expected events of each area: 100·0.005 + 200·0.01 + 300·0.1 + 400·0.3 = 152.5
EXPECTED = 152.5


def test_isr_ratio_byars_and_exact_by_hand(tmp_path):
    data = _csv(tmp_path / "isr.csv", ISR)
    out = tmp_path / "isr.csv.out.csv"
    _ok("isr-ratio", "--input", data, "--x", "x", "--n", "n", "--x-ref", "x_ref",
        "--n-ref", "n_ref", "--by", "area", "--refvalue", "100", "--output", out)  # fmt: skip
    table = pd.read_csv(out).set_index("area")
    low, high = _byars(73)
    assert table.loc["A", "observed"] == 73
    assert table.loc["A", "expected"] == pytest.approx(EXPECTED)
    assert table.loc["A", "lowercl"] == pytest.approx(low / EXPECTED * 100)
    assert table.loc["A", "uppercl"] == pytest.approx(high / EXPECTED * 100)
    assert table.loc["B", "value"] == pytest.approx(600 / EXPECTED)
    assert table.loc["B", "lowercl"] == pytest.approx(
        stats.chi2.ppf(0.025, 12) / 2 / EXPECTED * 100
    )
    assert table.loc["B", "statistic"] == "indirectly standardised ratio x 100"


def test_isr_ratio_with_observed_totals_from_another_file(tmp_path):
    data = _csv(tmp_path / "isr.csv", ISR)
    totals = _csv(tmp_path / "totals.csv", "area,x\nA,80\nB,0")
    out = tmp_path / "ratios.csv"
    _ok("isr-ratio", "--input", data, "--x", "x", "--n", "n", "--x-ref", "x_ref",
        "--n-ref", "n_ref", "--by", "area", "--observed-totals", totals,
        "--output", out)  # fmt: skip
    table = pd.read_csv(out).set_index("area")
    assert table["observed"].tolist() == [80, 0]
    assert table.loc["A", "value"] == pytest.approx(80 / EXPECTED)


def test_isr_rate_is_the_ratio_times_the_reference_rate(tmp_path):
    data = _csv(tmp_path / "isr.csv", ISR)
    out = tmp_path / "rates.csv"
    _ok("isr-rate", "--input", data, "--x", "x", "--n", "n", "--x-ref", "x_ref",
        "--n-ref", "n_ref", "--by", "area", "--output", out)  # fmt: skip
    table = pd.read_csv(out).set_index("area")
    # the reference rate: 515 events in 5,000 people, 10,300 per 100,000
    assert table.loc["A", "value"] == pytest.approx(73 / EXPECTED * 515 / 5000 * 100_000)
    assert table.loc["B", "value"] == pytest.approx(6 / EXPECTED * 515 / 5000 * 100_000)


FUNNEL = """
unit,x,n
a,500,1000
b,500,1000
c,500,1000
d,500,1000
e,700,1000
f,300,1000
g,545,1000
"""


def test_funnel_significance_against_the_limits_by_hand(tmp_path):
    data = _csv(tmp_path / "units.csv", FUNNEL)
    out = tmp_path / "significance.csv"
    _ok("funnel-significance", "--input", data, "--numerator", "x", "--denominator", "n",
        "--statistic", "proportion", "--output", out)  # fmt: skip
    table = pd.read_csv(out)
    # p = 3,545 / 7,000 = 0.5064, se at 1,000 = 0.01581: 95% limits 0.4754 to 0.5374, 99.8%
    # limits 0.4576 to 0.5553; 0.7 and 0.3 beyond the outer, 0.545 between the upper two
    assert table["unit"].tolist() == list("abcdefg")
    assert table["significance"].tolist() == ["Not significant"] * 4 + [
        "High (0.001)",
        "Low (0.001)",
        "High (0.025)",
    ]


def test_funnel_limits_at_100_sizes_by_the_normal_approximation(tmp_path):
    data = _csv(tmp_path / "units.csv", FUNNEL)
    out = tmp_path / "limits.csv"
    _ok("funnel-limits", "--input", data, "--numerator", "x", "--denominator", "n",
        "--statistic", "proportion", "--multiplier", "1", "--output", out)  # fmt: skip
    table = pd.read_csv(out)
    assert len(table) == 100
    assert table["baseline"].iloc[0] == pytest.approx(3545 / 7000)
    # at n = 1,000 (on the axis from 900 to 1,100) the Wilson limits of the average are close
    # to p ± 1.96 se and p ± 3.09 se
    p = 3545 / 7000
    se = math.sqrt(p * (1 - p) / 1000)
    row = table.iloc[(table["Population"] - 1000).abs().idxmin()]
    assert row["Population"] == pytest.approx(1000, abs=2)
    assert row["lower_2s_limit"] == pytest.approx(p - Z95 * se, abs=5e-4)
    assert row["upper_3s_limit"] == pytest.approx(p + 3.090232 * se, abs=5e-4)


LIFE_POPS = [7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601, 50209, 56416]
LIFE_POPS += [46411, 39820, 37978, 37039, 33288, 23306, 11936, 11936]
LIFE_DEATHS = [17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390, 1605]
LIFE_DEATHS += [1936, 1937]
AGES = [0, 1, *range(5, 95, 5)]


def test_life_expectancy_matches_the_calculator_worked_example(tmp_path):
    lines = ["area,age,pop,deaths"] + [
        f"Burnley,{a},{p},{d}" for a, p, d in zip(AGES, LIFE_POPS, LIFE_DEATHS, strict=True)
    ]
    data = _csv(tmp_path / "lifetable.csv", "\n".join(lines))
    out = tmp_path / "le.csv"
    _ok("life-expectancy", "--input", data, "--deaths", "deaths", "--population", "pop",
        "--startage", "age", "--by", "area", "--le-age", "0", "--le-age", "65",
        "--output", out)  # fmt: skip
    table = pd.read_csv(out).set_index("age")
    # PHE's life expectancy calculator: 80.1696 (79.8827 to 80.4565) at birth, 18.7686
    # (18.5757 to 18.9614) at 65
    assert table.index.tolist() == [0, 65]
    assert table.loc[0, "value"] == pytest.approx(80.16960813, abs=1e-4)
    assert table.loc[0, "lowercl"] == pytest.approx(79.88268548, abs=1e-4)
    assert table.loc[65, "value"] == pytest.approx(18.76856852, abs=1e-4)
    assert table.loc[65, "uppercl"] == pytest.approx(18.96143352, abs=1e-4)
    assert table.loc[65, "statistic"] == "life expectancy at 65"


def test_quantile_assigns_quintiles_within_regions_by_hand(tmp_path):
    north = [f"North,A{i},{i + 1}" for i in range(10)]
    south = ["South,A10,5", "South,A11,", "South,A12,3", "South,A13,3", "South,A14,1"]
    data = _csv(tmp_path / "scores.csv", "\n".join(["region,area,score", *north, *south]))
    out = tmp_path / "quintiles.csv"
    _ok("quantile", "--input", data, "--values", "score", "--by", "region", "--nquantiles", "5",
        "--output", out)  # fmt: skip
    table = pd.read_csv(out)
    # North: n = 10, the highest value first: q = floor(6 - ceil((11 - r) / 2)); South: n = 4,
    # 5 -> 1, the tied 3s -> 2, 1 -> 4, the missing score no quantile
    assert table["quantile"].iloc[:10].tolist() == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    assert table["quantile"].iloc[10:].fillna(0).tolist() == [1, 0, 2, 2, 4]
    assert set(table["qinverted"]) == {"lowest quantile represents highest values"}


def test_quantile_inverted_per_group_from_a_column(tmp_path):
    north = [f"North,A{i},{i + 1},yes" for i in range(10)]
    south = ["South,A10,5,no", "South,A12,3,no", "South,A14,1,no"]
    data = _csv(tmp_path / "scores.csv", "\n".join(["region,area,score,polarity", *north, *south]))
    out = tmp_path / "q.csv"
    _ok("quantile", "--input", data, "--values", "score", "--by", "region", "--nquantiles", "5",
        "--invert-column", "polarity", "--output", out)  # fmt: skip
    table = pd.read_csv(out)
    assert table["quantile"].iloc[:10].tolist() == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    # South, not inverted: n = 3, n/5 = 0.6; 5 has rank 3 -> 6 - ceil(1/0.6) = 4; 3 -> r = 2,
    # 6 - ceil(2/0.6 = 3.33) = 2; 1 -> r = 1, 6 - ceil(5) = 1
    assert table["quantile"].iloc[10:].tolist() == [4, 2, 1]


def test_sii_of_a_straight_line(tmp_path):
    # equal fifths: midpoints 0.1, 0.3, 0.5, 0.7, 0.9; y = 10 + 5b lies on the line, so SII = 5,
    # intercept 10, RII 1.5, and with no sampling error every simulated SII is 5
    rows = [f"A,{q},100,{10 + 5 * (2 * q - 1) / 10},0" for q in range(1, 6)]
    data = _csv(tmp_path / "quintiles.csv", "\n".join(["area,q,pop,value,se", *rows]))
    out = tmp_path / "sii.csv"
    _ok("sii", "--input", data, "--quantile", "q", "--population", "pop", "--value", "value",
        "--se", "se", "--by", "area", "--rii", "--intercept", "--repetitions", "1000",
        "--seed", "1", "--output", out)  # fmt: skip
    row = pd.read_csv(out).iloc[0]
    assert row["sii"] == pytest.approx(5)
    assert row["rii"] == pytest.approx(1.5)
    assert row["intercept"] == pytest.approx(10)
    assert row["sii_lower95_0cl"] == pytest.approx(5)
    assert row["CI_method"] == "simulation 1000 reps"


def test_sii_needs_a_seed(tmp_path):
    data = _csv(tmp_path / "q.csv", "q,pop,value,se\n1,100,1,0")
    result = _run("sii", "--input", data, "--quantile", "q", "--population", "pop",
                  "--value", "value", "--se", "se", "--output", tmp_path / "o.csv")  # fmt: skip
    assert result.exit_code == 2
    assert "--seed" in result.output


def test_spc_limits_and_rules_by_hand_with_months_past_nine(tmp_path):
    # y = 10 11 9 10 11 9 10 30 in months 5..12 (10 must follow 9): mean 12.5; moving ranges
    # 1 2 1 1 2 1 20, mean 4; 20 is screened out: mean mR 8/6; limits 12.5 ∓ 2.66 × 8/6
    values = [10, 11, 9, 10, 11, 9, 10, 30]
    rows = [f"{month},{v}" for month, v in zip(range(5, 13), values, strict=True)]
    data = _csv(tmp_path / "series.csv", "\n".join(["month,count", *rows[::-1]]))
    out = tmp_path / "spc.csv"
    _ok("spc", "--input", data, "--value", "count", "--x", "month", "--output", out)
    table = pd.read_csv(out)
    assert table["month"].tolist() == list(range(5, 13))
    assert table["mean"].iloc[0] == pytest.approx(12.5)
    assert table["upl"].iloc[0] == pytest.approx(12.5 + 2.66 * 8 / 6)
    assert table["special_cause_type"].iloc[-1] == "Above UCL"
    assert table["special_cause_type"].iloc[1] == "7 Points Below CL"


def test_spc_rebase_starts_new_limits(tmp_path):
    # two flat halves, 10 then 20, each with a little variation: rebased at month 7, each half
    # has its own mean
    values = [10, 11, 10, 11, 10, 11, 20, 21, 20, 21, 20, 21]
    rows = [f"{m},{v}" for m, v in enumerate(values, start=1)]
    data = _csv(tmp_path / "series.csv", "\n".join(["month,count", *rows]))
    out = tmp_path / "spc.csv"
    _ok("spc", "--input", data, "--value", "count", "--x", "month", "--rebase", "7",
        "--output", out)  # fmt: skip
    table = pd.read_csv(out)
    assert table["rebase_group"].tolist() == [0] * 6 + [1] * 6
    assert table["mean"].iloc[0] == pytest.approx(10.5)
    assert table["mean"].iloc[-1] == pytest.approx(20.5)


# --- bad input ----------------------------------------------------------------------------------


def _refused(result, *parts: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for part in parts:
        assert part in result.output


def test_a_missing_column_is_named_with_its_option_and_the_file(areas, tmp_path):
    out = tmp_path / "out.csv"
    result = _run("rate", "--input", areas, "--x", "deaths", "--n", "n", "--output", out)
    _refused(result, "smokers.csv", "no column 'deaths'", "--x", "the columns are area, x, n")
    assert not out.exists()


def test_a_value_that_is_not_a_number_names_its_line_and_column(tmp_path):
    # a blank line in the file: the line numbers are the file's, not the data rows'
    data = _csv(tmp_path / "bad.csv", "area,x,n\nPendle,65,100\n\nBurnley,eighty,200")
    out = tmp_path / "out.csv"
    result = _run("proportion", "--input", data, "--x", "x", "--n", "n", "--output", out)
    _refused(result, "bad.csv line 4, column x: 'eighty' is not a number")
    assert not out.exists()


def test_a_negative_count_is_the_methods_error_with_the_files_line(tmp_path):
    data = _csv(tmp_path / "neg.csv", "area,deaths,pop\nBurnley,5,100\nPendle,-2,100")
    result = _run("rate", "--input", data, "--x", "deaths", "--n", "pop", "--by", "area",
                  "--output", tmp_path / "out.csv")  # fmt: skip
    _refused(result, "neg.csv: numerator deaths must not be negative (line 3, area 'Pendle')")


def test_a_numerator_above_its_denominator_is_refused(tmp_path):
    data = _csv(tmp_path / "p.csv", "area,x,n\nA,5,10\nB,12,10")
    result = _run("proportion", "--input", data, "--x", "x", "--n", "n", "--by", "area",
                  "--output", "-")  # fmt: skip
    _refused(result, "p.csv:", "must not exceed the denominator n (line 3, area 'B')")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--type", "combined"], "type must be one of full, standard, value, lower, upper"),
        (["--confidence", "0.8"], "confidence must be at least 0.9"),
        (["--confidence", "0.9", "--confidence", "0.95"], "0.95 and 0.998"),
        (["--multiplier", "0"], "multiplier must be a positive number"),
        (["--colour", "red"], "No such option"),
        (["--engine", "excel"], "Invalid value for '--engine'"),
    ],
)
def test_bad_options_are_refused_with_exit_code_2(areas, tmp_path, options, message):
    out = tmp_path / "out.csv"
    result = _run("proportion", "--input", areas, "--x", "x", "--n", "n", *options,
                  "--output", out)  # fmt: skip
    _refused(result, message)
    assert not out.exists()


def test_life_expectancy_takes_only_full_or_standard(tmp_path):
    data = _csv(tmp_path / "le.csv", "age,pop,deaths\n0,100,1")
    result = _run("life-expectancy", "--input", data, "--deaths", "deaths", "--population",
                  "pop", "--startage", "age", "--type", "value", "--output", "-")  # fmt: skip
    _refused(result, "le.csv: type must be one of full, standard, not 'value'")


def test_unknown_method_and_file_formats(areas, tmp_path):
    _refused(_run("odds-ratio", "--input", areas), "No such command 'odds-ratio'")
    text = tmp_path / "data.txt"
    text.write_text("x\n1\n")
    _refused(_run("mean", "--input", text, "--x", "x", "--output", "-"),
             "data.txt: give a .csv, .parquet or .xlsx file")  # fmt: skip
    _refused(_run("mean", "--input", tmp_path / "none.csv", "--x", "x", "--output", "-"),
             "none.csv: no such file")  # fmt: skip
    _refused(_run("mean", "--input", areas, "--x", "x", "--output", tmp_path / "out.json"),
             "out.json: the output must be a .csv, .parquet or .xlsx file")  # fmt: skip
    ragged = _csv(tmp_path / "ragged.csv", "x,n\n1,2\n3")
    _refused(_run("mean", "--input", ragged, "--x", "x", "--output", "-"),
             "ragged.csv line 3: 1 fields where the header has 2")  # fmt: skip


def test_parquet_input_names_rows_from_one(tmp_path):
    path = tmp_path / "data.parquet"
    pd.DataFrame({"x": ["1", "2", "lots"], "n": [5, 5, 5]}).to_parquet(path)
    result = _run("rate", "--input", path, "--x", "x", "--n", "n", "--output", "-")
    _refused(result, "data.parquet row 3, column x: 'lots' is not a number")


def test_nothing_is_written_on_error_and_an_old_output_is_kept(tmp_path):
    data = _csv(tmp_path / "neg.csv", "area,x,n\nA,1,10\nB,-1,10")
    out = tmp_path / "result.csv"
    out.write_text("the previous result\n")
    result = _run("proportion", "--input", data, "--x", "x", "--n", "n", "--output", out)
    _refused(result, "neg.csv: numerator x must not be negative (line 3")
    assert out.read_text() == "the previous result\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["neg.csv", "result.csv"]


def test_a_successful_run_replaces_the_output_and_leaves_no_temporary_file(areas, tmp_path):
    out = tmp_path / "result.csv"
    out.write_text("the previous result\n")
    _ok("proportion", "--input", areas, "--x", "x", "--n", "n", "--output", out)
    assert out.read_text().startswith("x,n,value,lowercl,uppercl")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["result.csv", "smokers.csv"]


@pytest.mark.skipif(find_spec("pyspark") is not None, reason="PySpark is installed here")
def test_spark_without_the_extra_says_how_to_install_it(areas, tmp_path):
    result = _run("rate", "--input", areas, "--x", "x", "--n", "n", "--engine", "spark",
                  "--output", tmp_path / "out.csv")  # fmt: skip
    assert result.exit_code == 1
    assert "placeworks[spark]" in result.output
    assert not (tmp_path / "out.csv").exists()


def test_every_method_has_a_subcommand():
    import placeworks.indicators as indicators

    result = _ok("--help")
    commands = {
        "phe_proportion": "proportion",
        "phe_rate": "rate",
        "phe_mean": "mean",
        "calculate_dsr": "dsr",
        "calculate_ISRatio": "isr-ratio",
        "calculate_ISRate": "isr-rate",
        "calculate_funnel_limits": "funnel-limits",
        "assign_funnel_significance": "funnel-significance",
        "phe_life_expectancy": "life-expectancy",
        "phe_quantile": "quantile",
        "phe_sii": "sii",
        "spc_xmr": "spc",
    }
    assert set(commands) == set(indicators.__all__) - {"esp2013"}
    for command in commands.values():
        assert f" {command} " in result.output


def test_a_failed_write_keeps_the_old_output_and_leaves_no_partial_file(
    areas, tmp_path, monkeypatch
):
    out = tmp_path / "result.csv"
    out.write_text("the previous result\n")

    def broken(self, path, **options):
        Path(path).write_text("area,x\nBurn")  # half a file, then the disk fills
        raise OSError("No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken)
    result = _run("proportion", "--input", areas, "--x", "x", "--n", "n", "--output", out)
    assert result.exit_code == 1
    assert "cannot write" in result.output
    assert "No space left on device" in result.output
    assert out.read_text() == "the previous result\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["result.csv", "smokers.csv"]


def test_an_excel_value_is_named_by_its_sheet_row(tmp_path):
    book = Workbook()
    sheet = book.active
    for row in (["area", "v"], [], ["A", 30], ["A", "n/a"]):
        sheet.append(row)
    book.save(tmp_path / "values.xlsx")
    result = _run("mean", "--input", tmp_path / "values.xlsx", "--x", "v", "--output", "-")
    _refused(result, "values.xlsx line 4, column v: 'n/a' is not a number")


def test_life_expectancy_warns_of_unknown_ages_and_gives_every_age(tmp_path):
    lines = ["age,pop,deaths"] + [
        f"{a},{p},{d}" for a, p, d in zip(AGES, LIFE_POPS, LIFE_DEATHS, strict=True)
    ]
    data = _csv(tmp_path / "lifetable.csv", "\n".join(lines))
    out = tmp_path / "le.csv"
    result = _ok("life-expectancy", "--input", data, "--deaths", "deaths", "--population",
                 "pop", "--startage", "age", "--le-age", "3", "--output", out)  # fmt: skip
    assert "warning: le_age 3 not in age_contents; life expectancy is given at every age" in (
        result.output
    )
    assert pd.read_csv(out)["age"].tolist() == AGES


def test_a_rebase_point_must_be_like_the_periods(tmp_path):
    data = _csv(tmp_path / "series.csv", "month,count\n1,10\n2,11\n3,12")
    result = _run("spc", "--input", data, "--value", "count", "--x", "month",
                  "--rebase", "March", "--output", "-")  # fmt: skip
    _refused(result, "--rebase 'March' is not a number, as the values of column month are")


def test_a_file_without_data_or_an_empty_grouping_column_is_refused(tmp_path):
    header = _csv(tmp_path / "header.csv", "area,x,n")
    _refused(_run("proportion", "--input", header, "--x", "x", "--n", "n", "--output", "-"),
             "header.csv: no data below the header")  # fmt: skip
    blank = _csv(tmp_path / "blank.csv", "area,x,n\n,1,10\n,2,10")
    result = _run("quantile", "--input", blank, "--values", "x", "--by", "area", "--output", "-")
    _refused(result, "blank.csv: column 'area' (given by --by) has no values")


def test_parquet_output_keeps_the_computed_types(areas, tmp_path):
    out = tmp_path / "out.parquet"
    _ok("proportion", "--input", areas, "--x", "x", "--n", "n", "--by", "area", "--output", out)
    table = pd.read_parquet(out)
    assert str(table["x"].dtype) == "float64"
    assert table["x"].tolist() == [81, 0, 65]


def test_life_expectancy_with_age_bands_given_as_labels(tmp_path):
    labels = ["0", "1-4", *(f"{a}-{a + 4}" for a in range(5, 90, 5)), "90+"]
    lines = ["age,pop,deaths"] + [
        f"{b},{p},{d}" for b, p, d in zip(labels, LIFE_POPS, LIFE_DEATHS, strict=True)
    ]
    data = _csv(tmp_path / "lifetable.csv", "\n".join(lines))
    out = tmp_path / "le.csv"
    _ok("life-expectancy", "--input", data, "--deaths", "deaths", "--population", "pop",
        "--startage", "age", "--age-contents", ",".join(labels), "--le-age", "85-89",
        "--output", out)  # fmt: skip
    row = pd.read_csv(out).iloc[0]
    # the calculator's worked example at 85: 6.1639 (5.9784 to 6.3495)
    assert row["age"] == "85-89"
    assert row["value"] == pytest.approx(6.163942934, abs=1e-4)
    assert row["lowercl"] == pytest.approx(5.978358351, abs=1e-4)


def test_header_problems_are_named(tmp_path):
    twice = _csv(tmp_path / "twice.csv", "area,x,x\nA,1,2")
    _refused(_run("mean", "--input", twice, "--x", "x", "--output", "-"),
             "twice.csv line 1: column 'x' appears twice")  # fmt: skip
    book = Workbook()
    sheet = book.active
    sheet.append([])
    sheet.append(["area", None, "v"])
    sheet.append(["A", 1, 2])
    book.save(tmp_path / "gap.xlsx")
    _refused(_run("mean", "--input", tmp_path / "gap.xlsx", "--x", "v", "--output", "-"),
             "gap.xlsx line 2: column 2 has no name")  # fmt: skip
