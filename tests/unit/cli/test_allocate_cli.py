"""`placeworks allocate`, run as a user would (the run records are faked: no database here;
tests/integration/runs records them for real)."""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from placeworks.allocation import COMPONENTS, Config, Need, allocate, indices
from placeworks.allocation.groupings import shipped
from placeworks.allocation.inputs import practice_inputs
from placeworks.cli import allocate as allocate_command
from placeworks.cli import app
from placeworks.cli.common import err
from placeworks.data import manifest
from placeworks.data.sources import ATTRIBUTION

runner = CliRunner()
ENVELOPE = "3400000000"
CSV_HEADER = [
    "group",
    "amount",
    "name",
    "parents",
    "practices",
    "registered_population",
    "resident_population",
    "weighted_population",
    "index_icb",
    "index_england",
    "share",
    "per_head",
    "target",
    "distance_from_target_pct",
    "small_numbers",
]
INDEX_HEADER = ["group", "practices", "population", *COMPONENTS]
PENCE = re.compile(r"^-?\d+\.\d\d$")
QE1_PLACES = ["QE1-BPL", "QE1-BWD", "QE1-LAN", "QE1-SCU"]


@dataclass
class FakeRun:
    allocation: object
    by: str
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    created_at: datetime = field(default_factory=lambda: datetime(2026, 4, 1, 9, 30, tzinfo=UTC))

    @property
    def run_by(self) -> str:
        return self.by


@pytest.fixture(autouse=True)
def recorded(monkeypatch) -> list[FakeRun]:
    """Stands in for the database: every allocation the command records lands here."""
    runs: list[FakeRun] = []

    def record(allocations, grouping):
        made = [FakeRun(a, "tester") for a in allocations]
        runs.extend(made)
        for run in made:
            err.print(f"recorded run {run.id}")
        return made

    monkeypatch.setattr(allocate_command, "_record", record)
    return runs


def invoke(*args: str):
    return runner.invoke(app, ["allocate", *args])


def ok(*args: str):
    result = invoke(*args)
    assert result.exit_code == 0, result.output + result.stderr
    return result


def csv_rows(text: str) -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


# --- allocate ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grouping", "envelope"),
    [("places", ENVELOPE), ("neighbourhoods", "123456789.01"), ("pcns", "1000000.07")],
)
def test_csv_has_the_columns_and_sums_to_the_envelope_to_the_penny(grouping, envelope, recorded):
    result = ok(
        "--icb", "QE1", "--grouping", grouping, "--function", "core", "--method", "need",
        "--envelope", envelope, "--format", "csv",
    )  # fmt: skip
    header, rows = csv_rows(result.stdout)
    assert header == CSV_HEADER
    assert all(PENCE.match(r["amount"]) for r in rows)
    assert sum(Decimal(r["amount"]) for r in rows) == Decimal(envelope)
    assert len({r["group"] for r in rows}) == len(rows) > 1
    assert len(recorded) == 1
    assert f"recorded run {recorded[0].id}" in result.stderr


def test_csv_rows_are_the_allocation():
    result = ok("--icb", "QE1", "--envelope", ENVELOPE, "--format", "csv", "--engine", "reference")
    _, rows = csv_rows(result.stdout)
    expected = allocate(
        Config(
            icb="QE1",
            year="2025/26",
            grouping="places",
            function="core",
            method=Need(),
            envelope=Decimal(ENVELOPE),
        )
    )
    assert [r["group"] for r in rows] == QE1_PLACES
    for row, want in zip(rows, expected.rows, strict=True):
        assert Decimal(row["amount"]) == want.amount
        assert int(row["practices"]) == want.practices
        assert Decimal(row["index_icb"]) == want.index_icb
        assert Decimal(row["per_head"]) == want.per_head
        assert row["small_numbers"] == "false"
    # Need shares the envelope exactly by the need targets.
    assert {r["distance_from_target_pct"] for r in rows} == {"0.00"}
    assert sum(Decimal(r["share"]) for r in rows) == pytest.approx(Decimal(1), abs=Decimal("4e-6"))


def test_engines_agree_to_the_penny():
    args = ("--icb", "QE1", "--grouping", "neighbourhoods", "--envelope", "987654321.09")
    duckdb = ok(*args, "--format", "csv", "--engine", "duckdb")
    reference = ok(*args, "--format", "csv", "--engine", "reference")
    assert duckdb.stdout == reference.stdout


