"""Statistical and NHS geography: LSOAs, the areas they lie in, boundaries, and practice LSOAs.

Tables:

- ``lsoa21``: every English LSOA 2021 with its ward, local authority district and region (2024),
  sub-ICB location and ICB (2024, with both GSS and NHS codes) and 2021 rural-urban class.
- ``lsoa11``: every English LSOA 2011 with its sub-ICB location, ICB and district (2022).
- ``lsoa11_lsoa21``: the ONS LSOA 2011 to 2021 lookup for England. ``change_code`` is ONS's:
  U unchanged (one to one), S the 2011 LSOA was split, M 2011 LSOAs were merged, X a complex
  redesign. ``lad22_code`` is the district (2022) of the 2021 LSOA, as ONS publish it.
- ``boundaries_lsoa21_lsc``: LSOA 2021 boundaries (super generalised) for Lancashire and South
  Cumbria ICB, as WKB.
- ``outlines_lad24`` and ``outlines_icb22``: ultra generalised outlines of the English districts
  (2024) and ICBs (2022), as WKB.
- ``practice_locations``: the LSOA 2021 of every practice in ``weighted_populations``, found by
  point in polygon against the England and Wales LSOA boundaries. That file is read only while
  building and is not shipped.

Geometries are WGS84 longitude/latitude rounded to 5 decimal places (about a metre), stored as
WKB (``shapely.from_wkb`` reads them back).

Rows of a table built from a CSV are numbered by their line in that file; rows built from a
GeoJSON file by the line of their feature (GDAL writes one feature a line), so that a validation
failure names the place to look.
"""

from __future__ import annotations

import gzip
import math
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pandera.pandas as pa
import shapely
import shapely.geometry

from placeworks.data.datasets.allocations import YEARS as ALLOCATION_FILES
from placeworks.data.errors import DataValidationError
from placeworks.data.raw import RawFolder
from placeworks.data.registry import ICB_ODS, SUB_ICB_ODS, Dataset, Reference, gss, register
from placeworks.data.validate import check_frame

LSOA21_WARD_LAD = "geography/lookup_lsoa21_ward24_ltla24.csv"
LSOA21_ICB = "geography/lookup_lsoa21_icb24.csv"
LAD24_REGION = "geography/lookup_ltla24_region24.csv"
RUC21 = "geography/ruc21_lsoa21.csv"
LSOA11_ICB_LAD = "geography/lookup_lsoa11_sicbl22_icb22_ltla22.csv"
LSOA11_LSOA21 = "geography/lookup_lsoa11_lsoa21_ltla22.csv"
BOUNDARIES_LSC = "geography/lsoa21_bsc_v4_lancashire_south_cumbria.geojson"
BOUNDARIES_EW = "geography/lsoa21_bsc_v4_england_wales.geojson.gz"
OUTLINES_LAD24 = "geography/ltla24_buc_uk.geojson"
OUTLINES_ICB22 = "geography/icb22_buc_england.geojson"

# Code formats beyond those in the registry.
LAD_ENGLAND = r"^E0[6-9]\d{6}$"  # unitary, non-metropolitan, metropolitan, London borough
LAD_ENGLAND_WALES = r"^(E0[6-9]|W06)\d{6}$"
LSOA_ENGLAND_WALES = r"^[EW]01\d{6}$"
WARD_ENGLAND_WALES = r"^[EW]05\d{6}$"
UK_AREA = r"^[EWSN]\d{8}$"
SICBL_ODS = SUB_ICB_ODS
RUC21_CLASSES = ["UN1", "UF1", "RLN1", "RLF1", "RSN1", "RSF1"]
CHANGE_CODES = ["U", "S", "M", "X"]

# Published counts for England, checked at build time.
ENGLISH_LSOA21 = 33_755
ENGLISH_LSOA11 = 32_844
ENGLISH_ICBS = 42
ENGLISH_LADS_2022 = 309  # April 2021 to March 2023
ENGLISH_LADS_2024 = 296
ENGLISH_REGIONS = 9
LSC_ICB = "QE1"  # NHS Lancashire and South Cumbria ICB, E54000048
LSC_LSOA21 = 1_060

COORDINATE_DECIMALS = 5  # about 1 m
NEAREST_LIMIT_M = 2_000.0
EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)


