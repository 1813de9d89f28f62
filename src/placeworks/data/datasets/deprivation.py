"""English Indices of Deprivation: 2025 for LSOA 2021 and 2019 for LSOA 2011.

Both tables use the same names for the Index of Multiple Deprivation (``imd``) and its seven
domains, so the two vintages line up: ``income``, ``employment``, ``education`` (education,
skills and training), ``health`` (health deprivation and disability), ``crime``,
``housing_and_services`` (barriers to housing and services) and ``environment`` (living
environment). Rank 1 and decile 1 are the most deprived; deciles cut the ranks into ten equal
groups, so decile ``d`` holds ranks with ``ceil(10 * rank / N) == d``.

Ranks are as published and are not always unique: LSOAs whose scores tie share a rank (the
2019 IMD has 26 tied pairs; the 2025 income, education and housing domains have a few).

IoD 2019 is put together from four files, which the build cross-checks:

* File 1 (primary; IMD rank and decile) and File 2 (rank and decile of every domain, and the IMD
  again) must agree on the IMD rank and decile;
* the NHS-R copy of File 7 gives the IMD score, and its decile must agree with File 1;
* mySociety's England rows give the income and employment scores, published as percentages and
  stored here as rates (divided by 100, as in the government's File 5). Their
  ``overall_local_score`` must equal the File 7 IMD score. mySociety recomputed the decile
  (``original_decile``) and it differs from the published one for three LSOAs whose rank sits
  within one of a decile cut; any other difference fails the build.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import pandera.pandas as pa

from placeworks.data.errors import DataValidationError
from placeworks.data.raw import RawFolder, require_columns, to_typed
from placeworks.data.registry import Dataset, gss, register
from placeworks.data.validate import check_frame

LSOA21_2025 = 33_755  # LSOAs in England, December 2021 boundaries
LSOA11_2019 = 32_844  # LSOAs in England, December 2011 boundaries

# Our domain name -> the stem of its columns in the IoD 2025 file.
DOMAINS_2025 = {
    "imd": "IMD",
    "income": "Income",
    "employment": "Employment",
    "education": "Education",
    "health": "Health",
    "crime": "Crime",
    "housing_and_services": "Housing_and_Services",
    "environment": "Environment",
}

# Our domain name -> the stem of its columns in IoD 2019 File 2.
DOMAINS_2019 = {
    "imd": "Index of Multiple Deprivation (IMD)",
    "income": "Income",
    "employment": "Employment",
    "education": "Education, Skills and Training",
    "health": "Health Deprivation and Disability",
    "crime": "Crime",
    "housing_and_services": "Barriers to Housing and Services",
    "environment": "Living Environment",
}
RANK_2019 = "{} Rank (where 1 is most deprived)"
DECILE_2019 = "{} Decile (where 1 is most deprived 10% of LSOAs)"
# File 1 has the IMD only, with shorter headers and ranks printed as "29,199".
RANK_FILE_1 = "Index of Multiple Deprivation (IMD) Rank"
DECILE_FILE_1 = "Index of Multiple Deprivation (IMD) Decile"

FILE_2025 = "imd/imd2025_england_lsoa21.csv"
FILE_1 = "imd/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz"
FILE_2 = "imd/File_2_-_IoD2019_Domains_of_Deprivation.csv.gz"
FILE_7 = "imd/imd2019_england_lsoa11_score_decile.csv"
MYSOCIETY = "imd/mysociety_UK_IMD_E.csv"
LSOA_2011 = "LSOA code (2011)"

SCORES_2019 = ("imd", "income", "employment")  # the domains with a score in the 2019 table


# --- reading helpers --------------------------------------------------------------------------


def _strip_thousands(values: pd.Series) -> pd.Series:
    """'29,199' -> '29199' (File 1 prints its ranks with thousands separators)."""
    grouped = values.str.fullmatch(r"\d{1,3}(,\d{3})+", na=False)
    return values.where(~grouped, values.str.replace(",", "", regex=False))


def _align(
    base: pd.DataFrame, base_file: str, other: pd.DataFrame, other_file: str, key: str
) -> tuple[pd.DataFrame, pd.Series]:
    """Rows of ``other`` in the order of ``base`` (both hold ``key``), with their line numbers.

    Each file must hold every LSOA exactly once: a duplicate, an extra or a missing code fails,
    naming the file and line it was found on.
    """
    duplicated = other[key].duplicated().to_numpy()
    if duplicated.any():
        row = other.index[duplicated.argmax()]
        raise DataValidationError(
            other_file, f"{other.at[row, key]!r} appears twice", row=int(row), field=key
        )
    extra = ~other[key].isin(set(base[key])).to_numpy()
    if extra.any():
        row = other.index[extra.argmax()]
        raise DataValidationError(
            other_file, f"{other.at[row, key]!r} is not in {base_file}", row=int(row), field=key
        )
    missing = ~base[key].isin(set(other[key])).to_numpy()
    if missing.any():
        row = base.index[missing.argmax()]
        raise DataValidationError(
            base_file, f"{base.at[row, key]!r} has no row in {other_file}", row=int(row), field=key
        )
    lines = pd.Series(other.index, index=other[key])
    aligned = other.set_index(key).reindex(base[key])
    aligned.index = base.index
    return aligned, pd.Series(lines.reindex(base[key]).to_numpy(), index=base.index)


def _disagree(file: str, lines: pd.Series, field: str, bad: np.ndarray, message: str) -> None:
    if bad.any():
        row = lines.to_numpy()[bad.argmax()]
        raise DataValidationError(
            file, f"{message} ({int(bad.sum())} rows disagree)", row=int(row), field=field
        )


# --- schemas ------------------------------------------------------------------------------------


def _domain_columns(count: int, scored: tuple[str, ...]) -> dict[str, pa.Column]:
    columns: dict[str, pa.Column] = {}
    for domain in DOMAINS_2025:
        if domain in scored:
            columns[f"{domain}_score"] = pa.Column("float32")
        columns[f"{domain}_rank"] = pa.Column("int32", pa.Check.in_range(1, count))
        columns[f"{domain}_decile"] = pa.Column("int8", pa.Check.in_range(1, 10))
    return columns


imd2025_schema = pa.DataFrameSchema(
    {
        "lsoa21_code": pa.Column(str, pa.Check.str_matches(gss("E01"))),
        **_domain_columns(LSOA21_2025, tuple(DOMAINS_2025)),
    },
    unique=["lsoa21_code"],
    strict=True,
    ordered=True,
)

_columns_2019 = _domain_columns(LSOA11_2019, SCORES_2019)
for _rate in ("income_score", "employment_score"):  # rates, as in the government's File 5
    _columns_2019[_rate] = pa.Column("float32", pa.Check.in_range(0, 1))

imd2019_schema = pa.DataFrameSchema(
    {"lsoa11_code": pa.Column(str, pa.Check.str_matches(gss("E01"))), **_columns_2019},
    unique=["lsoa11_code"],
    strict=True,
    ordered=True,
)


# --- table checks -------------------------------------------------------------------------------


def _row_count(expected: int, file: str):
    def check(frame: pd.DataFrame, _tables: Mapping[str, pd.DataFrame]) -> None:
        if len(frame) != expected:
            raise DataValidationError(file, f"{len(frame):,} LSOAs, expected {expected:,}")

    return check


def _deciles_follow_ranks(file: str):
    """Each decile is the published cut of its rank, and scores fall as ranks rise."""

    def check(frame: pd.DataFrame, _tables: Mapping[str, pd.DataFrame]) -> None:
        count = len(frame)
        for domain in DOMAINS_2025:
            rank = frame[f"{domain}_rank"].to_numpy(dtype="int64")
            decile = frame[f"{domain}_decile"].to_numpy(dtype="int64")
            expected = (rank * 10 + count - 1) // count  # ceil(10 * rank / count)
            bad = decile != expected
            if bad.any():
                row = frame.index[bad.argmax()]
                raise DataValidationError(
                    file,
                    f"decile {decile[bad.argmax()]} does not match rank {rank[bad.argmax()]}"
                    f" of {count} ({int(bad.sum())} rows)",
                    row=int(row),
                    field=f"{domain}_decile",
                )
            if f"{domain}_score" in frame.columns:
                order = np.argsort(rank, kind="stable")
                score = frame[f"{domain}_score"].to_numpy()[order]
                rises = np.diff(score) > 0
                if rises.any():
                    row = frame.index[order[rises.argmax() + 1]]
                    raise DataValidationError(
                        file,
                        "score is higher than that of a more deprived rank",
                        row=int(row),
                        field=f"{domain}_score",
                    )

    return check


# --- IoD 2025 -----------------------------------------------------------------------------------


def build_imd2025(raw: RawFolder, _tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    frame = raw.read_csv(FILE_2025)
    renamed = {"lsoa21_code": "lsoa21_code"}
    dtypes: dict[str, str] = {}
    for domain, stem in DOMAINS_2025.items():
        for part, dtype in (("score", "float32"), ("rank", "int32"), ("decile", "int8")):
            renamed[f"{stem}_{part}"] = f"{domain}_{part}"
            dtypes[f"{stem}_{part}"] = dtype
    require_columns(frame, FILE_2025, list(renamed))
    frame = to_typed(frame[list(renamed)].copy(), FILE_2025, dtypes)
    return frame.rename(columns=renamed)[list(imd2025_schema.columns)]


imd2025_lsoa21 = register(
    Dataset(
        name="imd2025_lsoa21",
        title="English Indices of Deprivation 2025: IMD and domain scores, ranks and deciles,"
        " by LSOA 2021",
        sources=(FILE_2025,),
        schema=imd2025_schema,
        build=build_imd2025,
        checks=(_row_count(LSOA21_2025, FILE_2025), _deciles_follow_ranks(FILE_2025)),
        sort_by=("lsoa21_code",),
    )
)


# --- IoD 2019 -----------------------------------------------------------------------------------


def _file_1(raw: RawFolder) -> pd.DataFrame:
    frame = raw.read_csv(FILE_1)
    rank, decile = RANK_FILE_1, DECILE_FILE_1
    require_columns(frame, FILE_1, [LSOA_2011, rank, decile])
    frame = frame[[LSOA_2011, rank, decile]].copy()
    frame[rank] = _strip_thousands(frame[rank])
    frame = to_typed(frame, FILE_1, {rank: "int32", decile: "int8"})
    return frame.rename(columns={LSOA_2011: "lsoa11_code", rank: "imd_rank", decile: "imd_decile"})


def _file_2(raw: RawFolder) -> pd.DataFrame:
    frame = raw.read_csv(FILE_2)
    renamed = {LSOA_2011: "lsoa11_code"}
    dtypes: dict[str, str] = {}
    for domain, stem in DOMAINS_2019.items():
        renamed[RANK_2019.format(stem)] = f"{domain}_rank"
        renamed[DECILE_2019.format(stem)] = f"{domain}_decile"
        dtypes[RANK_2019.format(stem)] = "int32"
        dtypes[DECILE_2019.format(stem)] = "int8"
    require_columns(frame, FILE_2, list(renamed))
    frame = frame[list(renamed)].copy()
    for column in dtypes:
        frame[column] = _strip_thousands(frame[column])
    return to_typed(frame, FILE_2, dtypes).rename(columns=renamed)


def _file_7(raw: RawFolder) -> pd.DataFrame:
    frame = raw.read_csv(FILE_7)
    require_columns(frame, FILE_7, ["lsoa_code", "imd_score", "imd_decile"])
    frame = to_typed(
        frame[["lsoa_code", "imd_score", "imd_decile"]].copy(),
        FILE_7,
        {"imd_score": "float32", "imd_decile": "int8"},
    )
    return frame.rename(columns={"lsoa_code": "lsoa11_code"})


def _mysociety(raw: RawFolder) -> pd.DataFrame:
    columns = [
        "nation",
        "lsoa",
        "overall_local_score",
        "income_score",
        "employment_score",
        "original_decile",
    ]
    frame = raw.read_csv(MYSOCIETY)
    require_columns(frame, MYSOCIETY, columns)
    frame = frame.loc[frame["nation"] == "E", columns[1:]].copy()
    frame = to_typed(
        frame,
        MYSOCIETY,
        {
            "overall_local_score": "float64",
            "income_score": "float64",
            "employment_score": "float64",
            "original_decile": "int8",
        },
    )
    for column in ("income_score", "employment_score"):
        outside = ~frame[column].between(0, 100).to_numpy()
        if outside.any():
            row = frame.index[outside.argmax()]
            raise DataValidationError(
                MYSOCIETY,
                f"{frame.at[row, column]} is not a percentage",
                row=int(row),
                field=column,
            )
    return frame.rename(columns={"lsoa": "lsoa11_code"})


def build_imd2019(raw: RawFolder, _tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    base = _file_1(raw)
    key = "lsoa11_code"
    check_frame(
        pa.DataFrameSchema({key: pa.Column(str, pa.Check.str_matches(gss("E01")))}, unique=[key]),
        base[[key]],
        FILE_1,
    )

    domains, lines_2 = _align(base, FILE_1, _file_2(raw), FILE_2, key)
    for column, header in (("imd_rank", RANK_2019), ("imd_decile", DECILE_2019)):
        _disagree(
            FILE_2,
            lines_2,
            header.format(DOMAINS_2019["imd"]),
            (domains[column] != base[column]).to_numpy(),
            f"IMD {column[4:]} differs from {FILE_1}",
        )

    scores, lines_7 = _align(base, FILE_1, _file_7(raw), FILE_7, key)
    _disagree(
        FILE_7,
        lines_7,
        "imd_decile",
        (scores["imd_decile"] != base["imd_decile"]).to_numpy(),
        f"IMD decile differs from {FILE_1}",
    )

    mysoc, lines_m = _align(base, FILE_1, _mysociety(raw), MYSOCIETY, key)
    _disagree(
        MYSOCIETY,
        lines_m,
        "overall_local_score",
        (mysoc["overall_local_score"] - scores["imd_score"]).abs().to_numpy() > 0.0005,
        f"IMD score differs from imd_score in {FILE_7}",
    )
    rank = base["imd_rank"].to_numpy(dtype="float64")
    cut = LSOA11_2019 / 10
    near_cut = np.abs(rank - np.round(rank / cut) * cut) < 1
    difference = (mysoc["original_decile"].astype("int64") - base["imd_decile"]).abs().to_numpy()
    _disagree(
        MYSOCIETY,
        lines_m,
        "original_decile",
        (difference > 1) | ((difference == 1) & ~near_cut),
        f"IMD decile differs from {FILE_1} away from a decile cut",
    )

    frame = pd.DataFrame({key: base[key]}, index=base.index)
    for domain in DOMAINS_2019:
        if domain == "imd":
            frame["imd_score"] = scores["imd_score"]
            frame["imd_rank"] = base["imd_rank"]
            frame["imd_decile"] = base["imd_decile"]
            continue
        if domain in SCORES_2019:
            # mySociety prints percentages with one decimal; the government publishes rates.
            frame[f"{domain}_score"] = (mysoc[f"{domain}_score"] / 100).round(3).astype("float32")
        frame[f"{domain}_rank"] = domains[f"{domain}_rank"]
        frame[f"{domain}_decile"] = domains[f"{domain}_decile"]
    return frame


imd2019_lsoa11 = register(
    Dataset(
        name="imd2019_lsoa11",
        title="English Indices of Deprivation 2019: IMD score, rank and decile, domain ranks and"
        " deciles, income and employment scores, by LSOA 2011",
        sources=(FILE_1, FILE_2, FILE_7, MYSOCIETY),
        schema=imd2019_schema,
        build=build_imd2019,
        checks=(_row_count(LSOA11_2019, FILE_1), _deciles_follow_ranks(FILE_1)),
        sort_by=("lsoa11_code",),
    )
)
