"""The geography tables of the data package: checked against facts stated independently.

The first part reads the shipped tables through ``placeworks.data.load``. The second builds from
tiny raw folders written here by hand, to show that bad input stops the build and says where.
"""

from __future__ import annotations

import csv
import gzip
import json
import math
from pathlib import Path

import pandas as pd
import pytest
import shapely

from placeworks.data import DataValidationError, load
from placeworks.data.build import build
from placeworks.data.datasets import geography
from placeworks.data.raw import RawFolder

WEST_LANCASHIRE = "E07000127"
BLACKPOOL = "E06000009"
NORTH_WEST = "E12000002"
LSC_ICB_GSS = "E54000048"  # NHS Lancashire and South Cumbria ICB
LSC_ICB_ODS = "QE1"


# --- shipped tables -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def lsoa21() -> pd.DataFrame:
    return load("lsoa21")


@pytest.fixture(scope="module")
def locations() -> pd.DataFrame:
    return load("practice_locations")


def test_row_counts_are_the_published_ones():
    assert len(load("lsoa21")) == 33_755  # LSOAs 2021 in England
    assert len(load("lsoa11")) == 32_844  # LSOAs 2011 in England
    assert len(load("boundaries_lsoa21_lsc")) == 1_060
    assert len(load("outlines_lad24")) == 296  # English districts, May 2024
    assert len(load("outlines_icb22")) == 42  # ICBs, July 2022


def test_lsoa21_areas(lsoa21):
    assert lsoa21["lsoa21_code"].is_unique
    assert lsoa21["lsoa21_code"].str.fullmatch(r"E01\d{6}").all()
    assert lsoa21["icb24_code"].nunique() == 42
    assert lsoa21["lad24_code"].nunique() == 296
    assert lsoa21["region24_code"].nunique() == 9
    first = lsoa21.set_index("lsoa21_code").loc["E01000001"]
    assert first["lsoa21_name"] == "City of London 001A"
    assert first["lad24_code"] == "E09000001"
    assert first["region24_name"] == "London"


def test_areas_nest(lsoa21):
    """Wards lie in one district, districts in one region, sub-ICBs in one ICB."""
    for part, whole in [
        ("ward24_code", "lad24_code"),
        ("lad24_code", "region24_code"),
        ("sicbl24_code", "icb24_code"),
    ]:
        assert (lsoa21.groupby(part)[whole].nunique() == 1).all(), (part, whole)
    # The GSS and NHS codes of an ICB or sub-ICB name the same thing.
    pairs = lsoa21[["icb24_code", "icb24_code_nhs"]].drop_duplicates()
    assert len(pairs) == 42
    assert lsoa21[["sicbl24_code", "sicbl24_code_nhs"]].drop_duplicates()["sicbl24_code"].is_unique


def test_west_lancashire_and_blackpool_are_in_lancashire_and_south_cumbria(lsoa21):
    for lad in (WEST_LANCASHIRE, BLACKPOOL):
        rows = lsoa21[lsoa21["lad24_code"] == lad]
        assert len(rows) > 0
        assert set(rows["icb24_code"]) == {LSC_ICB_GSS}
        assert set(rows["icb24_code_nhs"]) == {LSC_ICB_ODS}
        assert set(rows["region24_code"]) == {NORTH_WEST}
        assert set(rows["region24_name"]) == {"North West"}
    assert set(lsoa21.loc[lsoa21["lad24_code"] == BLACKPOOL, "lad24_name"]) == {"Blackpool"}
    assert (lsoa21["icb24_code_nhs"] == LSC_ICB_ODS).sum() == 1_060


def test_lsoa11_areas():
    lsoa11 = load("lsoa11")
    assert lsoa11["lsoa11_code"].is_unique
    assert lsoa11["icb22_code"].nunique() == 42
    assert lsoa11["lad22_code"].nunique() == 309  # English districts from 2021 to 2023
    west_lancs = lsoa11[lsoa11["lad22_code"] == WEST_LANCASHIRE]
    assert set(west_lancs["icb22_code_nhs"]) == {LSC_ICB_ODS}
    assert set(west_lancs["lad22_name"]) == {"West Lancashire"}


def test_lsoa11_lsoa21_covers_both_vintages(lsoa21):
    lookup = load("lsoa11_lsoa21")
    assert not lookup.duplicated(["lsoa11_code", "lsoa21_code"]).any()
    assert set(lookup["change_code"]) <= {"U", "S", "M", "X"}
    assert set(lookup["lsoa11_code"]) == set(load("lsoa11")["lsoa11_code"])
    assert set(lookup["lsoa21_code"]) == set(lsoa21["lsoa21_code"])
    # Most LSOAs did not change between the censuses.
    unchanged = lookup[lookup["change_code"] == "U"]
    assert (unchanged["lsoa11_code"] == unchanged["lsoa21_code"]).all()
    assert len(unchanged) > 0.9 * len(lookup)


