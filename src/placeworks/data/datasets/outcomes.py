"""Health outcomes: QOF 2020-21 disease registers by practice and the ONS Health Index by LAD.

QOF. ``qof_prevalence_2021`` holds, for each practice and register (group), the number of
patients on the register and the practice list size for the register's patient list type
(``TOTAL`` or an age floor such as ``18OV``). ``qof_groups`` describes the 26 groups of the
indicator mapping, 21 of which have registers. Its ``patient_list_type`` is the one most of the
group's indicators use: asthma and diabetes each have one indicator on the ``TOTAL`` list, but
their registers are counted on ``06OV`` and ``17OV``. The build checks that every register row
uses its group's list type.

A register can exceed its list size: the register is counted at 31 March and the list size on
1 January. This happens once in 2020-21, for practice Y05750 (David Lewis Medical Practice,
which serves a residential centre for people with epilepsy and learning disabilities): 137
patients on the learning disability register against a list of 132. The build allows exactly
the exceptions in ``REGISTER_ABOVE_LIST`` and fails on any other.

Health Index. ONS Health Index for England 2015-2021 for the 307 LAD 2021 it covers (the Isles
of Scilly and the City of London are not published separately). ``health_index_lad21`` has the
overall score, the three domain scores and the fourteen sub-domain scores, snake_case:
healthy people (difficulties_in_daily_life, mental_health, mortality, personal_well_being,
physical_health_conditions), healthy lives (behavioural_risk_factors, children_and_young_people,
physiological_risk_factors, protective_measures) and healthy places (access_to_green_space,
access_to_services, crime, economic_and_working_conditions, living_conditions). 100 is England
in 2015; higher is healthier. ``health_index_indicators_lad21`` holds the 56 indicator values
behind them, one row per LAD, year and indicator.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pandera.pandas as pa

from placeworks.data.errors import DataValidationError
from placeworks.data.raw import RawFolder, require_columns, to_typed
from placeworks.data.registry import PRACTICE_CODE, Dataset, Reference, register
from placeworks.data.validate import check_frame

PREVALENCE = "qof/PREVALENCE_2021_v2.csv"
MAPPING = "qof/MAPPING_INDICATORS_2021_v2.csv"
HEALTH_INDEX = "health/england_health_index.csv"
SUBDOMAINS = "health/england_health_index_subdomains.csv"
INDICATORS = "health/england_health_index_indicators.csv"

GROUP_CODE = r"^[A-Z]{2,5}$"
LIST_TYPE = r"^(TOTAL|\d{2}OV)$"
LAD21 = r"^E0[6-9]\d{6}$"  # unitary, non-metropolitan, metropolitan district, London borough

QOF_PRACTICES = 6_571
REGISTER_ABOVE_LIST = {("Y05750", "LD")}  # see the module docstring

HEALTH_INDEX_LADS = 307
HEALTH_INDEX_YEARS = tuple(range(2015, 2022))
HEALTH_INDEX_INDICATORS = 56
DOMAIN_SCORES = [
    "overall_score",
    "healthy_people_domain_score",
    "healthy_lives_domain_score",
    "healthy_places_domain_score",
]
SUBDOMAIN_HEADERS = [
    "Difficulties in daily life",
    "Mental health",
    "Mortality",
    "Personal well-being",
    "Physical health conditions",
    "Behavioural risk factors",
    "Children and young people",
    "Physiological risk factors",
    "Protective measures",
    "Access to green space",
    "Access to services",
    "Crime",
    "Economic and working conditions",
    "Living conditions",
]


def snake_case(name: str) -> str:
    """'Personal well-being' -> 'personal_well_being'."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


SUBDOMAINS_SNAKE = {header: snake_case(header) for header in SUBDOMAIN_HEADERS}


# --- reading helpers --------------------------------------------------------------------------


def _fail_at(file: str, frame: pd.DataFrame, bad: np.ndarray, field: str, message: str) -> None:
    if bad.any():
        row = frame.index[bad.argmax()]
        raise DataValidationError(
            file, f"{message} ({int(bad.sum())} rows)", row=int(row), field=field
        )