def test_csv_parents_and_small_numbers_for_a_nested_grouping():
    result = ok("--icb", "QE1", "--grouping", "neighbourhoods", "--envelope", ENVELOPE,
                "--format", "csv")  # fmt: skip
    _, rows = csv_rows(result.stdout)
    skelmersdale = next(r for r in rows if r["group"] == "QE1-WL-SKEL")
    assert skelmersdale["parents"] == "place=QE1-LAN;locality=QE1-LAN-CW"
    small = {r["group"] for r in rows if r["small_numbers"] == "true"}
    assert small  # QE1 has two practices in Cumberland and North Yorkshire
    for group in small:
        assert f"{group} has" in result.stderr


def test_output_file(tmp_path):
    target = tmp_path / "allocation.csv"
    result = ok("--icb", "QE1", "--envelope", ENVELOPE, "--format", "csv", "--output", str(target))
    assert result.stdout == ""
    header, rows = csv_rows(target.read_text(encoding="utf-8"))
    assert header == CSV_HEADER
    assert len(rows) == 4


def test_json_structure():
    result = ok(
        "--icb", "QE1", "--grouping", "localities", "--method", "convergence", "--years", "3",
        "--uplift", "2%", "--floor", "-0.01", "--cap", "0.05", "--envelope", ENVELOPE,
        "--format", "json",
    )  # fmt: skip
    data = json.loads(result.stdout)
    assert set(data) >= {"config", "vintage", "inputs_hash", "rows", "warnings", "path", "run_id"}
    assert data["config"]["method"] == {
        "method": "convergence",
        "years": 3,
        "uplift": "0.02",
        "floor": "-0.01",
        "cap": "0.05",
    }
    assert data["vintage"]["sha256"] == manifest()["tables"]["weighted_populations"]["sha256"]
    assert re.fullmatch(r"[0-9a-f]{64}", data["inputs_hash"])
    assert data["baseline"]["illustrative"] is True
    assert sum(Decimal(r["amount"]) for r in data["rows"]) == Decimal(ENVELOPE)
    assert set(data["rows"][0]) >= set(CSV_HEADER) - {"distance_from_target_pct"}
    assert [p["year"] for p in data["path"]] == [1, 2, 3]
    for year in data["path"]:
        assert sum(Decimal(a) for a in year["amounts"].values()) == Decimal(year["envelope"])
    assert data["path"][1]["envelope"] == "3468000000.00"
    assert {r["group"]: r["amount"] for r in data["rows"]} == data["path"][0]["amounts"]
    assert any("year 1 of 3" in w for w in data["warnings"])
    assert "ILLUSTRATIVE" in result.stderr


def test_table_is_readable():
    result = ok("--icb", "QE1", "--envelope", ENVELOPE)
    assert "Blackburn with Darwen" in result.stdout
    assert "409,485,246.01" in result.stdout
    assert "total £3,400,000,000.00" in result.stdout


def test_blend_with_a_users_baseline(tmp_path):
    frame = practice_inputs("2025/26")
    footprints = sorted(set(frame.loc[frame["icb_code"] == "QE1", "footprint"]))
    baseline = tmp_path / "budgets.csv"
    lines = ["footprint,name,amount", *(f"{code},{code},100.00" for code in footprints)]
    baseline.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = ok(
        "--icb", "QE1", "--method", "blend", "--historic-weight", "0.5", "--need-weight", "0.5",
        "--baseline", str(baseline), "--envelope", ENVELOPE, "--format", "json",
    )  # fmt: skip
    data = json.loads(result.stdout)
    total = f"{100 * len(footprints)}.00"
    assert data["baseline"] == {"source": "budgets.csv", "illustrative": False, "total": total}
    assert "ILLUSTRATIVE" not in result.stderr
    assert sum(Decimal(r["amount"]) for r in data["rows"]) == Decimal(ENVELOPE)


def test_a_baseline_the_method_does_not_use_is_said_to_be_unused(tmp_path):
    baseline = tmp_path / "budgets.csv"
    baseline.write_text("footprint,amount\n00Q,1.00\n", encoding="utf-8")
    result = ok("--icb", "QE1", "--baseline", str(baseline), "--envelope", ENVELOPE,
                "--format", "json")  # fmt: skip
    assert "--baseline is not used by the need method" in result.stderr
    assert json.loads(result.stdout)["baseline"] is None