def test_lsc_boundaries_are_the_icb_lsoas(lsoa21):
    boundaries = load("boundaries_lsoa21_lsc")
    assert set(boundaries["lsoa21_code"]) == set(
        lsoa21.loc[lsoa21["icb24_code"] == LSC_ICB_GSS, "lsoa21_code"]
    )
    shapes = shapely.from_wkb(boundaries["geometry"].to_numpy())
    assert shapely.is_valid(shapes).all()
    assert set(shapely.get_type_id(shapes)) <= {3, 6}  # Polygon, MultiPolygon
    # Central Preston (the Flag Market) lies in an LSOA named after Preston.
    tree = shapely.STRtree(shapes)
    hits = tree.query(shapely.Point(-2.7005, 53.7590), predicate="intersects")
    names = lsoa21.set_index("lsoa21_code").loc[boundaries["lsoa21_code"].iloc[hits]]
    assert list(names["lsoa21_name"].str.split().str[0]) == ["Preston"]


def test_outlines_contain_known_places():
    lads = load("outlines_lad24").set_index("lad24_code")
    assert lads.at[WEST_LANCASHIRE, "lad24_name"] == "West Lancashire"
    assert lads.index.str.startswith("E").all()
    ormskirk = shapely.Point(-2.8850, 53.5665)
    victoria_hospital = shapely.Point(-3.0129, 53.8216)  # Blackpool Victoria Hospital
    assert shapely.from_wkb(lads.at[WEST_LANCASHIRE, "geometry"]).contains(ormskirk)
    assert shapely.from_wkb(lads.at[BLACKPOOL, "geometry"]).contains(victoria_hospital)
    icbs = load("outlines_icb22").set_index("icb22_code")
    lancaster = shapely.Point(-2.8010, 54.0470)
    assert shapely.from_wkb(icbs.at[LSC_ICB_GSS, "geometry"]).contains(lancaster)
    assert "Lancashire and South Cumbria" in icbs.at[LSC_ICB_GSS, "icb22_name"]


def test_every_practice_is_placed_in_england(locations, lsoa21):
    practices = load("weighted_populations")
    assert set(locations["practice_code"]) == set(practices["practice_code"])
    assert locations["practice_code"].is_unique
    assert locations["lsoa21_code"].isin(set(lsoa21["lsoa21_code"])).all()
    assert set(locations["match"]) <= {"within", "nearest"}
    within = locations["match"] == "within"
    assert (locations.loc[within, "distance_m"] == 0).all()
    nearest = locations.loc[~within, "distance_m"]
    assert ((nearest > 0) & (nearest <= 2_000)).all()
    # The boundaries are super generalised, so a few coastal or riverside practices miss.
    assert (~within).sum() < 0.01 * len(locations)


def test_lsc_practices_lie_in_lsc(locations, lsoa21):
    practices = load("weighted_populations")
    lsc = practices[(practices["year"] == "2025/26") & (practices["icb_code"] == LSC_ICB_ODS)]
    assert len(lsc) > 150
    placed = (
        lsc[["practice_code"]].merge(locations, on="practice_code").merge(lsoa21, on="lsoa21_code")
    )
    assert len(placed) == len(lsc)
    outside = placed[placed["icb24_code_nhs"] != LSC_ICB_ODS]
    assert list(outside["practice_code"]) == []  # none of the 198 lies outside QE1's area


# --- failed builds ------------------------------------------------------------------------