# --- QOF groups -------------------------------------------------------------------------------

groups_schema = pa.DataFrameSchema(
    {
        "group_code": pa.Column(str, pa.Check.str_matches(GROUP_CODE)),
        "group_description": pa.Column(str),
        "domain": pa.Column(str),
        "patient_list_type": pa.Column(str, pa.Check.str_matches(LIST_TYPE)),
    },
    unique=["group_code"],
    strict=True,
    ordered=True,
)


def build_groups(raw: RawFolder, _tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    columns = ["GROUP_CODE", "GROUP_DESCRIPTION", "DOMAIN_DESCRIPTION", "PATIENT_LIST_TYPE"]
    frame = raw.read_csv(MAPPING)
    require_columns(frame, MAPPING, columns)
    frame = frame[columns]
    for column in columns:
        _fail_at(MAPPING, frame, frame[column].isna().to_numpy(), column, "value missing")
    grouped = frame.groupby("GROUP_CODE", sort=False)
    for column in ("GROUP_DESCRIPTION", "DOMAIN_DESCRIPTION"):
        first = grouped[column].transform("first")
        _fail_at(
            MAPPING,
            frame,
            (frame[column] != first).to_numpy(),
            column,
            "differs from the group's first indicator",
        )
    # The list type most of the group's indicators use; a tie would be ambiguous.
    counts = frame.groupby(["GROUP_CODE", "PATIENT_LIST_TYPE"], sort=False).size()
    counts = counts.sort_values(ascending=False, kind="stable")
    top = counts.groupby(level=0, sort=False).head(2)
    list_types: dict[str, str] = {}
    for group, chosen in top.groupby(level=0, sort=False):
        if len(chosen) == 2 and chosen.iloc[0] == chosen.iloc[1]:
            bad = (frame["GROUP_CODE"] == group).to_numpy()
            _fail_at(
                MAPPING,
                frame,
                bad,
                "PATIENT_LIST_TYPE",
                f"group {group} has no single most used patient list type",
            )
        list_types[group] = chosen.index[0][1]
    first = frame.drop_duplicates("GROUP_CODE")
    return pd.DataFrame(
        {
            "group_code": first["GROUP_CODE"],
            "group_description": first["GROUP_DESCRIPTION"],
            "domain": first["DOMAIN_DESCRIPTION"],
            "patient_list_type": first["GROUP_CODE"].map(list_types),
        },
        index=first.index,
    )


qof_groups = register(
    Dataset(
        name="qof_groups",
        title="Quality and Outcomes Framework 2020-21: indicator groups (registers), domain and"
        " patient list type",
        sources=(MAPPING,),
        schema=groups_schema,
        build=build_groups,
        sort_by=("group_code",),
    )
)


# --- QOF prevalence -----------------------------------------------------------------------------

prevalence_schema = pa.DataFrameSchema(
    {
        "practice_code": pa.Column(str, pa.Check.str_matches(PRACTICE_CODE)),
        "group_code": pa.Column(str, pa.Check.str_matches(GROUP_CODE)),
        "register": pa.Column("int32", pa.Check.ge(0)),
        "patient_list_type": pa.Column(str, pa.Check.str_matches(LIST_TYPE)),
        "list_size": pa.Column("int32", pa.Check.gt(0)),
    },
    unique=["practice_code", "group_code"],
    strict=True,
    ordered=True,
)

PREVALENCE_COLUMNS = {
    "PRACTICE_CODE": "practice_code",
    "GROUP_CODE": "group_code",
    "REGISTER": "register",
    "PATIENT_LIST_TYPE": "patient_list_type",
    "PRACTICE_LIST_SIZE": "list_size",
}


def build_prevalence(raw: RawFolder, _tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    frame = raw.read_csv(PREVALENCE)
    require_columns(frame, PREVALENCE, list(PREVALENCE_COLUMNS))
    frame = to_typed(
        frame[list(PREVALENCE_COLUMNS)].copy(),
        PREVALENCE,
        {"REGISTER": "int32", "PRACTICE_LIST_SIZE": "int32"},
    )
    return frame.rename(columns=PREVALENCE_COLUMNS)


def _check_prevalence(frame: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> None:
    practices = frame["practice_code"].nunique()
    if practices != QOF_PRACTICES:
        raise DataValidationError(
            PREVALENCE,
            f"{practices:,} practices, expected {QOF_PRACTICES:,}",
            field="PRACTICE_CODE",
        )
    pairs = pd.MultiIndex.from_frame(frame[["practice_code", "group_code"]])
    above = (frame["register"] > frame["list_size"]).to_numpy()
    allowed = pairs.isin(list(REGISTER_ABOVE_LIST))
    _fail_at(PREVALENCE, frame, above & ~allowed, "REGISTER", "register exceeds the list size")
    missing = sorted(REGISTER_ABOVE_LIST - set(pairs[above]))
    if missing:
        raise DataValidationError(
            PREVALENCE,
            f"expected exception {missing[0]} is gone: remove it from REGISTER_ABOVE_LIST",
            field="REGISTER",
        )
    # A practice has one list size per patient list type.
    sizes = frame.groupby(["practice_code", "patient_list_type"])["list_size"].transform("nunique")
    _fail_at(
        PREVALENCE,
        frame,
        (sizes > 1).to_numpy(),
        "PRACTICE_LIST_SIZE",
        "list size differs between registers of the same practice and list type",
    )
    # Every register is counted on its group's patient list type.
    groups = tables["qof_groups"].set_index("group_code")["patient_list_type"]
    expected = frame["group_code"].map(groups)
    _fail_at(
        PREVALENCE,
        frame,
        (frame["patient_list_type"] != expected).to_numpy(),
        "PATIENT_LIST_TYPE",
        f"differs from the group's list type in {MAPPING}",
    )


qof_prevalence_2021 = register(
    Dataset(
        name="qof_prevalence_2021",
        title="Quality and Outcomes Framework 2020-21: disease register and list size by"
        " practice and group",
        sources=(PREVALENCE,),
        schema=prevalence_schema,
        build=build_prevalence,
        depends=("qof_groups",),
        references=(Reference("group_code", "qof_groups", "group_code"),),
        checks=(_check_prevalence,),
        sort_by=("practice_code", "group_code"),
    )
)


# --- Health Index -----------------------------------------------------------------------------

KEY = ["ltla21_code", "year"]
YEAR = pa.Column("int16", pa.Check.isin(list(HEALTH_INDEX_YEARS)))

health_index_schema = pa.DataFrameSchema(
    {
        "ltla21_code": pa.Column(str, pa.Check.str_matches(LAD21)),
        "year": YEAR,
        **{name: pa.Column("float32", pa.Check.gt(0)) for name in DOMAIN_SCORES},
        **{name: pa.Column("float32", pa.Check.gt(0)) for name in SUBDOMAINS_SNAKE.values()},
    },
    unique=KEY,
    strict=True,
    ordered=True,
)

_subdomain_schema = pa.DataFrameSchema(
    {"ltla21_code": pa.Column(str, pa.Check.str_matches(LAD21)), "year": YEAR},
    unique=KEY,
)


def _complete_grid(file: str, frame: pd.DataFrame, per_cell: int = 1) -> None:
    """Every LAD has every year (and, for indicators, every indicator)."""
    lads = frame["ltla21_code"].nunique()
    expected = HEALTH_INDEX_LADS * len(HEALTH_INDEX_YEARS) * per_cell
    if lads != HEALTH_INDEX_LADS or len(frame) != expected:
        raise DataValidationError(
            file,
            f"{len(frame):,} rows for {lads} LADs, expected {expected:,} for"
            f" {HEALTH_INDEX_LADS} LADs, years {HEALTH_INDEX_YEARS[0]}-{HEALTH_INDEX_YEARS[-1]}",
        )


def build_health_index(raw: RawFolder, _tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    frame = raw.read_csv(HEALTH_INDEX)
    require_columns(frame, HEALTH_INDEX, [*KEY, *DOMAIN_SCORES])
    frame = to_typed(
        frame[[*KEY, *DOMAIN_SCORES]].copy(),
        HEALTH_INDEX,
        {"year": "int16", **dict.fromkeys(DOMAIN_SCORES, "float32")},
    )

    sub = raw.read_csv(SUBDOMAINS)
    require_columns(sub, SUBDOMAINS, [*KEY, *SUBDOMAIN_HEADERS])
    sub = to_typed(
        sub[[*KEY, *SUBDOMAIN_HEADERS]].copy(),
        SUBDOMAINS,
        {"year": "int16", **dict.fromkeys(SUBDOMAIN_HEADERS, "float32")},
    )
    sub = check_frame(_subdomain_schema, sub, SUBDOMAINS)
    _complete_grid(SUBDOMAINS, sub)

    keys = pd.MultiIndex.from_frame(frame[KEY])
    sub_keys = pd.MultiIndex.from_frame(sub[KEY])
    _fail_at(
        SUBDOMAINS, sub, ~sub_keys.isin(keys), "ltla21_code", f"LAD and year not in {HEALTH_INDEX}"
    )
    _fail_at(
        HEALTH_INDEX,
        frame,
        ~keys.isin(sub_keys),
        "ltla21_code",
        f"LAD and year not in {SUBDOMAINS}",
    )
    aligned = sub.set_index(KEY).reindex(keys)
    for header, name in SUBDOMAINS_SNAKE.items():
        frame[name] = aligned[header].to_numpy()
    return frame


def _check_health_index(frame: pd.DataFrame, _tables: Mapping[str, pd.DataFrame]) -> None:
    _complete_grid(HEALTH_INDEX, frame)


health_index_lad21 = register(
    Dataset(
        name="health_index_lad21",
        title="ONS Health Index for England 2015-2021: overall, domain and sub-domain scores"
        " by LAD 2021",
        sources=(HEALTH_INDEX, SUBDOMAINS),
        schema=health_index_schema,
        build=build_health_index,
        checks=(_check_health_index,),
        sort_by=("ltla21_code", "year"),
    )
)

indicators_schema = pa.DataFrameSchema(
    {
        "ltla21_code": pa.Column(str, pa.Check.str_matches(LAD21)),
        "year": YEAR,
        "indicator": pa.Column(str, pa.Check.str_length(min_value=1)),
        "value": pa.Column("float32"),
    },
    unique=[*KEY, "indicator"],
    strict=True,
    ordered=True,
)


def build_indicators(raw: RawFolder, _tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    frame = raw.read_csv(INDICATORS)
    columns = [*KEY, "indicator", "value"]
    require_columns(frame, INDICATORS, columns)
    frame = frame[columns].copy()
    _fail_at(INDICATORS, frame, frame["indicator"].isna().to_numpy(), "indicator", "value missing")
    return to_typed(frame, INDICATORS, {"year": "int16", "value": "float32"})


def _check_indicators(frame: pd.DataFrame, _tables: Mapping[str, pd.DataFrame]) -> None:
    indicators = frame["indicator"].nunique()
    if indicators != HEALTH_INDEX_INDICATORS:
        raise DataValidationError(
            INDICATORS,
            f"{indicators} indicators, expected {HEALTH_INDEX_INDICATORS}",
            field="indicator",
        )
    _complete_grid(INDICATORS, frame, HEALTH_INDEX_INDICATORS)


health_index_indicators_lad21 = register(
    Dataset(
        name="health_index_indicators_lad21",
        title="ONS Health Index for England 2015-2021: indicator values by LAD 2021",
        sources=(INDICATORS,),
        schema=indicators_schema,
        build=build_indicators,
        depends=("health_index_lad21",),
        references=(Reference("ltla21_code", "health_index_lad21", "ltla21_code"),),
        checks=(_check_indicators,),
        sort_by=("ltla21_code", "year", "indicator"),
    )
)