# --- xlsx ----------------------------------------------------------------------------------


def _table_rows(sheet):
    """(header row number, data rows) of the sheet's table."""
    (table,) = sheet.tables.values()
    first, last = table.ref.split(":")
    top = int(re.sub(r"\D", "", first))
    bottom = int(re.sub(r"\D", "", last))
    return top, [list(r) for r in sheet.iter_rows(min_row=top + 1, max_row=bottom)]


def test_xlsx_single_scenario(tmp_path, recorded):
    target = tmp_path / "need.xlsx"
    result = ok("--icb", "QE1", "--envelope", ENVELOPE, "--format", "xlsx", "--output", str(target))
    assert f"wrote {target}" in result.stderr.replace("\n", "")
    book = load_workbook(target)
    assert book.sheetnames == ["need", "Notes"]
    sheet = book["need"]
    header, rows = _table_rows(sheet)
    titles = [c.value for c in sheet[header]]
    amount_col = titles.index("Amount (£)")
    assert [r[0].value for r in rows] == QE1_PLACES
    amounts = [r[amount_col] for r in rows]
    assert all(isinstance(c.value, int | float) for c in amounts)
    assert all("£" in c.number_format for c in amounts)
    assert sum(Decimal(str(c.value)) for c in amounts) == Decimal(ENVELOPE)
    total = sheet.cell(header + len(rows) + 1, amount_col + 1)
    letter = total.column_letter
    assert sheet.cell(header + len(rows) + 1, 1).value == "Total"
    assert total.value == f"=SUM({letter}{header + 1}:{letter}{header + len(rows)})"
    share = rows[0][titles.index("Share")]
    assert share.number_format.endswith("%")
    assert rows[0][titles.index("Index vs ICB")].number_format == "0.000"
    assert sheet.freeze_panes == f"C{header + 1}"
    assert sheet["B6"].value == int(ENVELOPE)  # the envelope in the header block
    notes = _text(book["Notes"])
    assert manifest()["tables"]["weighted_populations"]["sha256"] in notes
    assert "nhse_place_tool_2025_2026.csv" in notes
    assert ATTRIBUTION in notes
    assert str(recorded[0].id) in notes
    assert "tester" in notes
    assert "ILLUSTRATIVE" not in notes


def _text(sheet) -> str:
    return "\n".join(
        str(value) for row in sheet.iter_rows(values_only=True) for value in row if value
    )


def test_xlsx_comparison_with_convergence(tmp_path, recorded):
    target = tmp_path / "compare.xlsx"
    ok(
        "compare", "--icb", "QE1", "--grouping", "localities", "--envelope", ENVELOPE,
        "--scenario", "method=historic", "--scenario", "method=need",
        "--scenario", "method=convergence,years=4,uplift=0.02,floor=-0.01,cap=0.05",
        "--format", "xlsx", "--output", str(target),
    )  # fmt: skip
    book = load_workbook(target)
    assert book.sheetnames == [
        "historic",
        "need",
        "convergence 4y uplift 0.02",
        "Comparison",
        "Convergence",
        "Notes",
    ]
    assert all(len(name) <= 31 for name in book.sheetnames)
    for name in book.sheetnames[:3]:
        header, rows = _table_rows(book[name])
        col = [c.value for c in book[name][header]].index("Amount (£)")
        assert sum(Decimal(str(r[col].value)) for r in rows) == Decimal(ENVELOPE)
        assert "ILLUSTRATIVE" in _text(book[name]) or name == "need"
    comparison = book["Comparison"]
    header, rows = _table_rows(comparison)
    titles = [c.value for c in comparison[header]]
    assert titles[:5] == ["Group", "Name", "historic (£)", "need (£)", titles[4]]
    change = titles.index("Change £, need")
    for row in rows:
        assert Decimal(str(row[change].value)) == (
            Decimal(str(row[3].value)) - Decimal(str(row[2].value))
        )
    text = _text(comparison)
    assert "Gainers: need against historic" in text
    assert "Losers: need against historic" in text
    convergence = book["Convergence"]
    header, rows = _table_rows(convergence)
    assert [c.value for c in convergence[header]][2:] == ["Year 1", "Year 2", "Year 3", "Year 4"]
    envelopes = [c.value for c in convergence[header + len(rows) + 2]][2:]
    assert envelopes == [3400000000, 3468000000, 3537360000, 3608107200]
    for year in range(4):
        total = sum(Decimal(str(r[2 + year].value)) for r in rows)
        assert total == Decimal(str(envelopes[year]))
    notes = book["Notes"]
    assert notes["A2"].value.startswith("ILLUSTRATIVE")
    text = _text(notes)
    for run in recorded:
        assert str(run.id) in text
        assert run.allocation.inputs_hash in text


