"""The Excel workbook: sheets a finance team can use as they are."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from placeworks.allocation import Config, Historic, Need, allocate, example_baseline, from_csv
from placeworks.allocation.excel import scenario_names, write_workbook
from placeworks.allocation.groupings import shipped

ENVELOPE = Decimal("1000000.07")


def config(method=None, grouping="places", **extra) -> Config:
    return Config(
        icb="QE1",
        year="2025/26",
        grouping=grouping,
        method=method or Need(),
        **{"function": "core", "envelope": ENVELOPE, **extra},
    )


@pytest.fixture(scope="module")
def need():
    return allocate(config())


@pytest.fixture(scope="module")
def historic():
    return allocate(config(Historic()), baseline=example_baseline("QE1"))


@pytest.fixture(scope="module")
def nested_csv(tmp_path_factory):
    """A user's grouping with a locality level: group > locality."""
    localities = shipped("QE1", "2025/26", "localities")
    path = tmp_path_factory.mktemp("grouping") / "mine.csv"
    lines = ["practice_code,group,locality"]
    lines += [f"{p},{place},{loc}" for p, (place, loc) in sorted(localities.paths.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    grouping = from_csv(path, "QE1", "2025/26")
    return allocate(config(grouping=str(path)), grouping=grouping)


def read(source, **options):
    buffer = io.BytesIO()
    write_workbook(source, buffer, **options)
    buffer.seek(0)
    return load_workbook(buffer)


def table_header(sheet) -> list:
    (table,) = sheet.tables.values()
    start = table.ref.split(":")[0]
    row = int("".join(ch for ch in start if ch.isdigit()))
    return [c.value for c in sheet[row] if c.value is not None]


def test_table_columns_are_unique_for_a_nested_csv_grouping(nested_csv):
    book = read(nested_csv)
    header = table_header(book["need"])
    assert len(header) == len(set(header))
    assert header[:3] == ["Group", "Name", "Parent group"]


def test_a_list_of_allocations_gets_a_comparison(need, historic):
    book = read([historic, need])
    assert book.sheetnames == ["historic", "need", "Comparison", "Notes"]
    assert read([need]).sheetnames == ["need", "Notes"]


def test_nothing_to_write():
    with pytest.raises(ValueError, match="no allocations"):
        write_workbook([], io.BytesIO())


def test_sheet_names_are_legal_and_unique(need):
    label = "Option [A]: 50/50 need*historic? a very long label indeed"
    one = allocate(config(label=label))
    two = allocate(config(label=label.upper()))
    book = read([one, two, need])
    names = book.sheetnames[:3]
    assert all(len(n) <= 31 for n in names)
    assert not any(ch in n for n in names for ch in "[]:*?/\\")
    assert len({n.lower() for n in names}) == 3
    assert names[2] == "need"


def test_scenario_names_say_what_differs():
    a = config(Need())
    b = config(Need(), function="community")
    c = config(Need(), envelope=Decimal("5.00"))
    assert scenario_names([a, b]) == ["core need", "community need"]
    assert scenario_names([a, c]) == ["need £1,000,000.07", "need £5.00"]
    assert scenario_names([a, a]) == ["need (1)", "need (2)"]


def test_illustrative_baseline_is_flagged_on_its_sheet_and_in_the_notes(historic):
    when = datetime(2026, 4, 1, 9, 30, tzinfo=UTC)
    book = read(historic, run_by="asmith", run_at=when, run_ids=["run-1"])
    sheet = book["historic"]
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.startswith("ILLUSTRATIVE") for t in texts)
    notes = book["Notes"]
    assert notes["A2"].value.startswith("ILLUSTRATIVE")
    assert notes["A2"].fill.fgColor.rgb.endswith("C00000")
    values = {
        row[0]: row[1] for row in notes.iter_rows(values_only=True, max_col=2) if row[0] is not None
    }
    assert values["Run by"] == "asmith"
    assert values["Run at"] == "2026-04-01 09:30:00 UTC"
    assert values["Run record"] == "run-1"
    assert values["Inputs hash (sha256)"] == historic.inputs_hash
    assert values["Table sha256"] == historic.vintage["sha256"]


def test_the_total_row_sums_the_amounts(need):
    sheet = read(need)["need"]
    header = table_header(sheet)
    col = header.index("Amount (£)") + 1
    rows = [r for r in sheet.iter_rows(min_col=col, max_col=col) if r[0].value is not None]
    total = rows[-1][0]
    amounts = [r[0].value for r in rows if isinstance(r[0].value, int | float)]
    assert len(amounts) == len(need.rows)
    assert sum(Decimal(str(a)) for a in amounts) == ENVELOPE
    assert total.value.startswith("=SUM(")