def _text(pattern: str | None = None, **kwargs) -> pa.Column:
    checks = [pa.Check.str_matches(pattern)] if pattern else []
    return pa.Column(str, checks, **kwargs)


def _read(raw: RawFolder, file: str, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Read the columns of ``schema`` from a CSV and check them, naming the file's row."""
    frame = raw.read_csv(file)
    missing = [c for c in schema.columns if c not in frame.columns]
    if missing:
        raise DataValidationError(
            file, f"expected the column {missing[0]!r}", row=1, field=missing[0]
        )
    return check_frame(schema, frame[list(schema.columns)], file)


def _attach(
    frame: pd.DataFrame,
    key: str,
    file: str,
    other: pd.DataFrame,
    other_file: str,
    columns: Mapping[str, str],
) -> pd.DataFrame:
    """Add ``columns`` (theirs -> ours) of ``other`` to ``frame`` by ``key``, which must match.

    Every key of ``frame`` must be in ``other`` and, the other way, every key of ``other`` in
    ``frame``: a lookup that misses an area, or has one the others lack, fails the build.
    """
    missing = ~frame[key].isin(set(other[key]))
    if missing.any():
        row = missing.idxmax()
        raise DataValidationError(
            file,
            f"{frame.at[row, key]!r} is missing from {other_file} ({int(missing.sum())} in all)",
            row=int(row),
            field=key,
        )
    extra = ~other[key].isin(set(frame[key]))
    if extra.any():
        row = extra.idxmax()
        raise DataValidationError(
            other_file,
            f"{other.at[row, key]!r} is missing from {file} ({int(extra.sum())} in all)",
            row=int(row),
            field=key,
        )
    indexed = other.set_index(key)
    frame = frame.copy()
    for theirs, ours in columns.items():
        frame[ours] = frame[key].map(indexed[theirs])
    return frame


def _agree(frame: pd.DataFrame, ours: str, theirs: str, file: str, other_file: str) -> None:
    """Two files name the same area alike."""
    differs = frame[ours] != frame[theirs]
    if differs.any():
        row = differs.idxmax()
        raise DataValidationError(
            file,
            f"{frame.at[row, ours]!r} is called {frame.at[row, theirs]!r} in {other_file}",
            row=int(row),
            field=ours,
        )


def _count(file: str, field: str, what: str, actual: int, expected: int) -> None:
    if actual != expected:
        raise DataValidationError(file, f"{actual:,} {what}, expected {expected:,}", field=field)


# --- lsoa21 -------------------------------------------------------------------------------

_ward_lad_input = pa.DataFrameSchema(
    {
        "lsoa21_code": _text(LSOA_ENGLAND_WALES, unique=True),
        "lsoa21_name": _text(),
        "ward24_code": _text(WARD_ENGLAND_WALES),
        "ward24_name": _text(),
        "ltla24_code": _text(LAD_ENGLAND_WALES),
        "ltla24_name": _text(),
    }
)
_icb_input = pa.DataFrameSchema(
    {
        "lsoa21_code": _text(gss("E01"), unique=True),
        "lsoa21_name": _text(),
        "sicbl24_code": _text(gss("E38")),
        "sicbl24_code_nhs": _text(SICBL_ODS),
        "sicbl24_name": _text(),
        "icb24_code": _text(gss("E54")),
        "icb24_code_nhs": _text(ICB_ODS),
        "icb24_name": _text(),
    }
)
_region_input = pa.DataFrameSchema(
    {
        "ltla24_code": _text(LAD_ENGLAND, unique=True),
        "ltla24_name": _text(),
        "region24_code": _text(gss("E12")),
        "region24_name": _text(),
    }
)
_ruc_input = pa.DataFrameSchema(
    {
        "lsoa21_code": _text(LSOA_ENGLAND_WALES, unique=True),
        "ruc21_code": pa.Column(str, pa.Check.isin(RUC21_CLASSES)),
        "classification": _text(),
    }
)

lsoa21_schema = pa.DataFrameSchema(
    {
        "lsoa21_code": _text(gss("E01"), unique=True),
        "lsoa21_name": _text(),
        "ward24_code": _text(gss("E05")),
        "ward24_name": _text(),
        "lad24_code": _text(LAD_ENGLAND),
        "lad24_name": _text(),
        "sicbl24_code": _text(gss("E38")),
        "sicbl24_code_nhs": _text(SICBL_ODS),
        "sicbl24_name": _text(),
        "icb24_code": _text(gss("E54")),
        "icb24_code_nhs": _text(ICB_ODS),
        "icb24_name": _text(),
        "region24_code": _text(gss("E12")),
        "region24_name": _text(),
        "ruc21_code": pa.Column(str, pa.Check.isin(RUC21_CLASSES)),
        "ruc21_class": _text(),
    },
    strict=True,
    ordered=True,
)


def build_lsoa21(raw: RawFolder, _tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    wards = _read(raw, LSOA21_WARD_LAD, _ward_lad_input)
    icbs = _read(raw, LSOA21_ICB, _icb_input)
    regions = _read(raw, LAD24_REGION, _region_input)
    ruc = _read(raw, RUC21, _ruc_input)

    frame = wards[wards["lsoa21_code"].str.startswith("E")].rename(
        columns={"ltla24_code": "lad24_code", "ltla24_name": "lad24_name"}
    )
    frame = _attach(
        frame,
        "lsoa21_code",
        LSOA21_WARD_LAD,
        icbs,
        LSOA21_ICB,
        {"lsoa21_name": "icb_lookup_name"} | {c: c for c in list(_icb_input.columns)[2:]},
    )
    _agree(frame, "lsoa21_name", "icb_lookup_name", LSOA21_WARD_LAD, LSOA21_ICB)
    regions = regions.rename(columns={"ltla24_code": "lad24_code"})
    frame = _attach(
        frame,
        "lad24_code",
        LSOA21_WARD_LAD,
        regions,
        LAD24_REGION,
        {
            "ltla24_name": "region_lookup_name",
            "region24_code": "region24_code",
            "region24_name": "region24_name",
        },
    )
    _agree(frame, "lad24_name", "region_lookup_name", LSOA21_WARD_LAD, LAD24_REGION)
    ruc = ruc[ruc["lsoa21_code"].str.startswith("E")]
    frame = _attach(
        frame,
        "lsoa21_code",
        LSOA21_WARD_LAD,
        ruc,
        RUC21,
        {"ruc21_code": "ruc21_code", "classification": "ruc21_class"},
    )
    return frame[list(lsoa21_schema.columns)]


def check_lsoa21_counts(frame: pd.DataFrame, _tables: Mapping[str, pd.DataFrame]) -> None:
    _count(LSOA21_WARD_LAD, "lsoa21_code", "English LSOAs 2021", len(frame), ENGLISH_LSOA21)
    _count(LSOA21_ICB, "icb24_code", "ICBs", frame["icb24_code"].nunique(), ENGLISH_ICBS)
    _count(
        LSOA21_ICB,
        "icb24_code_nhs",
        "ICB NHS codes",
        frame["icb24_code_nhs"].nunique(),
        ENGLISH_ICBS,
    )
    _count(
        LSOA21_WARD_LAD,
        "ltla24_code",
        "local authority districts",
        frame["lad24_code"].nunique(),
        ENGLISH_LADS_2024,
    )
    _count(
        LAD24_REGION, "region24_code", "regions", frame["region24_code"].nunique(), ENGLISH_REGIONS
    )
    _count(
        LSOA21_ICB,
        "icb24_code_nhs",
        f"LSOAs 2021 in {LSC_ICB}",
        int((frame["icb24_code_nhs"] == LSC_ICB).sum()),
        LSC_LSOA21,
    )


lsoa21 = register(
    Dataset(
        name="lsoa21",
        title="English LSOAs 2021 with their ward, district, region, sub-ICB, ICB and RUC",
        sources=(LSOA21_WARD_LAD, LSOA21_ICB, LAD24_REGION, RUC21),
        schema=lsoa21_schema,
        build=build_lsoa21,
        checks=(check_lsoa21_counts,),
        sort_by=("lsoa21_code",),
    )
)


# --- lsoa11 -------------------------------------------------------------------------------

_lsoa11_input = pa.DataFrameSchema(
    {
        "lsoa11_code": _text(gss("E01"), unique=True),
        "lsoa11_name": _text(),
        "sicbl22_code": _text(gss("E38")),
        "sicbl22_code_h": _text(SICBL_ODS),
        "icb22_code": _text(gss("E54")),
        "icb22_code_h": _text(ICB_ODS),
        "ltla22_code": _text(LAD_ENGLAND),
        "ltla22_name": _text(),
    }
)
_LSOA11_RENAME = {
    "sicbl22_code_h": "sicbl22_code_nhs",
    "icb22_code_h": "icb22_code_nhs",
    "ltla22_code": "lad22_code",
    "ltla22_name": "lad22_name",
}
lsoa11_schema = pa.DataFrameSchema(
    {
        "lsoa11_code": _text(gss("E01"), unique=True),
        "lsoa11_name": _text(),
        "sicbl22_code": _text(gss("E38")),
        "sicbl22_code_nhs": _text(SICBL_ODS),
        "icb22_code": _text(gss("E54")),
        "icb22_code_nhs": _text(ICB_ODS),
        "lad22_code": _text(LAD_ENGLAND),
        "lad22_name": _text(),
    },
    strict=True,
    ordered=True,
)


def build_lsoa11(raw: RawFolder, _tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    return _read(raw, LSOA11_ICB_LAD, _lsoa11_input).rename(columns=_LSOA11_RENAME)


def check_lsoa11_counts(frame: pd.DataFrame, _tables: Mapping[str, pd.DataFrame]) -> None:
    _count(LSOA11_ICB_LAD, "lsoa11_code", "English LSOAs 2011", len(frame), ENGLISH_LSOA11)
    _count(LSOA11_ICB_LAD, "icb22_code", "ICBs", frame["icb22_code"].nunique(), ENGLISH_ICBS)
    _count(
        LSOA11_ICB_LAD,
        "ltla22_code",
        "local authority districts",
        frame["lad22_code"].nunique(),
        ENGLISH_LADS_2022,
    )


lsoa11 = register(
    Dataset(
        name="lsoa11",
        title="English LSOAs 2011 with their sub-ICB, ICB and district (2022)",
        sources=(LSOA11_ICB_LAD,),
        schema=lsoa11_schema,
        build=build_lsoa11,
        checks=(check_lsoa11_counts,),
        sort_by=("lsoa11_code",),
    )
)


# --- lsoa11_lsoa21 ------------------------------------------------------------------------

_lsoa11_lsoa21_input = pa.DataFrameSchema(
    {
        "lsoa11_code": _text(LSOA_ENGLAND_WALES),
        "lsoa21_code": _text(LSOA_ENGLAND_WALES),
        "change_code": pa.Column(str, pa.Check.isin(CHANGE_CODES)),
        "ltla22_code": _text(LAD_ENGLAND_WALES),
    }
)
lsoa11_lsoa21_schema = pa.DataFrameSchema(
    {
        "lsoa11_code": _text(gss("E01")),
        "lsoa21_code": _text(gss("E01")),
        "change_code": pa.Column(str, pa.Check.isin(CHANGE_CODES)),
        "lad22_code": _text(LAD_ENGLAND),
    },
    unique=["lsoa11_code", "lsoa21_code"],
    strict=True,
    ordered=True,
)


def build_lsoa11_lsoa21(raw: RawFolder, _tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    frame = _read(raw, LSOA11_LSOA21, _lsoa11_lsoa21_input)
    frame = frame[frame["lsoa11_code"].str.startswith("E")]
    return frame.rename(columns={"ltla22_code": "lad22_code"})[list(lsoa11_lsoa21_schema.columns)]


def check_lsoa11_lsoa21(frame: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> None:
    """Every LSOA of both vintages is covered, and the change codes mean what ONS say."""
    for column, table in (("lsoa11_code", "lsoa11"), ("lsoa21_code", "lsoa21")):
        uncovered = ~tables[table][column].isin(set(frame[column]))
        if uncovered.any():
            code = tables[table][column][uncovered].iloc[0]
            raise DataValidationError(
                LSOA11_LSOA21,
                f"{code!r} is in {table} but not in this lookup ({int(uncovered.sum())} are not)",
                field=column,
            )
    rows_11 = frame["lsoa11_code"].map(frame["lsoa11_code"].value_counts())
    rows_21 = frame["lsoa21_code"].map(frame["lsoa21_code"].value_counts())
    expected = {
        "U": (rows_11 == 1) & (rows_21 == 1),  # one to one
        "S": (rows_11 > 1) & (rows_21 == 1),  # a 2011 LSOA split into several
        "M": (rows_11 == 1) & (rows_21 > 1),  # several 2011 LSOAs merged
    }
    for code, holds in expected.items():
        wrong = (frame["change_code"] == code) & ~holds
        if wrong.any():
            row = wrong.idxmax()
            raise DataValidationError(
                LSOA11_LSOA21,
                f"change code {code!r} does not fit the lookup: {frame.at[row, 'lsoa11_code']}"
                f" has {rows_11[row]} rows and {frame.at[row, 'lsoa21_code']} {rows_21[row]}",
                row=int(row),
                field="change_code",
            )


lsoa11_lsoa21 = register(
    Dataset(
        name="lsoa11_lsoa21",
        title="LSOA 2011 to LSOA 2021 lookup, England",
        sources=(LSOA11_LSOA21,),
        schema=lsoa11_lsoa21_schema,
        build=build_lsoa11_lsoa21,
        depends=("lsoa11", "lsoa21"),  # built after the tables it refers to
        references=(
            Reference("lsoa11_code", "lsoa11", "lsoa11_code"),
            Reference("lsoa21_code", "lsoa21", "lsoa21_code"),
        ),
        checks=(check_lsoa11_lsoa21,),
        sort_by=("lsoa11_code", "lsoa21_code"),
    )
)


# --- GeoJSON ------------------------------------------------------------------------------

_FEATURE_LINE = re.compile(r'^\s*\{\s*"type"\s*:\s*"Feature"')
# Longitude and latitude of the United Kingdom, generously.
_UK_BOUNDS = (-8.8, 49.8, 1.9, 61.0)


def _feature_lines(raw: RawFolder, file: str, count: int) -> list[int]:
    """The line of each feature in a GeoJSON file written one feature a line (as GDAL does).

    For a file laid out otherwise, the features are numbered 1, 2, ... instead.
    """
    path = raw.path(file)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        lines = [n for n, line in enumerate(fh, start=1) if _FEATURE_LINE.match(line)]
    return lines if len(lines) == count else list(range(1, count + 1))


def _read_features(raw: RawFolder, file: str, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """The properties of ``schema`` and a checked ``geometry`` for each feature of a file.

    Geometries must be non-empty, valid polygons or multipolygons in WGS84 longitude/latitude.
    """
    collection = raw.read_geojson(file)
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(features, list) or not features:
        raise DataValidationError(file, "not a GeoJSON FeatureCollection with features")
    index = _feature_lines(raw, file, len(features))
    properties = pd.DataFrame(
        [f.get("properties") or {} for f in features], index=index, dtype=object
    )
    missing = [c for c in schema.columns if c not in properties.columns]
    if missing:
        raise DataValidationError(
            file, f"features lack the property {missing[0]!r}", row=index[0], field=missing[0]
        )
    frame = check_frame(schema, properties[list(schema.columns)].astype("str"), file)
    geometries = []
    for line, feature in zip(index, features, strict=True):
        try:
            geometry = shapely.geometry.shape(feature["geometry"])
        except Exception as exc:  # shapely raises several kinds for malformed input
            raise DataValidationError(
                file, f"geometry cannot be read: {exc}", row=line, field="geometry"
            ) from exc
        problem = None
        if geometry.geom_type not in ("Polygon", "MultiPolygon"):
            problem = f"a {geometry.geom_type}, not a polygon"
        elif geometry.is_empty:
            problem = "empty"
        elif not geometry.is_valid:
            problem = f"invalid ({shapely.is_valid_reason(geometry)})"
        else:
            west, south, east, north = geometry.bounds
            min_lon, min_lat, max_lon, max_lat = _UK_BOUNDS
            if west < min_lon or south < min_lat or east > max_lon or north > max_lat:
                problem = "outside the United Kingdom's longitudes and latitudes"
        if problem:
            raise DataValidationError(file, f"geometry is {problem}", row=line, field="geometry")
        geometries.append(geometry)
    frame["geometry"] = np.array(geometries, dtype=object)
    return frame


def _wkb(geometries: pd.Series) -> np.ndarray:
    """WKB of the geometries rounded to ``COORDINATE_DECIMALS``, so that it compresses well.

    A geometry that rounding would make invalid is kept as it was.
    """
    original = np.asarray(geometries, dtype=object)
    rounded = shapely.transform(original, lambda xy: np.round(xy, COORDINATE_DECIMALS))
    kept = np.where(shapely.is_valid(rounded), rounded, original)
    return shapely.to_wkb(kept, output_dimension=2)


def _is_wkb(value: object) -> bool:
    return isinstance(value, bytes) and len(value) > 0


WKB = pa.Column(object, pa.Check(_is_wkb, element_wise=True, name="wkb"))


def _same_codes(file: str, field: str, codes: pd.Series, expected: set[str], what: str) -> None:
    extra = sorted(set(codes) - expected)
    lacking = sorted(expected - set(codes))
    if extra or lacking:
        raise DataValidationError(
            file,
            f"codes differ from {what}: {len(lacking)} missing (e.g. {lacking[:3]}),"
            f" {len(extra)} unexpected (e.g. {extra[:3]})",
            field=field,
        )


# --- boundaries_lsoa21_lsc ----------------------------------------------------------------

_lsoa21_features = pa.DataFrameSchema(
    {"lsoa21_code": _text(LSOA_ENGLAND_WALES, unique=True), "lsoa21_name": _text()}
)
boundaries_schema = pa.DataFrameSchema(
    {"lsoa21_code": _text(gss("E01"), unique=True), "geometry": WKB},
    strict=True,
    ordered=True,
)


def build_boundaries_lsc(raw: RawFolder, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    frame = _read_features(raw, BOUNDARIES_LSC, _lsoa21_features)
    lsoas = tables["lsoa21"]
    expected = set(lsoas.loc[lsoas["icb24_code_nhs"] == LSC_ICB, "lsoa21_code"])
    _same_codes(
        BOUNDARIES_LSC,
        "lsoa21_code",
        frame["lsoa21_code"],
        expected,
        f"the LSOAs 2021 of {LSC_ICB} in lsoa21",
    )
    frame["geometry"] = _wkb(frame["geometry"])
    return frame[list(boundaries_schema.columns)]


boundaries_lsoa21_lsc = register(
    Dataset(
        name="boundaries_lsoa21_lsc",
        title="LSOA 2021 boundaries (super generalised), Lancashire and South Cumbria ICB",
        sources=(BOUNDARIES_LSC,),
        schema=boundaries_schema,
        build=build_boundaries_lsc,
        depends=("lsoa21",),
        references=(Reference("lsoa21_code", "lsoa21", "lsoa21_code"),),
        sort_by=("lsoa21_code",),
    )
)


# --- outlines_lad24 -----------------------------------------------------------------------

_lad_features = pa.DataFrameSchema(
    {"ltla24_code": _text(UK_AREA, unique=True), "ltla24_name": _text()}
)
outlines_lad24_schema = pa.DataFrameSchema(
    {"lad24_code": _text(LAD_ENGLAND, unique=True), "lad24_name": _text(), "geometry": WKB},
    strict=True,
    ordered=True,
)


def build_outlines_lad24(raw: RawFolder, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    frame = _read_features(raw, OUTLINES_LAD24, _lad_features)
    frame = frame[frame["ltla24_code"].str.startswith("E")].rename(
        columns={"ltla24_code": "lad24_code", "ltla24_name": "lad24_name"}
    )
    lads = tables["lsoa21"].drop_duplicates("lad24_code").set_index("lad24_code")["lad24_name"]
    _same_codes(
        OUTLINES_LAD24,
        "ltla24_code",
        frame["lad24_code"],
        set(lads.index),
        "the districts of lsoa21",
    )
    frame["lsoa21_name"] = frame["lad24_code"].map(lads)
    _agree(frame, "lad24_name", "lsoa21_name", OUTLINES_LAD24, LSOA21_WARD_LAD)
    frame["geometry"] = _wkb(frame["geometry"])
    return frame[list(outlines_lad24_schema.columns)]


outlines_lad24 = register(
    Dataset(
        name="outlines_lad24",
        title="English local authority districts May 2024, ultra generalised outlines",
        sources=(OUTLINES_LAD24,),
        schema=outlines_lad24_schema,
        build=build_outlines_lad24,
        depends=("lsoa21",),
        references=(Reference("lad24_code", "lsoa21", "lad24_code"),),
        sort_by=("lad24_code",),
    )
)


# --- outlines_icb22 -----------------------------------------------------------------------

_icb_features = pa.DataFrameSchema(
    {"icb22_code": _text(gss("E54"), unique=True), "icb22_name": _text()}
)
outlines_icb22_schema = pa.DataFrameSchema(
    {"icb22_code": _text(gss("E54"), unique=True), "icb22_name": _text(), "geometry": WKB},
    strict=True,
    ordered=True,
)


def build_outlines_icb22(raw: RawFolder, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    frame = _read_features(raw, OUTLINES_ICB22, _icb_features)
    _same_codes(
        OUTLINES_ICB22,
        "icb22_code",
        frame["icb22_code"],
        set(tables["lsoa11"]["icb22_code"]),
        "the ICBs of lsoa11",
    )
    frame["geometry"] = _wkb(frame["geometry"])
    return frame[list(outlines_icb22_schema.columns)]


outlines_icb22 = register(
    Dataset(
        name="outlines_icb22",
        title="Integrated care boards July 2022, ultra generalised outlines",
        sources=(OUTLINES_ICB22,),
        schema=outlines_icb22_schema,
        build=build_outlines_icb22,
        depends=("lsoa11",),
        references=(Reference("icb22_code", "lsoa11", "icb22_code"),),
        sort_by=("icb22_code",),
    )
)


# --- practice_locations -------------------------------------------------------------------

# Rows are numbered by their line in the allocation file of the practice's latest year; the
# newest file comes first.
PRACTICE_SOURCES = (*sorted(ALLOCATION_FILES.values(), reverse=True), BOUNDARIES_EW)

practice_locations_schema = pa.DataFrameSchema(
    {
        "practice_code": pa.Column(str, unique=True),
        "latitude": pa.Column(float, pa.Check.in_range(49.8, 55.9)),
        "longitude": pa.Column(float, pa.Check.in_range(-6.5, 1.8)),
        "lsoa21_code": _text(gss("E01")),
        "match": pa.Column(str, pa.Check.isin(["within", "nearest"])),
        "distance_m": pa.Column(float, pa.Check.in_range(0.0, NEAREST_LIMIT_M)),
    },
    strict=True,
    ordered=True,
)


def _local_metres(geometry: shapely.Geometry, longitude: float, latitude: float):
    """``geometry`` in metres east and north of a point, in a local equirectangular projection.

    x = R cos(latitude) (lon - longitude), y = R (lat - latitude), angles in radians, R the
    mean Earth radius. Centred on the point, distances to it within a few kilometres are right
    to better than 0.1%, which is plenty for choosing an LSOA near a practice.
    """
    scale = math.radians(1) * EARTH_RADIUS_M
    east = scale * math.cos(math.radians(latitude))

    def project(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(((xy[:, 0] - longitude) * east, (xy[:, 1] - latitude) * scale))

    return shapely.transform(geometry, project)


def _nearest(
    tree: shapely.STRtree, geometries: np.ndarray, longitude: float, latitude: float
) -> tuple[int, float] | None:
    """The polygon nearest the point within ``NEAREST_LIMIT_M`` (index, metres), if any."""
    scale = math.radians(1) * EARTH_RADIUS_M
    half_lat = NEAREST_LIMIT_M / scale
    half_lon = NEAREST_LIMIT_M / (scale * math.cos(math.radians(latitude)))
    window = shapely.box(
        longitude - half_lon, latitude - half_lat, longitude + half_lon, latitude + half_lat
    )
    origin = shapely.Point(0.0, 0.0)
    best: tuple[int, float] | None = None
    for index in sorted(tree.query(window)):
        distance = shapely.distance(_local_metres(geometries[index], longitude, latitude), origin)
        if distance <= NEAREST_LIMIT_M and (best is None or distance < best[1]):
            best = (int(index), float(distance))
    return best


def _practice_lines(raw: RawFolder, latest: pd.DataFrame) -> pd.Series:
    """The line of each practice's row in the allocation file of its latest year."""
    lines = pd.Series(0, index=latest.index, dtype="int64")
    for year, file in ALLOCATION_FILES.items():
        of_year = latest["year"] == year
        if of_year.any():
            codes = raw.read_csv(file, usecols=["Practice_Code"])["Practice_Code"]
            line_of = pd.Series(codes.index, index=codes.values)
            line_of = line_of[~line_of.index.duplicated()]
            lines[of_year] = latest.loc[of_year, "practice_code"].map(line_of).to_numpy()
    return lines


def build_practice_locations(raw: RawFolder, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    practices = tables["weighted_populations"]
    latest = (
        practices.sort_values(["practice_code", "year"])
        .drop_duplicates("practice_code", keep="last")[
            ["practice_code", "year", "latitude", "longitude"]
        ]
        .reset_index(drop=True)
    )
    lines = _practice_lines(raw, latest)

    boundaries = _read_features(raw, BOUNDARIES_EW, _lsoa21_features)
    codes = boundaries["lsoa21_code"].to_numpy()
    geometries = boundaries["geometry"].to_numpy()
    tree = shapely.STRtree(geometries)
    points = shapely.points(latest["longitude"].to_numpy(), latest["latitude"].to_numpy())

    # A point on a shared edge touches two polygons: take the lowest code.
    point_index, polygon_index = tree.query(points, predicate="intersects")
    hits = pd.DataFrame({"point": point_index, "code": codes[polygon_index]})
    within = hits.sort_values(["point", "code"]).drop_duplicates("point").set_index("point")
    lsoa = pd.Series(within["code"], index=latest.index, dtype=object)
    match = pd.Series("within", index=latest.index, dtype=object)
    distance = pd.Series(0.0, index=latest.index)

    for i in latest.index[lsoa.isna()]:
        practice = latest.loc[i]
        found = _nearest(tree, geometries, practice["longitude"], practice["latitude"])
        if found is None:
            raise DataValidationError(
                ALLOCATION_FILES[practice["year"]],
                f"practice {practice['practice_code']} at ({practice['latitude']},"
                f" {practice['longitude']}) is in no LSOA 2021 of {BOUNDARIES_EW} and none is"
                f" within {NEAREST_LIMIT_M:,.0f} m",
                row=int(lines[i]),
                field="Latitude",
            )
        lsoa[i] = codes[found[0]]
        match[i] = "nearest"
        distance[i] = round(found[1], 1)

    english = set(tables["lsoa21"]["lsoa21_code"])
    outside = ~lsoa.isin(english)
    if outside.any():
        i = outside.idxmax()
        practice = latest.loc[i]
        raise DataValidationError(
            ALLOCATION_FILES[practice["year"]],
            f"practice {practice['practice_code']} at ({practice['latitude']},"
            f" {practice['longitude']}) lies in {lsoa[i]}, which is not an English LSOA 2021"
            f" ({int(outside.sum())} practices do not lie in England)",
            row=int(lines[i]),
            field="Latitude",
        )

    frame = pd.DataFrame(
        {
            "practice_code": latest["practice_code"],
            "latitude": latest["latitude"],
            "longitude": latest["longitude"],
            "lsoa21_code": lsoa.astype(str),
            "match": match.astype(str),
            "distance_m": distance,
        }
    )
    frame.index = lines.to_numpy()
    return frame


def check_practice_locations(frame: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> None:
    _same_codes(
        PRACTICE_SOURCES[0],
        "practice_code",
        frame["practice_code"],
        set(tables["weighted_populations"]["practice_code"]),
        "the practices of weighted_populations",
    )
    inconsistent = (frame["match"] == "within") != (frame["distance_m"] == 0)
    if inconsistent.any():
        row = inconsistent.idxmax()
        raise DataValidationError(
            PRACTICE_SOURCES[0], "match and distance_m disagree", row=int(row), field="distance_m"
        )


practice_locations = register(
    Dataset(
        name="practice_locations",
        title="The LSOA 2021 each GP practice lies in",
        sources=PRACTICE_SOURCES,
        schema=practice_locations_schema,
        build=build_practice_locations,
        depends=("weighted_populations", "lsoa21"),
        references=(Reference("lsoa21_code", "lsoa21", "lsoa21_code"),),
        checks=(check_practice_locations,),
        sort_by=("practice_code",),
    )
)
