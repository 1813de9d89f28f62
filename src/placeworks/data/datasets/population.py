"""Resident population: ONS small area estimates (mid-2019, mid-2020), Census 2021, and the
mid-2020 estimate carried onto LSOA 2021.

Shape of the single-year-of-age tables. Both are stored wide, one row per LSOA (and sex), with a
column per year of age ``age_0`` .. ``age_89`` and ``age_90_plus``. Measured with the package's
parquet settings (zstd level 15), wide is the smaller shape: mid-2019 wide 4.28 MB against
4.42 MB long (lsoa11_code, sex, age, population; sorted by code, age, sex, its best order) and
mid-2020 wide 2.53 MB against 2.86 MB long. The long shape repeats the code and the age on each
of 91 rows per LSOA, which costs more than it saves even with dictionary and run-length
encoding; in the wide shape each age column holds counts of a similar size side by side.
Melt with ``frame.melt(id_vars=[...], var_name="age")`` for a long view.

``population_lsoa21`` shares each LSOA 2011's mid-2020 population among the LSOA 2021s it maps
to (ONS LSOA 2011 to 2021 lookup) in proportion to their Census 2021 usual residents, rounded
to whole people by largest remainder so that every LSOA 2011 keeps its total exactly. An LSOA
2021 formed by merging receives the whole of each LSOA 2011 that maps only to it.

Published totals checked by the build: mid-2019 England 56,286,961 and England and Wales
59,439,840; mid-2020 England
56,550,138 and England and Wales 59,719,724; Census 2021 England 56,490,048 usual residents.
The Census table here is built from the disability table (TS038), whose LSOA cells ONS
perturbed for disclosure control, so its totals differ from the headline count by a few people
(England 56,490,046); the build allows a difference of at most ``CENSUS_TOLERANCE``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import pandera.pandas as pa

from placeworks.data.errors import DataValidationError
from placeworks.data.raw import RawFolder, require_columns, to_number
from placeworks.data.registry import Dataset, Reference, register
from placeworks.data.validate import check_frame

MYE_2019 = "population/ons_mye2019_lsoa11_sya_sex.csv.gz"
MYE_2020 = "population/ons_mye2020_lsoa11_sya_persons.csv.gz"
CENSUS_2021 = "population/census2021_disability21_lsoa21_ew.csv"
LOOKUP = "geography/lookup_lsoa11_lsoa21_ltla22.csv"

# Published totals (ONS).
MID_2019_ENGLAND = 56_286_961
MID_2019_ENGLAND_WALES = 59_439_840
MID_2020_ENGLAND = 56_550_138
MID_2020_ENGLAND_WALES = 59_719_724
CENSUS_2021_ENGLAND = 56_490_048
CENSUS_TOLERANCE = 10  # people: LSOA cells of Census tables are perturbed (see above)

LSOA11_ENGLAND, LSOA11_WALES = 32_844, 1_909
LSOA21_ENGLAND, LSOA21_WALES = 33_755, 1_917

AGES = [f"age_{age}" for age in range(90)] + ["age_90_plus"]
LSOA_EW = r"^[EW]01\d{6}$"
LSOA_E = r"^E01\d{6}$"
DISABLED = "Disabled under the Equality Act"
NOT_DISABLED = "Not disabled under the Equality Act"


# --- reading helpers --------------------------------------------------------------------------


def _counts(frame: pd.DataFrame, file: str, columns: list[str]) -> pd.DataFrame:
    """Required whole non-negative counts, as int32, naming the first bad cell."""
    to_number(frame, columns, file, integer=True)
    limit = np.iinfo("int32").max
    for column in columns:
        values = frame[column]
        bad = (values.isna() | ~values.between(0, limit)).to_numpy(dtype=bool, na_value=True)
        if bad.any():
            row = frame.index[bad.argmax()]
            shown = "missing value" if pd.isna(values[row]) else str(values[row])
            raise DataValidationError(
                file,
                f"{shown} is not a count (a whole number from 0)",
                row=int(row),
                field=column,
            )
        frame[column] = values.to_numpy(dtype="int32")
    return frame


def _check_row_totals(frame: pd.DataFrame, file: str, total: str, parts: list[str]) -> None:
    """The file's own total column equals the sum of its parts on every row."""
    summed = pd.Series(frame[parts].to_numpy(dtype="int64").sum(axis=1), index=frame.index)
    bad = (summed != frame[total]).to_numpy()
    if bad.any():
        row = frame.index[bad.argmax()]
        raise DataValidationError(
            file,
            f"total {frame.at[row, total]} differs from the sum of its ages {summed[row]}",
            row=int(row),
            field=total,
        )