def test_xlsx_needs_an_output_file():
    result = invoke("--icb", "QE1", "--envelope", ENVELOPE, "--format", "xlsx")
    assert result.exit_code == 1
    assert "--output" in result.stderr


# --- compare -------------------------------------------------------------------------------


def test_compare_table_names_gainers_and_losers(recorded):
    result = ok(
        "compare", "--icb", "QE1", "--envelope", ENVELOPE, "--scenario", "method=historic",
        "--scenario", "method=need", "--scenario", "method=blend,historic=0.5,need=0.5",
    )  # fmt: skip
    assert "gainers under need against historic: Blackpool +21,172,004.72" in result.stdout
    assert "losers under need against historic: Lancashire -31,623,575.45" in result.stdout
    assert len(recorded) == 3
    assert "ILLUSTRATIVE" in result.stderr


def test_compare_csv_and_json():
    args = (
        "compare", "--icb", "QE1", "--envelope", ENVELOPE, "--scenario", "method=historic",
        "--scenario", "method=need,label=fair shares",
    )  # fmt: skip
    header, rows = csv_rows(ok(*args, "--format", "csv").stdout)
    assert header == [
        "group",
        "name",
        "amount_historic",
        "amount_fair_shares",
        "change_fair_shares",
        "change_pct_fair_shares",
    ]
    assert sum(Decimal(r["amount_historic"]) for r in rows) == Decimal(ENVELOPE)
    assert sum(Decimal(r["change_fair_shares"]) for r in rows) == 0
    for r in rows:
        change = Decimal(r["amount_fair_shares"]) - Decimal(r["amount_historic"])
        assert Decimal(r["change_fair_shares"]) == change
    data = json.loads(ok(*args, "--format", "json").stdout)
    assert [s["name"] for s in data["scenarios"]] == ["historic", "fair shares"]
    assert data["scenarios"][1]["config"]["label"] == "fair shares"
    assert data["gainers"] == {"fair shares": ["QE1-BPL", "QE1-BWD"]}
    assert data["losers"] == {"fair shares": ["QE1-LAN", "QE1-SCU"]}


# --- indices -------------------------------------------------------------------------------


def test_indices_csv():
    result = ok("indices", "--icb", "QE1", "--grouping", "localities", "--format", "csv")
    header, rows = csv_rows(result.stdout)
    assert header == INDEX_HEADER
    expected = indices("QE1", "2025/26", "localities")
    assert [r["group"] for r in rows] == [e.group for e in expected]
    for row, want in zip(rows, expected, strict=True):
        assert int(row["population"]) == want.population
        assert {c: Decimal(row[c]) for c in COMPONENTS} == want.indices
    # The community index is NHS England's community component alone, not the community
    # function's half community, half general and acute.
    blended = allocate(
        Config(
            icb="QE1",
            year="2025/26",
            grouping="localities",
            function="community",
            method=Need(),
            envelope=Decimal(1000),
        )
    )
    assert [Decimal(r["community"]) for r in rows] != [r.index_icb for r in blended.rows]


