"""The GP practice, PCN, registration and practice deprivation tables.

The first part checks the shipped tables (``placeworks.data.load``) against facts published with
the raw files (SOURCES.md) or read off them independently. The second part builds the tables from
tiny hand-written raw files, to show that a corrupted input fails the build with the file, row and
field named, and that nothing is written.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from placeworks.data import DataValidationError, load
from placeworks.data.build import build

TABLES = ["practices", "pcns", "practice_pcn", "practice_registrations_2023", "practice_imd2019"]

# ---------------------------------------------------------------------------------------------
# The shipped tables
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def practices() -> pd.DataFrame:
    return load("practices")


@pytest.fixture(scope="module")
def pcns() -> pd.DataFrame:
    return load("pcns")


@pytest.fixture(scope="module")
def practice_pcn() -> pd.DataFrame:
    return load("practice_pcn")


@pytest.fixture(scope="module")
def registrations() -> pd.DataFrame:
    return load("practice_registrations_2023")


@pytest.fixture(scope="module")
def imd() -> pd.DataFrame:
    return load("practice_imd2019")


@pytest.fixture(scope="module")
def weighted() -> pd.DataFrame:
    return load("weighted_populations")


def by_code(frame: pd.DataFrame, code: str) -> pd.Series:
    rows = frame[frame["practice_code"] == code]
    assert len(rows) == 1, f"{code}: {len(rows)} rows"
    return rows.iloc[0]


class TestPractices:
    def test_known_active_practice(self, practices):
        densham = by_code(practices, "A81001")
        assert densham["name"] == "THE DENSHAM SURGERY"
        assert densham["status"] == "active"
        assert densham["postcode"] == "TS18 1HU"
        assert densham["open_date"] == pd.Timestamp("1974-04-01")
        assert pd.isna(densham["close_date"])
        assert densham["sub_icb_code"] == "16C"  # NHS North East and North Cumbria ICB - 16C
        # U89141 (Stockton PCN) in the NHS Digital map of January 2022, and still in ePCN 2023.
        assert densham["pcn_code"] == "U89141"
        assert densham["in_weighted_populations_years"] == "2023/24,2024/25,2025/26"
        assert densham["source"] == "epraccur"

    def test_closed_practice_keeps_its_close_date(self, practices):
        victoria = by_code(practices, "A81003")
        assert victoria["name"] == "VICTORIA MEDICAL PRACTICE"
        assert victoria["status"] == "closed"
        assert victoria["close_date"] == pd.Timestamp("2017-10-31")
        assert pd.isna(victoria["pcn_code"])

    def test_closed_practices_are_kept_and_dated(self, practices):
        closed = practices[practices["status"] == "closed"]
        assert len(closed) > 1000
        assert closed["close_date"].notna().all()
        assert practices.loc[practices["status"] != "closed", "close_date"].isna().all()
        assert closed["pcn_code"].isna().all()

    def test_every_allocated_practice_is_present(self, practices, weighted):
        for year in ["2023/24", "2024/25", "2025/26"]:
            codes = set(weighted.loc[weighted["year"] == year, "practice_code"])
            assert codes <= set(practices["practice_code"]), year
        allocated = weighted.groupby("practice_code")["year"].agg(lambda s: ",".join(sorted(s)))
        listed = practices.set_index("practice_code")["in_weighted_populations_years"]
        assert listed.dropna().sort_index().equals(allocated.sort_index().rename(listed.name))

    def test_practices_opened_after_the_register_come_from_weighted_populations(self, practices):
        later = practices[practices["source"] == "weighted_populations"]
        # Seven practices NHS England allocates to in 2025/26 opened after February 2023.
        assert sorted(later["practice_code"]) == [
            "Y07819", "Y08082", "Y08124", "Y08186", "Y08371", "Y08402", "Y08411",
        ]  # fmt: skip
        assert (later["status"] == "active").all()
        assert later["open_date"].isna().all()
        assert later["close_date"].isna().all()
        assert (later["in_weighted_populations_years"] == "2025/26").all()
        assert by_code(practices, "Y08371")["name"] == "BEAM PARK MEDICAL PRACTICE"

    def test_register_is_english_gp_practices(self, practices):
        assert practices["practice_code"].is_unique
        # Welsh practices (W9xxxx, commissioned by local health boards) are not included.
        assert not practices["practice_code"].str.startswith("W").any()
        assert set(practices["status"]) <= {"active", "closed", "dormant", "proposed"}
        assert 6_300 < (practices["status"] == "active").sum() < 6_600


class TestPcns:
    def test_epcn_has_1329_pcns(self, pcns):
        assert (pcns["source"] == "epcn").sum() == 1_329
        assert pcns["pcn_code"].is_unique
        assert pcns.loc[pcns["source"] == "epcn", "sub_icb_code"].notna().all()

    def test_pcns_only_in_caip(self, pcns):
        caip = pcns[pcns["source"] == "caip_ods"].set_index("pcn_code")["pcn_name"]
        assert caip.to_dict() == {
            "U04648": "BRUNEL HEALTH GROUP PCN6",
            "U09893": "SPIRES PCN",
            "U49070": "PRESTON & SOUTH RIBBLE PCN",
            "U60757": "BOGNOR COASTAL ALLIANCE PCN",
            "U64436": "BLACKPOOL SOUTH CENTRAL PCN",
            "U76349": "ACCLAIM NHS PCN",
        }

    def test_known_pcn(self, pcns):
        stockton = pcns[pcns["pcn_code"] == "U89141"].iloc[0]
        assert stockton["pcn_name"] == "STOCKTON PCN"
        assert stockton["sub_icb_code"] == "16C"
        assert stockton["open_date"] == pd.Timestamp("2019-10-01")
        assert pd.isna(stockton["close_date"])

    def test_closed_pcns_have_no_members(self, pcns, practice_pcn):
        closed = set(pcns.loc[pcns["close_date"].notna(), "pcn_code"])
        assert len(closed) > 50
        assert not practice_pcn["pcn_code"].isin(closed).any()


class TestPracticePcn:
    def test_one_current_pcn_per_practice(self, practice_pcn, pcns, practices):
        assert practice_pcn["practice_code"].is_unique
        assert set(practice_pcn["pcn_code"]) <= set(pcns["pcn_code"])
        assert set(practice_pcn["practice_code"]) <= set(practices["practice_code"])
        assert 6_300 < len(practice_pcn) < 6_500
        assert (practice_pcn["source"] == "caip_ods").sum() < 20

    def test_practices_table_carries_the_membership(self, practice_pcn, practices):
        members = practice_pcn.set_index("practice_code")["pcn_code"]
        carried = practices.set_index("practice_code")["pcn_code"].dropna()
        assert carried.sort_index().equals(members.sort_index().rename(carried.name))

    def test_practices_missing_from_epcn_fall_back_to_caip(self, practice_pcn):
        # Binfield Surgery's only ePCN membership ended in 2020; CAIP has it in Bracknell.
        binfield = by_code(practice_pcn, "K81060")
        assert (binfield["pcn_code"], binfield["source"]) == ("U75847", "caip_ods")

    def test_non_gp_partners_are_members_only_when_allocated(self, practice_pcn, practices):
        # Two ePCN core partners are not GP practices (prescribing setting 9 and 0), but NHS
        # England allocates to both (2023/24 and 2024/25), so they are practices here.
        for code, pcn in [("Y00848", "U31228"), ("Y05180", "U78361")]:
            assert by_code(practice_pcn, code)["pcn_code"] == pcn
            assert by_code(practices, code)["in_weighted_populations_years"] == "2023/24,2024/25"

    def test_each_pcn_is_mostly_in_one_icb(self, practice_pcn, weighted):
        icb = weighted[weighted["year"] == "2025/26"][["practice_code", "icb_code"]]
        members = practice_pcn.merge(icb, on="practice_code")
        share = members.groupby("pcn_code")["icb_code"].agg(
            lambda s: s.value_counts().iloc[0] / len(s)
        )
        assert len(share) > 1_200
        assert (share == 1).mean() > 0.99
        assert share.min() >= 0.5


class TestRegistrations:
    def test_shape(self, registrations):
        # CAIP has 6,321 rows for 6,313 practices: 8 practices are repeated on identical rows.
        assert registrations["practice_code"].nunique() == 6_313
        assert len(registrations) == 6_313 * 2 * 7
        assert set(registrations["sex"]) == {"F", "M"}
        assert list(registrations["age_band"].unique()) == [
            "0-4", "5-14", "15-44", "45-64", "65-74", "75-84", "85+",
        ]  # fmt: skip
        assert str(registrations["patients"].dtype) == "int32"
        assert (registrations["patients"] >= 0).all()

    def test_national_total(self, registrations):
        # SOURCES.md: 62.08M, the column total of the file, which counts the 8 repeated
        # practices (89,477 patients) twice.
        total = int(registrations["patients"].sum())
        assert total + 89_477 == 62_084_204
        assert 61.9e6 < total < 62.1e6

    def test_known_practice(self, registrations):
        rows = registrations[registrations["practice_code"] == "B81051"]
        patients = rows.set_index(["sex", "age_band"])["patients"]
        assert patients.sum() == 10_189  # OLD FIRE STATION SURGERY, total_patients
        assert patients["M"].sum() == 4_994
        assert patients["F"].sum() == 5_195
        assert patients[("M", "0-4")] == 159
        assert patients[("F", "85+")] == 231

    def test_practices_are_registered_gp_practices(self, registrations, practices):
        assert set(registrations["practice_code"]) <= set(practices["practice_code"])


class TestImd:
    def test_gp_practice_rows_only(self, imd, practices):
        assert len(imd) == 6_545
        assert imd["practice_code"].is_unique
        assert "E92000001" not in set(imd["practice_code"])  # the England rows
        assert set(imd["practice_code"]) <= set(practices["practice_code"])

    def test_known_scores(self, imd):
        assert by_code(imd, "A81001")["imd2019_score"] == pytest.approx(32.3609392614188)
        assert imd["imd2019_score"].between(0, 100).all()
        # England's registered population scores 21.72; practices average a little higher.
        assert 20 < imd["imd2019_score"].mean() < 26


# ---------------------------------------------------------------------------------------------
# Building from tiny raw files
# ---------------------------------------------------------------------------------------------

EPRACCUR = "gp/epraccur_2023-02.csv"
EPCN = "gp/ePCN_2023-02.xlsx"
CAIP_ODS = "gp/caip_ods_practice_pcn_icb_region_2023.csv"
CAIP_COMPARISON = "gp/caip_practice_comparison_2023.csv"
FINGERTIPS = "gp/fingertips_93553_imd2019_score_gp_practice.csv"
PARTNERS = "PCN Core Partner Details"

ALLOCATION_HEADER = [
    "Practice_Code", "GP_Practice_Name", "Practice_Postcode", "Latitude", "Longitude", "CCG21",
    "ICS22", "ICS22name", "R22", "Region22", "LAD21", "LTLA21", "pop 2022/23", "G&A WP", "CS WP",
    "MH WP", "Mat WP", "Health Ineq WP", "Prescr WP", "Final WP", "Primary Medical Care WP",
    "Final PMC WP",
]  # fmt: skip
BANDS = ["0to4", "5to14", "15to44", "45to64", "65to74", "75to84", "85plus"]


def _epraccur_row(code, name, postcode, opened, closed, status, commissioner, setting):
    row = [""] * 27
    row[0], row[1], row[2], row[3], row[9] = code, name, "Y63", "QHM", postcode
    row[10], row[11], row[12], row[13], row[14] = opened, closed, status, "B", commissioner
    row[23], row[25] = commissioner, setting
    return row


def _allocation_row(code, name, population):
    place = ["54.56", "-1.32", "16C", "QHM", "NHS North East and North Cumbria ICB", "Y63"]
    area = ["North East and Yorkshire", "E06000004", "Stockton-on-Tees"]
    return [code, name, "TS18 1HU", *place, *area, population, *[population] * 9]


def _comparison_row(code, male, female):
    return [code, str(sum(male) + sum(female)), str(sum(male)), str(sum(female))] + [
        str(n) for n in [*male, *female]
    ]


def tiny_raw() -> dict:
    """A small, consistent raw folder: file -> rows (CSV) or sheet -> rows (the workbook)."""
    allocations = [_allocation_row("A81001", "The Densham Surgery", "100.5")]
    allocations.append(_allocation_row("B81051", "Old Fire Station Surgery", "50.25"))
    return {
        "allocations/nhse_place_tool_2023_2024.csv": [ALLOCATION_HEADER, *allocations],
        "allocations/nhse_place_tool_2024_2025.csv": [ALLOCATION_HEADER, *allocations],
        "allocations/nhse_place_tool_2025_2026.csv": [
            ALLOCATION_HEADER,
            *allocations,
            _allocation_row("Y08371", "BEAM PARK MEDICAL PRACTICE", "10.5"),
        ],
        EPRACCUR: [
            _epraccur_row(
                "A81001", "THE DENSHAM SURGERY", "TS18 1HU", "19740401", "", "A", "16C", "4"
            ),
            _epraccur_row(
                "A81003",
                "VICTORIA MEDICAL PRACTICE",
                "TS26 8DB",
                "19740401",
                "20171031",
                "C",
                "00K",
                "4",
            ),
            _epraccur_row(
                "B81051", "OLD FIRE STATION SURGERY", "HU17 8JW", "19740401", "", "A", "02Y", "4"
            ),
            _epraccur_row("Y00848", "LEEDS VPS", "LS10 4UZ", "20041101", "", "A", "15F", "9"),
        ],
        EPCN: {
            "PCNDetails": [
                ["PCN Code", "PCN Name", "Current Sub ICB Loc Code", "Open Date", "Close Date"],
                ["U89141", "STOCKTON PCN", "16C", "20191001", None],
                ["U30913", "BEVERLEY PCN", "02Y", "20191001", None],
            ],
            PARTNERS: [
                [
                    "Partner\nOrganisation\nCode",
                    "Partner\nName",
                    "PCN Code",
                    "PCN Name",
                    "Practice to PCN\nRelationship\nStart Date",
                    "Practice to PCN\nRelationship\nEnd Date",
                ],
                ["A81001", "THE DENSHAM SURGERY", "U89141", "STOCKTON PCN", "20191001", None],
                ["Y00848", "LEEDS VPS", "U89141", "STOCKTON PCN", "20191001", None],
                [
                    "B81051",
                    "OLD FIRE STATION SURGERY",
                    "U30913",
                    "BEVERLEY PCN",
                    "20191001",
                    "20220331",
                ],
            ],
        },
        CAIP_ODS: [
            ["practice_code", "practice_name", "pcn_code", "pcn_name", "icb_code"],
            ["A81001", "THE DENSHAM SURGERY", "U89141", "STOCKTON PCN", "QHM"],
            ["B81051", "OLD FIRE STATION SURGERY", "U76349", "ACCLAIM NHS PCN", "QOQ"],
        ],
        CAIP_COMPARISON: [
            [
                "practice_code",
                "total_patients",
                "total_male",
                "total_female",
                *[f"male_patients_{band}" for band in BANDS],
                *[f"female_patients_{band}" for band in BANDS],
            ],
            _comparison_row("A81001", [1, 2, 3, 4, 5, 6, 7], [7, 6, 5, 4, 3, 2, 1]),
            _comparison_row("B81051", [10, 20, 30, 40, 50, 60, 70], [1, 1, 1, 1, 1, 1, 1]),
            _comparison_row("B81051", [10, 20, 30, 40, 50, 60, 70], [1, 1, 1, 1, 1, 1, 1]),
        ],
        FINGERTIPS: [
            ["Indicator ID", "Area Code", "Area Type", "Value"],
            ["93553", "E92000001", "England", "21.72"],
            ["93553", "A81001", "GP", "32.36"],
            ["93553", "A81003", "GP", "25.0"],
        ],
    }


def write_raw(root: Path, content: dict) -> Path:
    for relative, rows in content.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if relative.endswith(".xlsx"):
            workbook = Workbook()
            workbook.remove(workbook.active)
            for sheet, sheet_rows in rows.items():
                worksheet = workbook.create_sheet(sheet)
                for row in sheet_rows:
                    worksheet.append(row)
            workbook.save(path)
        else:
            header = relative != EPRACCUR
            with path.open("w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh, quoting=csv.QUOTE_ALL if not header else csv.QUOTE_MINIMAL)
                writer.writerows(rows)
    return root


def build_tiny(tmp_path: Path, edit: Callable[[dict], None] | None = None) -> Path:
    content = tiny_raw()
    if edit:
        edit(content)
    raw = write_raw(tmp_path / "raw", content)
    out = tmp_path / "package"
    build(raw, out, only=TABLES)
    return out


def test_tiny_raw_folder_builds(tmp_path):
    out = build_tiny(tmp_path)
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(TABLES) <= set(manifest["tables"])

    practices = pd.read_parquet(out / "practices.parquet").set_index("practice_code")
    assert list(practices.index) == ["A81001", "A81003", "B81051", "Y08371"]
    assert practices.loc["A81003", "close_date"] == pd.Timestamp("2017-10-31")
    assert practices.loc["Y08371", "source"] == "weighted_populations"
    assert practices.loc["A81001", "pcn_code"] == "U89141"
    assert pd.isna(practices.loc["A81003", "in_weighted_populations_years"])

    pcns = pd.read_parquet(out / "pcns.parquet")
    assert list(pcns["pcn_code"]) == ["U30913", "U76349", "U89141"]
    membership = pd.read_parquet(out / "practice_pcn.parquet").set_index("practice_code")
    # Y00848 is not a GP practice (setting 9) and NHS England does not allocate to it here.
    assert membership.to_dict("index") == {
        "A81001": {"pcn_code": "U89141", "source": "epcn"},
        "B81051": {"pcn_code": "U76349", "source": "caip_ods"},
    }
    registrations = pd.read_parquet(out / "practice_registrations_2023.parquet")
    assert len(registrations) == 2 * 14  # B81051's repeated identical row counted once
    assert registrations["patients"].sum() == 56 + 287
    imd = pd.read_parquet(out / "practice_imd2019.parquet")
    assert list(imd["practice_code"]) == ["A81001", "A81003"]


def _set(file: str, line: int, column: int, value: str) -> Callable[[dict], None]:
    """Edit: put ``value`` in ``column`` of the row on ``line`` (1-based, header = line 1)."""

    def edit(content: dict) -> None:
        content[file][line - 1][column] = value

    return edit


def _set_sheet(sheet: str, line: int, column: int, value: str) -> Callable[[dict], None]:
    def edit(content: dict) -> None:
        content[EPCN][sheet][line - 1][column] = value

    return edit


def _drop_last_field(content: dict) -> None:
    content[EPRACCUR] = [row[:-1] for row in content[EPRACCUR]]


def _differing_repeat(content: dict) -> None:
    content[CAIP_COMPARISON][3] = _comparison_row("B81051", [10] * 7, [1] * 7)


CORRUPTIONS = {
    "unknown status code": (
        _set(EPRACCUR, 3, 12, "X"), EPRACCUR, 3, "status_code"),
    "impossible open date": (
        _set(EPRACCUR, 1, 10, "19741332"), EPRACCUR, 1, "open_date"),
    "prescribing setting not a number": (
        _set(EPRACCUR, 2, 25, "four"), EPRACCUR, 2, "prescribing_setting"),
    "not the epraccur layout": (
        _drop_last_field, EPRACCUR, 1, None),
    "bands do not add up to the published total": (
        _set(CAIP_COMPARISON, 2, 4, "2"), CAIP_COMPARISON, 2, "total_male"),
    "patients not a number": (
        _set(CAIP_COMPARISON, 3, 17, "abc"), CAIP_COMPARISON, 3, "female_patients_85plus"),
    "repeated practice differs": (
        _differing_repeat, CAIP_COMPARISON, 4, "practice_code"),
    "malformed PCN code in ePCN": (
        _set_sheet(PARTNERS, 3, 2, "X1"), f"{EPCN} (sheet {PARTNERS!r})", 3, "PCN Code"),
    "ePCN member of an unknown PCN": (
        _set_sheet(PARTNERS, 2, 2, "U99999"), EPCN, 2, "pcn_code"),
    "PCN with two names in CAIP": (
        _set(CAIP_ODS, 3, 2, "U89141"), CAIP_ODS, 3, "pcn_name"),
    "IMD score not a number": (
        _set(FINGERTIPS, 4, 3, "n/a"), FINGERTIPS, 4, "Value"),
}  # fmt: skip


@pytest.mark.parametrize(
    ("edit", "file", "row", "field"), list(CORRUPTIONS.values()), ids=list(CORRUPTIONS)
)
def test_corrupted_input_fails_the_build_and_writes_nothing(tmp_path, edit, file, row, field):
    with pytest.raises(DataValidationError) as caught:
        build_tiny(tmp_path, edit)
    error = caught.value
    assert (error.file, error.row, error.field) == (file, row, field)
    assert str(error).startswith(f"{file}, row {row}")
    if field:
        assert f"field {field!r}" in str(error)
    assert not (tmp_path / "package").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw"]  # no staging folder left


def test_failed_build_leaves_the_previous_package_untouched(tmp_path):
    out = build_tiny(tmp_path)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    content = tiny_raw()
    _set(CAIP_COMPARISON, 2, 4, "2")(content)
    write_raw(tmp_path / "raw", content)
    with pytest.raises(DataValidationError, match="total_male"):
        build(tmp_path / "raw", out, only=TABLES)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