def _check_total(file: str, what: str, actual: int, published: int, tolerance: int = 0) -> None:
    if abs(actual - published) > tolerance:
        raise DataValidationError(
            file, f"{what} total {actual:,} differs from the published {published:,}"
        )


def _check_lsoa_count(file: str, codes: pd.Series, england: int, wales: int | None) -> None:
    found_e = int(codes.str.startswith("E").sum())
    found_w = int(codes.str.startswith("W").sum())
    if found_e != england or (wales is not None and found_w != wales):
        raise DataValidationError(
            file,
            f"{found_e:,} English and {found_w:,} Welsh LSOAs, expected {england:,}"
            + (f" and {wales:,}" if wales is not None else " and none"),
        )


# --- largest-remainder apportionment --------------------------------------------------------


def apportion(links: pd.DataFrame, totals: pd.Series, weights: pd.Series) -> pd.Series:
    """Share whole-number totals among targets in proportion to the targets' weights.

    ``links`` has one row per (``source``, ``target``) pair; ``totals`` (whole numbers) is
    indexed by source and ``weights`` (whole numbers, not negative) by target. Each source's
    total is split among its targets in proportion to their weights and rounded by largest
    remainder: every link first gets the floor of its exact share, then the people left over go
    one each to the links with the largest remainders (ties to the smaller target). The shares
    of each source therefore sum exactly to its total. Integer arithmetic throughout, so the
    result does not depend on floating-point rounding.

    Returns the share of each link, aligned with ``links.index``.
    """
    if links.duplicated(["source", "target"]).any():
        raise ValueError("a (source, target) link is listed twice")
    source = links["source"].to_numpy()
    target = links["target"].to_numpy()
    missing = set(source) - set(totals.index)
    if missing:
        raise ValueError(f"sources without a total: {sorted(missing)[:5]}")
    missing = set(target) - set(weights.index)
    if missing:
        raise ValueError(f"targets without a weight: {sorted(missing)[:5]}")
    total = totals.reindex(source).to_numpy(dtype="int64")
    weight = weights.reindex(target).to_numpy(dtype="int64")
    if (weight < 0).any() or (total < 0).any():
        raise ValueError("totals and weights must not be negative")
    by_source = pd.Series(weight).groupby(source)
    weight_sum = by_source.transform("sum").to_numpy(dtype="int64")
    if ((weight_sum == 0) & (total > 0)).any():
        raise ValueError("a source with people has targets whose weights are all zero")
    weight_sum = np.where(weight_sum == 0, 1, weight_sum)
    exact = total * weight
    floor = exact // weight_sum
    remainder = exact % weight_sum  # same denominator within a source, so comparable
    left = total - pd.Series(floor).groupby(source).transform("sum").to_numpy(dtype="int64")
    order = pd.DataFrame({"source": source, "remainder": -remainder, "target": target}).sort_values(
        ["source", "remainder", "target"], kind="stable"
    )
    position = order.groupby("source", sort=False).cumcount().to_numpy()
    extra = np.zeros(len(links), dtype="int64")
    extra[order.index.to_numpy()] = (position < left[order.index.to_numpy()]).astype("int64")
    return pd.Series(floor + extra, index=links.index, name="share")


# --- mid-2019, by sex -----------------------------------------------------------------------

_sya_columns = {age: pa.Column("int32", pa.Check.ge(0)) for age in AGES}

mye2019_schema = pa.DataFrameSchema(
    {
        "lsoa11_code": pa.Column(str, pa.Check.str_matches(LSOA_EW)),
        "sex": pa.Column(str, pa.Check.isin(["F", "M"])),
        **_sya_columns,
    },
    unique=["lsoa11_code", "sex"],
    strict=True,
    ordered=True,
)