WARD_HEADER = [
    "lsoa21_name",
    "lsoa21_code",
    "ward24_name",
    "ward24_code",
    "ltla24_name",
    "ltla24_code",
]
ICB_HEADER = [
    "lsoa21_name",
    "lsoa21_code",
    "sicbl24_name",
    "sicbl24_code",
    "sicbl24_code_nhs",
    "icb24_name",
    "icb24_code",
    "icb24_code_nhs",
]
SICBL = "NHS Lancashire and South Cumbria ICB - 00R"
ICB = "NHS Lancashire and South Cumbria Integrated Care Board"
LSOAS = [  # code, name, ward code, ward name
    ("E01012671", "Blackpool 001A", "E05015000", "Anchorsholme"),
    ("E01012672", "Blackpool 001B", "E05015000", "Anchorsholme"),
    ("E01012673", "Blackpool 002A", "E05015001", "Bispham"),
]


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _lsoa21_raw(root: Path, *, ward_code_of_second: str = "E01012672", icb_rows: int = 3) -> Path:
    """A raw folder holding the four lookups of ``lsoa21`` for three Blackpool LSOAs."""
    geo = root / "geography"
    ward_rows = [[n, c, wn, w, "Blackpool", BLACKPOOL] for c, n, w, wn in LSOAS]
    ward_rows[1][1] = ward_code_of_second  # line 3 of the file
    ward_rows.append(
        ["Cardiff 001A", "W01001701", "Llanishen", "W05001001", "Cardiff", "W06000015"]
    )
    _write_csv(geo / "lookup_lsoa21_ward24_ltla24.csv", WARD_HEADER, ward_rows)
    _write_csv(
        geo / "lookup_lsoa21_icb24.csv",
        ICB_HEADER,
        [
            [n, c, SICBL, "E38000015", "00R", ICB, LSC_ICB_GSS, LSC_ICB_ODS]
            for c, n, _, _ in LSOAS[:icb_rows]
        ],
    )
    _write_csv(
        geo / "lookup_ltla24_region24.csv",
        ["ltla24_name", "ltla24_code", "region24_name", "region24_code"],
        [["Blackpool", BLACKPOOL, "North West", NORTH_WEST]],
    )
    _write_csv(
        geo / "ruc21_lsoa21.csv",
        ["lsoa21_code", "ruc21_code", "classification", "ruc"],
        [[c, "UN1", "Urban: Nearer to a major town or city", "Urban"] for c, _, _, _ in LSOAS]
        + [["W01001701", "UN1", "Urban: Nearer to a major town or city", "Urban"]],
    )
    return root


@pytest.fixture
def previous_package(tmp_path: Path) -> Path:
    out = tmp_path / "package"
    out.mkdir()
    (out / "manifest.json").write_text('{"tables": {}}\n', encoding="utf-8")
    (out / "lsoa21.parquet").write_bytes(b"previous build")
    return out


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_corrupted_lsoa_code_fails_the_build_naming_file_row_and_field(
    tmp_path, previous_package
):
    raw = _lsoa21_raw(tmp_path / "raw", ward_code_of_second="E0100XXXX")
    before = _snapshot(previous_package)
    with pytest.raises(DataValidationError) as caught:
        build(raw, previous_package, only=["lsoa21"])
    error = caught.value
    assert error.file == "geography/lookup_lsoa21_ward24_ltla24.csv"
    assert error.row == 3
    assert error.field == "lsoa21_code"
    assert str(error).startswith(
        "geography/lookup_lsoa21_ward24_ltla24.csv, row 3, field 'lsoa21_code': "
    )
    assert "E0100XXXX" in str(error)
    assert _snapshot(previous_package) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["package", "raw"]  # no staging left


def test_a_corrupted_input_leaves_no_output_folder(tmp_path):
    raw = _lsoa21_raw(tmp_path / "raw", ward_code_of_second="E0100XXXX")
    with pytest.raises(DataValidationError, match="row 3, field 'lsoa21_code'"):
        build(raw, tmp_path / "package", only=["lsoa21"])
    assert not (tmp_path / "package").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw"]


def test_an_lsoa_missing_from_a_lookup_fails_the_build(tmp_path, previous_package):
    raw = _lsoa21_raw(tmp_path / "raw", icb_rows=2)
    before = _snapshot(previous_package)
    with pytest.raises(DataValidationError) as caught:
        build(raw, previous_package, only=["lsoa21"])
    assert str(caught.value) == (
        "geography/lookup_lsoa21_ward24_ltla24.csv, row 4, field 'lsoa21_code': 'E01012673'"
        " is missing from geography/lookup_lsoa21_icb24.csv (1 in all)"
    )
    assert _snapshot(previous_package) == before


def test_a_well_formed_but_partial_input_fails_the_published_counts(tmp_path):
    raw = _lsoa21_raw(tmp_path / "raw")
    with pytest.raises(DataValidationError, match=r"3 English LSOAs 2021, expected 33,755"):
        build(raw, tmp_path / "package", only=["lsoa21"])
    assert not (tmp_path / "package").exists()


# --- GeoJSON and point in polygon ---------------------------------------------------------