def test_indices_against_england_and_a_csv_grouping(tmp_path):
    grouping = shipped("QE1", "2025/26", "places")
    path = tmp_path / "halves.csv"
    lines = ["practice_code,group"]
    lines += [f"{p},{'NORTH' if i % 2 else 'SOUTH'}" for i, p in enumerate(sorted(grouping.paths))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = ok("indices", "--icb", "QE1", "--grouping", str(path), "--against", "england",
                "--format", "csv")  # fmt: skip
    header, rows = csv_rows(result.stdout)
    assert header == INDEX_HEADER
    assert [r["group"] for r in rows] == ["NORTH", "SOUTH"]
    expected = indices("QE1", "2025/26", str(path))
    assert [Decimal(r["core"]) for r in rows] == [e.indices_england["core"] for e in expected]


# --- errors --------------------------------------------------------------------------------

ERRORS = [
    ("--icb QE1 --function nope --envelope 1", "unknown function 'nope'"),
    ("--icb QE1 --envelope lots", "--envelope: 'lots' is not an amount in pounds"),
    ("--icb QE1 --envelope -5", "must be more than zero"),
    ("--icb QE1 --envelope 1.001", "fractions of a penny"),
    ("--icb QE1", "--envelope is required"),
    ("--envelope 5", "--icb is required"),
    ("--icb QZZ --envelope 5", "no ICB with ODS code 'QZZ'"),
    ("--icb QE1 --year 2025 --envelope 5", "--year must be a financial year"),
    ("--icb QE1 --grouping wards --envelope 5", "unknown grouping 'wards'"),
    (
        "--icb QE1 --method blend --historic-weight 0.5 --need-weight 0.4 --envelope 5",
        "blend weights sum to 0.9, not 1",
    ),
    ("--icb QE1 --method blend --envelope 5", "the blend method needs weights"),
    (
        "--icb QE1 --method convergence --years 3 --uplift 0 --floor 0.01 --cap 0.05"
        f" --envelope {ENVELOPE}",
        "convergence is infeasible: year 1: the floor",
    ),
    (
        "--icb QE1 --method convergence --years 3 --uplift 0.1 --floor -0.01 --cap 0.05"
        f" --envelope {ENVELOPE}",
        "convergence is infeasible: year 2: the cap",
    ),
    (
        f"--icb QE1 --method convergence --years 3 --envelope {ENVELOPE}",
        "the convergence method needs --uplift, --floor, --cap",
    ),
    ("--icb QE1 --years 3 --envelope 5", "--years does not apply to the need method"),
    ("--icb QE1 --level pcn --envelope 5", "has levels place, not pcn"),
    (
        "--icb QE1 --method population --basis resident --grouping pcns --envelope 5",
        "resident population needs a grouping made of areas",
    ),
    ("--icb QMM --method historic --envelope 5", "need a baseline"),
    ("rerun not-a-run", "'not-a-run' is not a run id"),
    ("indices", "--icb is required"),
    ("compare --icb QE1 --envelope 5 --scenario method=need", "two or more"),
    (
        "compare --icb QE1 --envelope 5 --scenario method=need --scenario method=need,weight=1",
        "unknown key 'weight'",
    ),
    ("compare --icb QE1 --envelope 5 --scenario method=need --scenario need=1", "method="),
    (
        "compare --icb QE1 --envelope 5 --scenario method=need"
        " --scenario method=blend,historic=0.7,need=0.7",
        "blend weights sum to 1.4, not 1",
    ),
]


@pytest.mark.parametrize(("args", "message"), ERRORS)
def test_bad_input_is_a_one_line_error(args, message, recorded):
    result = invoke(*shlex.split(args))
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr + result.stdout
    assert recorded == []


def test_grouping_csv_errors(tmp_path):
    path = tmp_path / "grouping.csv"
    path.write_text("practice_code,group\nXXXXX,a\n", encoding="utf-8")
    result = invoke("--icb", "QE1", "--grouping", str(path), "--envelope", "5")
    assert result.exit_code == 1
    assert "XXXXX is not a known practice code" in result.stderr
    assert "practices of QE1 are missing" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("footprint,amount\n00Q,abc\n", "row 2, field 'amount': 'abc' is not an amount"),
        ("footprint,amount\n00Q,100\n", "no baseline for footprints"),
        ("place,amount\n", "column missing from the header"),
    ],
)
def test_baseline_errors(tmp_path, content, message):
    path = tmp_path / "baseline.csv"
    path.write_text(content, encoding="utf-8")
    result = invoke("--icb", "QE1", "--method", "historic", "--baseline", str(path),
                    "--envelope", "5")  # fmt: skip
    assert result.exit_code == 1
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr


def test_missing_baseline_file(tmp_path):
    result = invoke("--icb", "QE1", "--method", "historic", "--baseline",
                    str(tmp_path / "nope.csv"), "--envelope", "5")  # fmt: skip
    assert result.exit_code == 1
    assert "cannot be read" in result.stderr


def test_allocate_without_arguments_shows_help():
    result = runner.invoke(app, ["allocate"])
    assert "compare" in result.stdout
    assert "indices" in result.stdout
    assert "rerun" in result.stdout