def build_mye2019(raw: RawFolder, _tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    frame = raw.read_csv(MYE_2019)
    theirs = [f"age_{age}" for age in range(90)] + ["age_90plus"]
    require_columns(frame, MYE_2019, ["lsoa_code", "sex", "total", *theirs])
    frame = _counts(
        frame[["lsoa_code", "sex", "total", *theirs]].copy(), MYE_2019, ["total", *theirs]
    )
    _check_row_totals(frame, MYE_2019, "total", theirs)
    sex = frame["sex"].map({"female": "F", "male": "M"})
    bad = sex.isna().to_numpy()
    if bad.any():
        row = frame.index[bad.argmax()]
        raise DataValidationError(
            MYE_2019, f"{frame.at[row, 'sex']!r} is not female or male", row=int(row), field="sex"
        )
    frame["sex"] = sex.astype(str)
    frame = frame.drop(columns="total").rename(
        columns={"lsoa_code": "lsoa11_code", "age_90plus": "age_90_plus"}
    )
    return frame[list(mye2019_schema.columns)]


def _check_mye2019(frame: pd.DataFrame, _tables: Mapping[str, pd.DataFrame]) -> None:
    per_lsoa = frame.groupby("lsoa11_code").size()
    if (per_lsoa != 2).any():
        code = per_lsoa.index[(per_lsoa != 2).to_numpy().argmax()]
        raise DataValidationError(
            MYE_2019, f"{code} lacks a female or a male row", field="lsoa11_code"
        )
    _check_lsoa_count(MYE_2019, per_lsoa.index.to_series(), LSOA11_ENGLAND, LSOA11_WALES)
    counts = frame[AGES].to_numpy(dtype="int64").sum(axis=1)
    english = frame["lsoa11_code"].str.startswith("E").to_numpy()
    _check_total(MYE_2019, "England mid-2019", int(counts[english].sum()), MID_2019_ENGLAND)
    _check_total(MYE_2019, "England and Wales mid-2019", int(counts.sum()), MID_2019_ENGLAND_WALES)


population_lsoa11_2019 = register(
    Dataset(
        name="population_lsoa11_2019",
        title="ONS mid-2019 population estimates by LSOA 2011, sex and single year of age"
        " (England and Wales)",
        sources=(MYE_2019,),
        schema=mye2019_schema,
        build=build_mye2019,
        checks=(_check_mye2019,),
        sort_by=("lsoa11_code", "sex"),
    )
)


# --- mid-2020, persons -------------------------------------------------------------------------

mye2020_schema = pa.DataFrameSchema(
    {"lsoa11_code": pa.Column(str, pa.Check.str_matches(LSOA_EW)), **_sya_columns},
    unique=["lsoa11_code"],
    strict=True,
    ordered=True,
)


def build_mye2020(raw: RawFolder, _tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    frame = raw.read_csv(MYE_2020)
    theirs = [str(age) for age in range(90)] + ["90+"]
    require_columns(frame, MYE_2020, ["lsoa11_code", "total_population", *theirs])
    frame = _counts(
        frame[["lsoa11_code", "total_population", *theirs]].copy(),
        MYE_2020,
        ["total_population", *theirs],
    )
    _check_row_totals(frame, MYE_2020, "total_population", theirs)
    frame = frame.drop(columns="total_population").rename(
        columns=dict(zip(theirs, AGES, strict=True))
    )
    return frame[list(mye2020_schema.columns)]


def _mid_2020_totals(frame: pd.DataFrame) -> pd.Series:
    """Mid-2020 persons of each LSOA 2011, indexed by code."""
    return pd.Series(
        frame[AGES].to_numpy(dtype="int64").sum(axis=1), index=frame["lsoa11_code"].to_numpy()
    )


def _check_mye2020(frame: pd.DataFrame, _tables: Mapping[str, pd.DataFrame]) -> None:
    _check_lsoa_count(MYE_2020, frame["lsoa11_code"], LSOA11_ENGLAND, LSOA11_WALES)
    totals = _mid_2020_totals(frame)
    england = int(totals[totals.index.str.startswith("E")].sum())
    _check_total(MYE_2020, "England mid-2020", england, MID_2020_ENGLAND)
    _check_total(MYE_2020, "England and Wales mid-2020", int(totals.sum()), MID_2020_ENGLAND_WALES)


population_lsoa11_2020 = register(
    Dataset(
        name="population_lsoa11_2020",
        title="ONS mid-2020 population estimates by LSOA 2011 and single year of age, persons"
        " (England and Wales)",
        sources=(MYE_2020,),
        schema=mye2020_schema,
        build=build_mye2020,
        checks=(_check_mye2020,),
        sort_by=("lsoa11_code",),
    )
)


# --- Census 2021 ------------------------------------------------------------------------------

census_schema = pa.DataFrameSchema(
    {
        "lsoa21_code": pa.Column(str, pa.Check.str_matches(LSOA_EW)),
        "usual_residents": pa.Column("int32", pa.Check.gt(0)),
        "disabled": pa.Column("int32", pa.Check.ge(0)),
    },
    unique=["lsoa21_code"],
    strict=True,
    ordered=True,
)


def build_census(raw: RawFolder, _tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    frame = raw.read_csv(CENSUS_2021)
    require_columns(frame, CENSUS_2021, ["lsoa21_code", "disability", "n", "total_residents"])
    frame = _counts(
        frame[["lsoa21_code", "disability", "n", "total_residents"]].copy(),
        CENSUS_2021,
        ["n", "total_residents"],
    )
    bad = (~frame["disability"].isin([DISABLED, NOT_DISABLED])).to_numpy()
    if bad.any():
        row = frame.index[bad.argmax()]
        raise DataValidationError(
            CENSUS_2021,
            f"unknown category {frame.at[row, 'disability']!r}",
            row=int(row),
            field="disability",
        )
    repeated = frame.duplicated(["lsoa21_code", "disability"]).to_numpy()
    if repeated.any():
        row = frame.index[repeated.argmax()]
        raise DataValidationError(
            CENSUS_2021, "category repeated for this LSOA", row=int(row), field="disability"
        )
    # Both categories of an LSOA state the same total, and their counts add up to it.
    grouped = frame.groupby("lsoa21_code", sort=False)
    stated = grouped["total_residents"].transform("max")
    counted = grouped["n"].transform("sum")
    categories = grouped["n"].transform("size")
    for bad, message in (
        ((categories != 2).to_numpy(), "LSOA lacks one of the two disability categories"),
        ((frame["total_residents"] != stated).to_numpy(), "total differs between categories"),
        ((counted != stated).to_numpy(), "the two categories do not add up to the total"),
    ):
        if bad.any():
            row = frame.index[bad.argmax()]
            raise DataValidationError(CENSUS_2021, message, row=int(row), field="total_residents")
    disabled = frame[frame["disability"] == DISABLED]
    return pd.DataFrame(
        {
            "lsoa21_code": disabled["lsoa21_code"],
            "usual_residents": disabled["total_residents"],
            "disabled": disabled["n"],
        },
        index=disabled.index,
    )


def _check_census(frame: pd.DataFrame, _tables: Mapping[str, pd.DataFrame]) -> None:
    _check_lsoa_count(CENSUS_2021, frame["lsoa21_code"], LSOA21_ENGLAND, LSOA21_WALES)
    over = (frame["disabled"] > frame["usual_residents"]).to_numpy()
    if over.any():
        raise DataValidationError(
            CENSUS_2021,
            "more disabled people than residents",
            row=int(frame.index[over.argmax()]),
            field="n",
        )
    england = int(frame.loc[frame["lsoa21_code"].str.startswith("E"), "usual_residents"].sum())
    _check_total(
        CENSUS_2021, "England usual residents", england, CENSUS_2021_ENGLAND, CENSUS_TOLERANCE
    )


census2021_lsoa21 = register(
    Dataset(
        name="census2021_lsoa21",
        title="Census 2021 usual residents and people disabled under the Equality Act, by LSOA"
        " 2021 (England and Wales)",
        sources=(CENSUS_2021,),
        schema=census_schema,
        build=build_census,
        checks=(_check_census,),
        sort_by=("lsoa21_code",),
    )
)


# --- mid-2020 estimate on LSOA 2021 -----------------------------------------------------------

lsoa21_schema = pa.DataFrameSchema(
    {
        "lsoa21_code": pa.Column(str, pa.Check.str_matches(LSOA_E)),
        "population": pa.Column("int32", pa.Check.ge(0)),
    },
    unique=["lsoa21_code"],
    strict=True,
    ordered=True,
)

_lookup_schema = pa.DataFrameSchema(
    {
        "lsoa11_code": pa.Column(str, pa.Check.str_matches(LSOA_EW)),
        "lsoa21_code": pa.Column(str, pa.Check.str_matches(LSOA_EW)),
        "change_code": pa.Column(str, pa.Check.isin(["U", "S", "M", "X"])),
    },
    unique=["lsoa11_code", "lsoa21_code"],
)


def build_lsoa21(raw: RawFolder, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    lookup = raw.read_csv(LOOKUP)
    require_columns(lookup, LOOKUP, ["lsoa11_code", "lsoa21_code", "change_code"])
    lookup = check_frame(
        _lookup_schema, lookup[["lsoa11_code", "lsoa21_code", "change_code"]].copy(), LOOKUP
    )
    crossing = (lookup["lsoa11_code"].str[0] != lookup["lsoa21_code"].str[0]).to_numpy()
    if crossing.any():
        raise DataValidationError(
            LOOKUP,
            "LSOA 2011 and 2021 in different nations",
            row=int(lookup.index[crossing.argmax()]),
            field="lsoa21_code",
        )
    links = lookup[lookup["lsoa11_code"].str.startswith("E")]

    totals = _mid_2020_totals(tables["population_lsoa11_2020"])
    totals = totals[totals.index.str.startswith("E")]
    census = tables["census2021_lsoa21"]
    residents = pd.Series(
        census["usual_residents"].to_numpy(), index=census["lsoa21_code"].to_numpy()
    )
    residents = residents[residents.index.str.startswith("E")]

    unknown = (~links["lsoa11_code"].isin(set(totals.index))).to_numpy()
    if unknown.any():
        raise DataValidationError(
            LOOKUP,
            "LSOA 2011 has no mid-2020 estimate",
            row=int(links.index[unknown.argmax()]),
            field="lsoa11_code",
        )
    unknown = (~links["lsoa21_code"].isin(set(residents.index))).to_numpy()
    if unknown.any():
        raise DataValidationError(
            LOOKUP,
            "LSOA 2021 has no Census 2021 usual residents",
            row=int(links.index[unknown.argmax()]),
            field="lsoa21_code",
        )
    unmapped = sorted(set(totals.index) - set(links["lsoa11_code"]))
    if unmapped:
        raise DataValidationError(
            LOOKUP,
            f"{len(unmapped)} English LSOA 2011 not in the lookup, e.g. {unmapped[0]}",
            field="lsoa11_code",
        )
    unmapped = sorted(set(residents.index) - set(links["lsoa21_code"]))
    if unmapped:
        raise DataValidationError(
            LOOKUP,
            f"{len(unmapped)} English LSOA 2021 not in the lookup, e.g. {unmapped[0]}",
            field="lsoa21_code",
        )

    shares = apportion(
        links.rename(columns={"lsoa11_code": "source", "lsoa21_code": "target"}),
        totals,
        residents,
    )
    kept = shares.groupby(links["lsoa11_code"]).sum().reindex(totals.index)
    if not (kept == totals).all():  # cannot happen: apportion keeps every total
        raise DataValidationError(LOOKUP, "apportionment lost people", field="lsoa11_code")

    first_line = pd.Series(links.index, index=links.index).groupby(links["lsoa21_code"]).min()
    population = shares.groupby(links["lsoa21_code"]).sum()
    return pd.DataFrame(
        {
            "lsoa21_code": population.index.to_numpy(),
            "population": population.to_numpy(dtype="int32"),
        },
        index=first_line.reindex(population.index).to_numpy(),
    )


def _check_lsoa21(frame: pd.DataFrame, _tables: Mapping[str, pd.DataFrame]) -> None:
    _check_lsoa_count(LOOKUP, frame["lsoa21_code"], LSOA21_ENGLAND, None)
    total = int(frame["population"].to_numpy(dtype="int64").sum())
    _check_total(LOOKUP, "England mid-2020 carried onto LSOA 2021", total, MID_2020_ENGLAND)


population_lsoa21 = register(
    Dataset(
        name="population_lsoa21",
        title="Resident population mid-2020 by LSOA 2021 (England): ONS mid-2020 LSOA 2011"
        " estimates shared by Census 2021 usual residents",
        sources=(LOOKUP, MYE_2020, CENSUS_2021),
        schema=lsoa21_schema,
        build=build_lsoa21,
        depends=("population_lsoa11_2020", "census2021_lsoa21"),
        references=(Reference("lsoa21_code", "census2021_lsoa21", "lsoa21_code"),),
        checks=(_check_lsoa21,),
        sort_by=("lsoa21_code",),
    )
)