def _write_geojson(path: Path, features: list[dict]) -> None:
    """One feature a line, as GDAL writes them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["{", '"type": "FeatureCollection",', '"name": "test",', '"features": [']
    lines += [
        json.dumps(f) + ("," if i < len(features) - 1 else "") for i, f in enumerate(features)
    ]
    lines += ["]", "}"]
    text = "\n".join(lines) + "\n"
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(text.encode("utf-8")))
    else:
        path.write_text(text, encoding="utf-8")


def _square(code: str, west: float, south: float, size: float) -> dict:
    ring = [
        [west, south],
        [west + size, south],
        [west + size, south + size],
        [west, south + size],
        [west, south],
    ]
    return {
        "type": "Feature",
        "properties": {"lsoa21_name": f"Area {code}", "lsoa21_code": code},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def test_a_bad_feature_is_named_by_its_line(tmp_path):
    features = [_square("E01012671", -3.05, 53.80, 0.01), _square("E0101267X", -3.04, 53.80, 0.01)]
    _write_geojson(tmp_path / geography.BOUNDARIES_LSC, features)
    with pytest.raises(DataValidationError) as caught:
        geography._read_features(
            RawFolder(tmp_path), geography.BOUNDARIES_LSC, geography._lsoa21_features
        )
    assert (caught.value.file, caught.value.row, caught.value.field) == (
        geography.BOUNDARIES_LSC,
        6,
        "lsoa21_code",
    )

    features[1] = _square("E01012672", -3.04, 53.80, 0.01)
    ring = features[1]["geometry"]["coordinates"][0]
    ring[1], ring[2] = ring[2], ring[1]  # a bow tie: the ring crosses itself
    _write_geojson(tmp_path / geography.BOUNDARIES_LSC, features)
    with pytest.raises(DataValidationError, match="geometry is invalid") as caught:
        geography._read_features(
            RawFolder(tmp_path), geography.BOUNDARIES_LSC, geography._lsoa21_features
        )
    assert (caught.value.row, caught.value.field) == (6, "geometry")


def _haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * geography.EARTH_RADIUS_M * math.asin(math.sqrt(a))


def _practices_raw(root: Path, practices: list[tuple[str, float, float]]) -> RawFolder:
    """Two English squares and one Welsh, and an allocation file listing the practices."""
    _write_geojson(
        root / geography.BOUNDARIES_EW,
        [
            _square("E01012671", -3.05, 54.00, 0.01),
            _square("E01012672", -3.04, 54.00, 0.01),
            _square("W01001701", -3.20, 54.00, 0.01),
        ],
    )
    latest = geography.PRACTICE_SOURCES[0]
    _write_csv(
        root / latest,
        ["Practice_Code", "Latitude", "Longitude"],
        [[code, str(lat), str(lon)] for code, lat, lon in practices],
    )
    return RawFolder(root)


def _tables(practices: list[tuple[str, float, float]]) -> dict[str, pd.DataFrame]:
    latest_year = max(geography.ALLOCATION_FILES)
    return {
        "weighted_populations": pd.DataFrame(
            {
                "year": latest_year,
                "practice_code": [c for c, _, _ in practices],
                "latitude": [lat for _, lat, _ in practices],
                "longitude": [lon for _, _, lon in practices],
            }
        ),
        "lsoa21": pd.DataFrame({"lsoa21_code": ["E01012671", "E01012672"]}),
    }


def test_practices_are_placed_within_or_nearest(tmp_path):
    practices = [
        ("P81001", 54.005, -3.045),  # inside the first square
        ("P81002", 54.005, -3.035),  # inside the second
        ("P81003", 54.005, -3.025),  # 0.005 degrees east of the second
        ("P81004", 53.995, -3.0475),  # 0.005 degrees south of the first
    ]
    frame = geography.build_practice_locations(
        _practices_raw(tmp_path, practices), _tables(practices)
    )
    frame = frame.set_index("practice_code")
    assert list(frame["lsoa21_code"]) == ["E01012671", "E01012672", "E01012672", "E01012671"]
    assert list(frame["match"]) == ["within", "within", "nearest", "nearest"]
    # Local equirectangular distances agree with great-circle ones to 0.1%.
    east = _haversine_m(54.005, -3.025, 54.005, -3.03)
    south = _haversine_m(53.995, -3.0475, 54.0, -3.0475)
    assert frame.at["P81003", "distance_m"] == pytest.approx(east, rel=1e-3)
    assert frame.at["P81004", "distance_m"] == pytest.approx(south, rel=1e-3)
    assert east == pytest.approx(327, abs=1)
    assert south == pytest.approx(556, abs=1)
    assert list(frame.index) == ["P81001", "P81002", "P81003", "P81004"]


def test_a_practice_far_from_any_lsoa_fails_naming_its_row(tmp_path):
    practices = [("P81001", 54.005, -3.045), ("P81009", 54.05, -3.045)]  # 5 km north
    with pytest.raises(DataValidationError) as caught:
        geography.build_practice_locations(_practices_raw(tmp_path, practices), _tables(practices))
    assert (caught.value.file, caught.value.row) == (geography.PRACTICE_SOURCES[0], 3)
    assert "P81009" in str(caught.value)
    assert "within 2,000 m" in str(caught.value)


def test_a_practice_in_wales_fails(tmp_path):
    practices = [("P81001", 54.005, -3.045), ("W91001", 54.005, -3.195)]
    with pytest.raises(DataValidationError, match="W01001701, which is not an English LSOA"):
        geography.build_practice_locations(_practices_raw(tmp_path, practices), _tables(practices))
