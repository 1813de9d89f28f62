"""GP practices, Primary Care Networks, practice registrations and practice deprivation.

Five tables:

``practices``
    The English GP practice register from ODS epraccur (February 2023): every practice with
    prescribing setting 4 (GP practice), open or closed, plus every practice code NHS England
    allocates to in ``weighted_populations``. The few allocated practices that opened after the
    epraccur extract get a row built from ``weighted_populations`` (``source`` says which).
    Welsh practices (national grouping W00, commissioned by local health boards rather than
    sub-ICB locations) are left out.
``pcns``
    Primary Care Networks from NHS Digital ePCN (February 2023), open and closed, plus the PCN
    codes of the later CAIP practice to PCN file that ePCN does not have.
``practice_pcn``
    Each practice's current PCN: the ePCN core partner rows without an end date, falling back to
    the CAIP practice to PCN file for practices with no current ePCN membership. Only partners
    that are practices of ``practices`` are kept (ePCN also lists non-GP services as partners).
``practice_registrations_2023``
    Registered patients by sex and seven age bands for each practice, from the GP Workforce
    practice file as packaged by CAIP. The build checks that the bands add up to each published
    total.
``practice_imd2019``
    The IMD 2019 score of each practice's registered population (OHID Fingertips indicator 93553).

Every builder returns a frame whose index is the line number of each row in the dataset's
primary source (for a workbook: the sheet's row number). Rows taken from a secondary source are
validated against that source first, with its own line numbers, and carry index 0 in the combined
table, since they have no line in the primary source.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import pandas as pd
import pandera.pandas as pa

from placeworks.data.errors import DataValidationError
from placeworks.data.raw import RawFolder, to_number
from placeworks.data.registry import (
    ICB_ODS,
    PCN_CODE,
    PRACTICE_CODE,
    SUB_ICB_ODS,
    Dataset,
    Reference,
    register,
)
from placeworks.data.validate import check_frame

EPRACCUR = "gp/epraccur_2023-02.csv"
EPCN = "gp/ePCN_2023-02.xlsx"
CAIP_ODS = "gp/caip_ods_practice_pcn_icb_region_2023.csv"
CAIP_COMPARISON = "gp/caip_practice_comparison_2023.csv"
FINGERTIPS = "gp/fingertips_93553_imd2019_score_gp_practice.csv"

# Sub-ICB location (former CCG) codes: three characters (e.g. 00Q), or five for the CCGs that
# merged in 2020-21 (e.g. A3A8R North East London, M1J4Y Bedfordshire, Luton and Milton Keynes).
SUB_ICB = SUB_ICB_ODS
YYYYMMDD = r"^\d{8}$"

# The standard ODS layout of epraccur (headerless, 27 fields).
EPRACCUR_COLUMNS = [
    "organisation_code",
    "name",
    "national_grouping",
    "high_level_health_geography",
    "address_line_1",
    "address_line_2",
    "address_line_3",
    "address_line_4",
    "address_line_5",
    "postcode",
    "open_date",
    "close_date",
    "status_code",
    "organisation_sub_type_code",
    "commissioner",
    "join_provider_purchaser_date",
    "left_provider_purchaser_date",
    "contact_telephone_number",
    "null_19",
    "null_20",
    "null_21",
    "amended_record_indicator",
    "null_23",
    "provider_purchaser",
    "null_25",
    "prescribing_setting",
    "null_27",
]
GP_PRACTICE_SETTING = 4
WALES = "W00"  # national grouping of Welsh practices
STATUS = {"A": "active", "C": "closed", "D": "dormant", "P": "proposed"}

EPCN_PCN_SHEET = "PCNDetails"
EPCN_PARTNER_SHEET = "PCN Core Partner Details"
# Our name -> ePCN header (headers are compared with their line breaks and spaces collapsed).
EPCN_PCN_HEADERS = {
    "pcn_code": "PCN Code",
    "pcn_name": "PCN Name",
    "sub_icb_code": "Current Sub ICB Loc Code",
    "open_date": "Open Date",
    "close_date": "Close Date",
}
EPCN_PARTNER_HEADERS = {
    "practice_code": "Partner Organisation Code",
    "partner_name": "Partner Name",
    "pcn_code": "PCN Code",
    "start_date": "Practice to PCN Relationship Start Date",
    "end_date": "Practice to PCN Relationship End Date",
}

SEXES = {"M": "male", "F": "female"}
AGE_BANDS = {
    "0-4": "0to4",
    "5-14": "5to14",
    "15-44": "15to44",
    "45-64": "45to64",
    "65-74": "65to74",
    "75-84": "75to84",
    "85+": "85plus",
}
FINGERTIPS_INDICATOR = "93553"
FINGERTIPS_GP_AREA = "GP"
FINGERTIPS_HEADERS = {"practice_code": "Area Code", "imd2019_score": "Value"}


# Reading and checking the raw files ------------------------------------------------------------


def _sheet_file(sheet: str) -> str:
    return f"{EPCN} (sheet {sheet!r})"


def _require(frame: pd.DataFrame, columns: list[str], file: str) -> None:
    for column in columns:
        if column not in frame.columns:
            raise DataValidationError(file, "expected column is missing", row=1, field=column)


@contextmanager
def _published_names(headers: Mapping[str, str]) -> Iterator[None]:
    """Report a failure under the column name of the published file rather than ours."""
    try:
        yield
    except DataValidationError as exc:
        if exc.field not in headers:
            raise
        raise DataValidationError(
            exc.file, exc.detail, row=exc.row, field=headers[exc.field]
        ) from None


def _to_date(frame: pd.DataFrame, columns: list[str], file: str) -> pd.DataFrame:
    """Convert YYYYMMDD text columns to dates, failing on the first value that is not one."""
    for column in columns:
        values = pd.to_datetime(frame[column], format="%Y%m%d", errors="coerce")
        bad = values.isna() & frame[column].notna()
        if bad.any():
            row = bad.idxmax()
            raise DataValidationError(
                file,
                f"{frame.at[row, column]!r} is not a YYYYMMDD date",
                row=int(row),
                field=column,
            )
        frame[column] = values.astype("datetime64[us]")
    return frame


def _read_excel(raw: RawFolder, sheet: str, headers: Mapping[str, str]) -> pd.DataFrame:
    frame = raw.read_excel(EPCN, sheet)
    frame.columns = [" ".join(str(c).split()) for c in frame.columns]
    file = _sheet_file(sheet)
    missing = [theirs for theirs in headers.values() if theirs not in frame.columns]
    if missing:
        raise DataValidationError(file, "expected column is missing", row=1, field=missing[0])
    return frame[list(headers.values())].rename(columns={v: k for k, v in headers.items()})


_epraccur_schema = pa.DataFrameSchema(
    {
        "organisation_code": pa.Column(str, pa.Check.str_matches(PRACTICE_CODE), unique=True),
        "name": pa.Column(str),
        "national_grouping": pa.Column(str),
        "postcode": pa.Column(str, nullable=True),
        "open_date": pa.Column(str, pa.Check.str_matches(YYYYMMDD)),
        "close_date": pa.Column(str, pa.Check.str_matches(YYYYMMDD), nullable=True),
        "status_code": pa.Column(str, pa.Check.isin(list(STATUS))),
        "commissioner": pa.Column(str, pa.Check.str_matches(SUB_ICB)),
    },
)


def _read_register(raw: RawFolder, weighted: pd.DataFrame) -> pd.DataFrame:
    """The epraccur rows kept as practices, checked and typed, indexed by line number."""
    frame = raw.read_csv(EPRACCUR, header=False)
    if frame.shape[1] != len(EPRACCUR_COLUMNS):
        raise DataValidationError(
            EPRACCUR,
            f"{frame.shape[1]} fields per row, the ODS epraccur layout has {len(EPRACCUR_COLUMNS)}",
            row=int(frame.index[0]) if len(frame) else None,
        )
    frame.columns = EPRACCUR_COLUMNS
    to_number(frame, ["prescribing_setting"], EPRACCUR, integer=True)
    missing = frame["prescribing_setting"].isna()
    if missing.any():
        raise DataValidationError(
            EPRACCUR,
            "prescribing setting is empty",
            row=int(missing.idxmax()),
            field="prescribing_setting",
        )
    english = frame["national_grouping"].fillna("") != WALES
    gp = frame["prescribing_setting"].eq(GP_PRACTICE_SETTING) & english
    allocated = frame["organisation_code"].isin(set(weighted["practice_code"]))
    kept = frame[gp | allocated].copy()
    kept = check_frame(_epraccur_schema, kept, EPRACCUR)
    _to_date(kept, ["open_date", "close_date"], EPRACCUR)
    early = kept["close_date"] < kept["open_date"]
    if early.any():
        row = early.idxmax()
        raise DataValidationError(
            EPRACCUR, "closed before it opened", row=int(row), field="close_date"
        )
    return kept


def _practice_codes(raw: RawFolder, weighted: pd.DataFrame) -> set[str]:
    """The codes of every practice in ``practices``."""
    return set(_read_register(raw, weighted)["organisation_code"]) | set(weighted["practice_code"])


# pcns -------------------------------------------------------------------------------------------

_caip_ods_schema = pa.DataFrameSchema(
    {
        "practice_code": pa.Column(str, pa.Check.str_matches(PRACTICE_CODE), unique=True),
        "practice_name": pa.Column(str),
        "pcn_code": pa.Column(str, pa.Check.str_matches(PCN_CODE)),
        "pcn_name": pa.Column(str),
        "icb_code": pa.Column(str, pa.Check.str_matches(ICB_ODS)),
    },
)

_pcns_schema = pa.DataFrameSchema(
    {
        "pcn_code": pa.Column(str, pa.Check.str_matches(PCN_CODE), unique=True),
        "pcn_name": pa.Column(str),
        "sub_icb_code": pa.Column(str, pa.Check.str_matches(SUB_ICB), nullable=True),
        "open_date": pa.Column("datetime64[us]", nullable=True),
        "close_date": pa.Column("datetime64[us]", nullable=True),
        "source": pa.Column(str, pa.Check.isin(["epcn", "caip_ods"])),
    },
    strict=True,
    ordered=True,
)

_epcn_pcn_schema = pa.DataFrameSchema(
    {
        "pcn_code": pa.Column(str, pa.Check.str_matches(PCN_CODE), unique=True),
        "pcn_name": pa.Column(str),
        "sub_icb_code": pa.Column(str, pa.Check.str_matches(SUB_ICB)),
        "open_date": pa.Column(str, pa.Check.str_matches(YYYYMMDD)),
        "close_date": pa.Column(str, pa.Check.str_matches(YYYYMMDD), nullable=True),
    },
    strict=True,
)


def _read_caip_ods(raw: RawFolder) -> pd.DataFrame:
    frame = raw.read_csv(CAIP_ODS)
    _require(frame, list(_caip_ods_schema.columns), CAIP_ODS)
    frame = frame[list(_caip_ods_schema.columns)].copy()
    frame = check_frame(_caip_ods_schema, frame, CAIP_ODS)
    first = frame.groupby("pcn_code")["pcn_name"].transform("first")
    renamed = frame["pcn_name"] != first
    if renamed.any():
        row = renamed.idxmax()
        raise DataValidationError(
            CAIP_ODS,
            f"PCN {frame.at[row, 'pcn_code']} has more than one name",
            row=int(row),
            field="pcn_name",
        )
    return frame


def build_pcns(raw: RawFolder, _tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    epcn = _read_excel(raw, EPCN_PCN_SHEET, EPCN_PCN_HEADERS)
    file = _sheet_file(EPCN_PCN_SHEET)
    with _published_names(EPCN_PCN_HEADERS):
        epcn = check_frame(_epcn_pcn_schema, epcn, file)
        _to_date(epcn, ["open_date", "close_date"], file)
    epcn["source"] = "epcn"

    caip = _read_caip_ods(raw)
    extra = caip[~caip["pcn_code"].isin(set(epcn["pcn_code"]))]
    extra = extra.drop_duplicates("pcn_code")[["pcn_code", "pcn_name"]].copy()
    extra["sub_icb_code"] = pd.Series(pd.NA, index=extra.index, dtype="str")
    for column in ["open_date", "close_date"]:
        extra[column] = pd.Series(pd.NaT, index=extra.index, dtype="datetime64[us]")
    extra["source"] = "caip_ods"
    extra.index = pd.Index([0] * len(extra))
    return pd.concat([epcn, extra])


pcns = register(
    Dataset(
        name="pcns",
        title="Primary Care Networks (NHS Digital ePCN, February 2023, with later CAIP codes)",
        sources=(EPCN, CAIP_ODS),
        schema=_pcns_schema,
        build=build_pcns,
        sort_by=("pcn_code",),
    )
)


# practice_pcn -----------------------------------------------------------------------------------

_practice_pcn_schema = pa.DataFrameSchema(
    {
        "practice_code": pa.Column(str, pa.Check.str_matches(PRACTICE_CODE), unique=True),
        "pcn_code": pa.Column(str, pa.Check.str_matches(PCN_CODE)),
        "source": pa.Column(str, pa.Check.isin(["epcn", "caip_ods"])),
    },
    strict=True,
    ordered=True,
)

_epcn_partner_schema = pa.DataFrameSchema(
    {
        "practice_code": pa.Column(str, pa.Check.str_matches(PRACTICE_CODE)),
        "partner_name": pa.Column(str),
        "pcn_code": pa.Column(str, pa.Check.str_matches(PCN_CODE)),
        "start_date": pa.Column(str, pa.Check.str_matches(YYYYMMDD)),
        "end_date": pa.Column(str, pa.Check.str_matches(YYYYMMDD), nullable=True),
    },
    strict=True,
)


def build_practice_pcn(raw: RawFolder, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    file = _sheet_file(EPCN_PARTNER_SHEET)
    partners = _read_excel(raw, EPCN_PARTNER_SHEET, EPCN_PARTNER_HEADERS)
    with _published_names(EPCN_PARTNER_HEADERS):
        partners = check_frame(_epcn_partner_schema, partners, file)
    current = partners[partners["end_date"].isna()]
    twice = current["practice_code"].duplicated()
    if twice.any():
        row = twice.idxmax()
        raise DataValidationError(
            file,
            f"{current.at[row, 'practice_code']} is a current member of two PCNs",
            row=int(row),
            field=EPCN_PARTNER_HEADERS["practice_code"],
        )
    # ePCN lists some services that are not GP practices as core partners (e.g. a violent
    # patient scheme); only partners that are practices of the practices table are kept.
    practices = _practice_codes(raw, tables["weighted_populations"])
    current = current[current["practice_code"].isin(practices)]
    epcn = current[["practice_code", "pcn_code"]].assign(source="epcn")

    caip = _read_caip_ods(raw)
    fallback = caip[
        caip["practice_code"].isin(practices)
        & ~caip["practice_code"].isin(set(epcn["practice_code"]))
    ]
    fallback = fallback[["practice_code", "pcn_code"]].assign(source="caip_ods")
    fallback.index = pd.Index([0] * len(fallback))
    return pd.concat([epcn, fallback])


practice_pcn = register(
    Dataset(
        name="practice_pcn",
        title="Current PCN of each GP practice (ePCN February 2023, CAIP 2023 where ePCN has none)",
        sources=(EPCN, CAIP_ODS, EPRACCUR),
        schema=_practice_pcn_schema,
        build=build_practice_pcn,
        depends=("pcns", "weighted_populations"),
        references=(Reference("pcn_code", "pcns", "pcn_code"),),
        sort_by=("practice_code",),
    )
)


# practices --------------------------------------------------------------------------------------

_practices_schema = pa.DataFrameSchema(
    {
        "practice_code": pa.Column(str, pa.Check.str_matches(PRACTICE_CODE), unique=True),
        "name": pa.Column(str),
        "postcode": pa.Column(str, nullable=True),
        "status": pa.Column(str, pa.Check.isin(list(STATUS.values()))),
        "open_date": pa.Column("datetime64[us]", nullable=True),
        "close_date": pa.Column("datetime64[us]", nullable=True),
        "sub_icb_code": pa.Column(str, pa.Check.str_matches(SUB_ICB), nullable=True),
        "pcn_code": pa.Column(str, pa.Check.str_matches(PCN_CODE), nullable=True),
        "in_weighted_populations_years": pa.Column(
            str, pa.Check.str_matches(r"^\d{4}/\d{2}(,\d{4}/\d{2})*$"), nullable=True
        ),
        "source": pa.Column(str, pa.Check.isin(["epraccur", "weighted_populations"])),
    },
    strict=True,
    ordered=True,
)


def build_practices(raw: RawFolder, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    weighted = tables["weighted_populations"]
    register_ = _read_register(raw, weighted)
    frame = pd.DataFrame(
        {
            "practice_code": register_["organisation_code"],
            "name": register_["name"],
            "postcode": register_["postcode"],
            "status": register_["status_code"].map(STATUS).astype("str"),
            "open_date": register_["open_date"],
            "close_date": register_["close_date"],
            "sub_icb_code": register_["commissioner"],
            "source": "epraccur",
        }
    )

    # Practices NHS England allocates to that opened after the epraccur extract: name and
    # postcode from their latest year in weighted_populations.
    latest = weighted.sort_values("year").drop_duplicates("practice_code", keep="last")
    later = latest[~latest["practice_code"].isin(set(frame["practice_code"]))]
    added = pd.DataFrame(
        {
            "practice_code": later["practice_code"].to_numpy(),
            "name": later["practice_name"].to_numpy(),
            "postcode": later["postcode"].to_numpy(),
            "status": STATUS["A"],
            "open_date": pd.Series(pd.NaT, index=range(len(later)), dtype="datetime64[us]"),
            "close_date": pd.Series(pd.NaT, index=range(len(later)), dtype="datetime64[us]"),
            "sub_icb_code": pd.Series(pd.NA, index=range(len(later)), dtype="str"),
            "source": "weighted_populations",
        },
        index=pd.Index([0] * len(later)),
    )
    frame = pd.concat([frame, added])

    years = weighted.groupby("practice_code")["year"].agg(lambda s: ",".join(sorted(set(s))))
    pcn = tables["practice_pcn"].set_index("practice_code")["pcn_code"]
    frame["pcn_code"] = frame["practice_code"].map(pcn).astype("str")
    frame["in_weighted_populations_years"] = frame["practice_code"].map(years).astype("str")
    return frame[list(_practices_schema.columns)]


def check_practices(frame: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> None:
    closed = frame["status"].eq("closed")
    dated = frame["close_date"].notna()
    if (closed != dated).any():
        row = (closed != dated).idxmax()
        raise DataValidationError(
            EPRACCUR,
            "status and close date disagree (closed practices have a close date)",
            row=int(row),
            field="close_date",
        )
    unknown = set(tables["practice_pcn"]["practice_code"]) - set(frame["practice_code"])
    if unknown:
        raise DataValidationError(
            EPCN,
            f"{len(unknown)} PCN members are not practices, e.g. {sorted(unknown)[0]}",
            field="practice_code",
        )
    allocated = set(tables["weighted_populations"]["practice_code"])
    missing = allocated - set(frame["practice_code"])
    if missing:
        raise DataValidationError(
            EPRACCUR,
            f"{len(missing)} allocated practices missing, e.g. {sorted(missing)[0]}",
            field="practice_code",
        )


practices = register(
    Dataset(
        name="practices",
        title="GP practices in England (ODS epraccur February 2023, with later allocated ones)",
        sources=(EPRACCUR,),
        schema=_practices_schema,
        build=build_practices,
        depends=("weighted_populations", "practice_pcn", "pcns"),
        references=(Reference("pcn_code", "pcns", "pcn_code"),),
        checks=(check_practices,),
        sort_by=("practice_code",),
    )
)


# practice_registrations_2023 --------------------------------------------------------------------

_registrations_schema = pa.DataFrameSchema(
    {
        "practice_code": pa.Column(str, pa.Check.str_matches(PRACTICE_CODE)),
        "sex": pa.Column(str, pa.Check.isin(list(SEXES))),
        "age_band": pa.Column(str, pa.Check.isin(list(AGE_BANDS))),
        "patients": pa.Column("int32", pa.Check.ge(0)),
    },
    unique=["practice_code", "sex", "age_band"],
    strict=True,
    ordered=True,
)


def _band_column(sex: str, band: str) -> str:
    return f"{SEXES[sex]}_patients_{AGE_BANDS[band]}"


def build_registrations(raw: RawFolder, _tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    bands = [_band_column(sex, band) for sex in SEXES for band in AGE_BANDS]
    totals = ["total_patients", "total_male", "total_female"]
    frame = raw.read_csv(CAIP_COMPARISON)
    _require(frame, ["practice_code", *totals, *bands], CAIP_COMPARISON)
    frame = frame[["practice_code", *totals, *bands]].copy()
    for column in frame.columns:
        empty = frame[column].isna()
        if empty.any():
            raise DataValidationError(
                CAIP_COMPARISON, "value is empty", row=int(empty.idxmax()), field=column
            )
    to_number(frame, [*totals, *bands], CAIP_COMPARISON, integer=True)

    # The published file repeats a few practices on identical rows; a repeat that differs is an
    # error.
    frame = frame.drop_duplicates()
    repeated = frame["practice_code"].duplicated()
    if repeated.any():
        row = repeated.idxmax()
        raise DataValidationError(
            CAIP_COMPARISON,
            f"practice {frame.at[row, 'practice_code']} appears twice with different values",
            row=int(row),
            field="practice_code",
        )

    # Published totals: the bands of each sex add up to that sex's total, and both to the total.
    for total, columns in [
        ("total_male", [_band_column("M", band) for band in AGE_BANDS]),
        ("total_female", [_band_column("F", band) for band in AGE_BANDS]),
        ("total_patients", bands),
    ]:
        summed = frame[columns].sum(axis=1)
        wrong = summed != frame[total]
        if wrong.any():
            row = wrong.idxmax()
            raise DataValidationError(
                CAIP_COMPARISON,
                f"the age bands add up to {int(summed[row]):,}, the published {total} is"
                f" {int(frame.at[row, total]):,}",
                row=int(row),
                field=total,
            )

    long = frame.melt(
        id_vars="practice_code",
        value_vars=bands,
        var_name="column",
        value_name="patients",
        ignore_index=False,
    )
    by_column = {_band_column(sex, band): (sex, band) for sex in SEXES for band in AGE_BANDS}
    long["sex"] = long["column"].map(lambda c: by_column[c][0]).astype("str")
    long["age_band"] = long["column"].map(lambda c: by_column[c][1]).astype("str")
    long["patients"] = long["patients"].astype("int32")
    order = {band: i for i, band in enumerate(AGE_BANDS)}
    long["_band"] = long["age_band"].map(order)
    long = long.sort_values(["practice_code", "sex", "_band"], kind="stable")
    return long[list(_registrations_schema.columns)]


practice_registrations_2023 = register(
    Dataset(
        name="practice_registrations_2023",
        title="Registered patients by practice, sex and age band, 2023 (GP Workforce, via CAIP)",
        sources=(CAIP_COMPARISON,),
        schema=_registrations_schema,
        build=build_registrations,
        depends=("practices",),
        references=(Reference("practice_code", "practices", "practice_code"),),
    )
)


# practice_imd2019 -------------------------------------------------------------------------------

_imd_schema = pa.DataFrameSchema(
    {
        "practice_code": pa.Column(str, pa.Check.str_matches(PRACTICE_CODE), unique=True),
        "imd2019_score": pa.Column(float, pa.Check.in_range(0, 100)),
    },
    strict=True,
    ordered=True,
)


def build_imd(raw: RawFolder, _tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    frame = raw.read_csv(FINGERTIPS)
    _require(frame, ["Indicator ID", "Area Code", "Area Type", "Value"], FINGERTIPS)
    other = frame["Indicator ID"] != FINGERTIPS_INDICATOR
    if other.any():
        row = other.idxmax()
        raise DataValidationError(
            FINGERTIPS,
            f"indicator {frame.at[row, 'Indicator ID']!r}, expected {FINGERTIPS_INDICATOR}",
            row=int(row),
            field="Indicator ID",
        )
    frame = frame[frame["Area Type"] == FINGERTIPS_GP_AREA]
    frame = frame[list(FINGERTIPS_HEADERS.values())].rename(
        columns={theirs: ours for ours, theirs in FINGERTIPS_HEADERS.items()}
    )
    with _published_names(FINGERTIPS_HEADERS):
        to_number(frame, ["imd2019_score"], FINGERTIPS)
        frame["imd2019_score"] = frame["imd2019_score"].astype(float)
        frame = check_frame(_imd_schema, frame, FINGERTIPS)
    return frame


practice_imd2019 = register(
    Dataset(
        name="practice_imd2019",
        title="IMD 2019 score of each GP practice's registered population (OHID Fingertips 93553)",
        sources=(FINGERTIPS,),
        schema=_imd_schema,
        build=build_imd,
        depends=("practices",),
        references=(Reference("practice_code", "practices", "practice_code"),),
        sort_by=("practice_code",),
    )
)
