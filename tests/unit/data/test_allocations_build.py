"""Building the weighted populations from tiny hand-written raw files."""

from __future__ import annotations

import pytest

from placeworks.data import DataValidationError
from placeworks.data.build import build

OLD_HEADER = (
    "Practice_Code,GP_Practice_Name,Practice_Postcode,Latitude,Longitude,CCG21,Former CCG,"
    "PCN_Code,PCN_Name,LOC22,LOC22name,ICS22,ICS22name,R22,Region22,LAD21,LTLA21,LA21,UTLA21,"
    "Patients,pop 2022/23,G&A WP,CS WP,MH WP,Mat WP,Health Ineq WP,Prescr WP,Final WP,"
    "Primary Medical Care WP,Final PMC WP"
)
NEW_HEADER = (
    OLD_HEADER.replace("CCG21", "CCG")
    .replace("LOC22name", "LOCname")
    .replace("LOC22", "LOC")
    .replace("ICS22name", "ICBname")
    .replace("ICS22", "ICB")
    .replace("R22", "Rcode")
    .replace("Region22", "Region")
    .replace("LAD21", "LAD")
    .replace("LTLA21", "LTLA")
    .replace("LA21", "LA")
    .replace("UTLA21", "UTLA")
    .replace("pop 2022/23", "Population")
)


def practice(code: str, population: float, weights: list[float]) -> str:
    return (
        f"{code},Surgery {code},PR1 1AA,53.76,-2.70,00R,NHS X CCG,,,,,QE1,"
        f"NHS Lancashire and South Cumbria ICB,Y62,North West,E07000123,Preston,E10000017,"
        f"Preston,,{population},{','.join(str(w) for w in weights)}"
    )


def write_raw(root, rows_by_year=None):
    folder = root / "allocations"
    folder.mkdir(parents=True)
    good = [practice("P81001", 1000, [1200] * 9), practice("P81002", 3000, [2800] * 9)]
    for year, header in (
        ("2023_2024", OLD_HEADER),
        ("2024_2025", OLD_HEADER),
        ("2025_2026", NEW_HEADER),
    ):
        rows = (rows_by_year or {}).get(year, good)
        text = "\ufeff" + header + "\n" + "\n".join(rows) + "\n"
        (folder / f"nhse_place_tool_{year}.csv").write_text(text, encoding="utf-8")
    return root


def test_three_headers_become_one_schema(tmp_path):
    raw = write_raw(tmp_path / "raw")
    manifest = build(raw, tmp_path / "out", only=["weighted_populations"])
    entry = manifest["tables"]["weighted_populations"]
    assert entry["rows"] == 6
    assert [s["path"] for s in entry["sources"]][2].endswith("2025_2026.csv")
    assert all(len(s["sha256"]) == 64 for s in entry["sources"])


def test_a_bad_number_names_file_row_and_field(tmp_path):
    bad = practice("P81002", 3000, [2800] * 9).replace(",2800,", ",28O0,", 1)
    raw = write_raw(tmp_path / "raw", {"2024_2025": [practice("P81001", 1000, [1200] * 9), bad]})
    out = tmp_path / "out"
    with pytest.raises(DataValidationError) as caught:
        build(raw, out, only=["weighted_populations"])
    error = caught.value
    assert error.file == "allocations/nhse_place_tool_2024_2025.csv"
    assert error.row == 3
    assert error.field in {"wp_general_acute", "wp_community"}
    assert not out.exists()


def test_a_total_that_misses_the_registered_population_fails(tmp_path):
    rows = [practice("P81001", 1000, [1200] * 9), practice("P81002", 3000, [2000] * 9)]
    raw = write_raw(tmp_path / "raw", {"2025_2026": rows})
    with pytest.raises(DataValidationError, match="differs from the national registered"):
        build(raw, tmp_path / "out", only=["weighted_populations"])


def test_a_bad_practice_code_fails_and_keeps_the_old_package(tmp_path):
    raw = write_raw(tmp_path / "raw")
    out = tmp_path / "out"
    build(raw, out, only=["weighted_populations"])
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    rows = [practice("P81001", 1000, [1200] * 9), practice("P8100X", 3000, [2800] * 9)]
    (raw / "allocations").rename(tmp_path / "old")
    write_raw(raw, {"2023_2024": rows})
    with pytest.raises(DataValidationError) as caught:
        build(raw, out, only=["weighted_populations"])
    assert (caught.value.row, caught.value.field) == (3, "practice_code")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not list(tmp_path.glob(".building-*"))


def test_the_build_is_reproducible(tmp_path):
    raw = write_raw(tmp_path / "raw")
    first = build(raw, tmp_path / "one", only=["weighted_populations"])
    second = build(raw, tmp_path / "two", only=["weighted_populations"])
    assert first == second
