"""The indicators whose variation placeworks shows, and the groupings it compares.

Each indicator has a stable ``id`` (used in URLs and on the command line): ``qof-<group>`` for
each QOF 2020-21 register in the shipped package (for example ``qof-hyp``, hypertension),
``imd-2019`` for the population-weighted IMD 2019 score, and ``health-index`` (with its three
domains) for the ONS Health Index.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from placeworks.data import load

GROUPINGS: tuple[tuple[str, str], ...] = (
    ("places", "Places"),
    ("localities", "Localities"),
    ("districts", "Districts"),
    ("neighbourhoods", "Neighbourhoods"),
    ("pcns", "Primary care networks"),
)
ALL_GROUPINGS = tuple(grouping for grouping, _ in GROUPINGS)
AREA_GROUPINGS = ("places", "localities", "districts")

POLARITIES = ("higher is worse", "higher is better", "no judgement")
KINDS = ("proportion", "score")

QOF_SOURCE = "NHS Digital, Quality and Outcomes Framework 2020-21, Open Government Licence v3.0"
IMD_SOURCE = (
    "MHCLG, English Indices of Deprivation 2019 (LSOA); OHID Fingertips 93553 (practices);"
    " ONS mid-2020 small-area population estimates; Open Government Licence v3.0"
)
HEALTH_INDEX_SOURCE = "ONS, Health Index for England 2015-2021, Open Government Licence v3.0"

# Short names for the QOF registers (the mapping file's descriptions name the indicator group).
QOF_NAMES = {
    "CHD": "Coronary heart disease",
    "OST": "Osteoporosis",
    "STIA": "Stroke and transient ischaemic attack",
    "DM": "Diabetes",
}

HEALTH_INDEX_SCORES = {
    "health-index": ("overall_score", "Health Index: overall score"),
    "health-index-people": ("healthy_people_domain_score", "Health Index: Healthy People"),
    "health-index-lives": ("healthy_lives_domain_score", "Health Index: Healthy Lives"),
    "health-index-places": ("healthy_places_domain_score", "Health Index: Healthy Places"),
}


@dataclass(frozen=True)
class IndicatorDefinition:
    """One indicator: what it measures, how it is shown and where it can be compared.

    ``kind`` is "proportion" (numerator over denominator, with Wilson limits) or "score" (a
    population-weighted mean, without limits). ``value_column`` names the source column (the
    QOF group code, or the Health Index score) and ``ages`` the QOF patient list the register
    is counted on ("all ages" or e.g. "aged 17+").
    """

    id: str
    name: str
    kind: str
    multiplier: int
    unit: str
    period: str
    source: str
    polarity: str
    groupings: tuple[str, ...]
    description: str = ""
    value_column: str = ""
    ages: str = ""


def _ages(list_type: str) -> str:
    return "all ages" if list_type == "TOTAL" else f"aged {int(list_type[:2])}+"


@cache
def catalogue() -> tuple[IndicatorDefinition, ...]:
    """Every indicator, QOF registers first (by name), then deprivation and the Health Index."""
    groups = load("qof_groups").set_index("group_code")
    registers = sorted(set(load("qof_prevalence_2021")["group_code"]))
    qof = []
    for code in registers:
        row = groups.loc[code]
        label = QOF_NAMES.get(code, str(row["group_description"]))
        ages = _ages(str(row["patient_list_type"]))
        qof.append(
            IndicatorDefinition(
                id=f"qof-{code.lower()}",
                name=f"{label}: recorded prevalence" + ("" if ages == "all ages" else f" ({ages})"),
                kind="proportion",
                multiplier=100,
                unit="%",
                period="2020/21",
                source=QOF_SOURCE,
                polarity="no judgement",
                groupings=ALL_GROUPINGS,
                description=(
                    f"Patients on the practices' {label.lower()} register at 31 March 2021 as"
                    f" a percentage of their registered patients ({ages}) at 1 January 2021."
                ),
                value_column=code,
                ages=ages,
            )
        )
    qof.sort(key=lambda d: d.name)
    others = [
        IndicatorDefinition(
            id="imd-2019",
            name="Deprivation: IMD 2019 score (population-weighted)",
            kind="score",
            multiplier=1,
            unit="score",
            period="2019",
            source=IMD_SOURCE,
            polarity="higher is worse",
            groupings=ALL_GROUPINGS,
            description=(
                "The Index of Multiple Deprivation 2019 score of an area's small areas weighted"
                " by their residents (mid-2020); for primary care networks, the IoD2019 score of"
                " their practices' registered patients weighted by list size."
            ),
            value_column="imd_score",
        ),
        *(
            IndicatorDefinition(
                id=key,
                name=name,
                kind="score",
                multiplier=1,
                unit="score",
                period="2021",
                source=HEALTH_INDEX_SOURCE,
                polarity="higher is better",
                groupings=AREA_GROUPINGS,
                description=(
                    "ONS Health Index (England 2015 = 100) of each district (LAD 2021); places"
                    " and localities take the mean of their small areas' district scores"
                    " weighted by residents. Yearly from 2015."
                ),
                value_column=column,
            )
            for key, (column, name) in HEALTH_INDEX_SCORES.items()
        ),
    ]
    return (*qof, *others)


def groupings() -> tuple[tuple[str, str], ...]:
    """The groupings an ICB's indicators can be compared across: (id, label)."""
    return GROUPINGS


def indicator(indicator_id: str) -> IndicatorDefinition:
    """The indicator with ``indicator_id``; a ValueError lists the valid ids otherwise."""
    for definition in catalogue():
        if definition.id == indicator_id:
            return definition
    valid = ", ".join(d.id for d in catalogue())
    raise ValueError(f"unknown indicator {indicator_id!r}; choose one of {valid}")
