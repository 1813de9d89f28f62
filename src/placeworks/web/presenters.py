"""What the pages show, worked out from the geography API's objects.

Presenters are small and pure: no Django, no database, no I/O. Views build them and hand them to
templates, which only lay them out. Numbers are formatted here, once, so every page agrees.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from placeworks.geography import IcbSummary, Level, Node

NOT_AVAILABLE = "–"

LEVEL_LABELS = {
    Level.ICB: "ICB",
    Level.PLACE: "Place",
    Level.LOCALITY: "Locality",
    Level.DISTRICT: "District",
    Level.NEIGHBOURHOOD: "Neighbourhood",
    Level.PCN: "PCN",
    Level.PRACTICE: "Practice",
}

# What the geography's flags mean, for people. An unknown flag is shown as it is.
FLAG_TEXT = {
    "part-of-district": "Only part of this district is in the ICB.",
    "outside-icb-area": "The practice stands outside the ICB's area.",
    "pcn-spans-places": "The PCN's practices are in more than one place.",
    "no-pcn": "The practice is in no PCN.",
}

# The levels the ICB page lists as rows; PCNs and practices are only counted.
LISTED_LEVELS = frozenset({Level.PLACE, Level.LOCALITY, Level.DISTRICT, Level.NEIGHBOURHOOD})


def format_count(value: float | int | None) -> str:
    """A whole number with thousands separators: ``1234567.4`` -> ``"1,234,567"``."""
    if value is None:
        return NOT_AVAILABLE
    return f"{round(value):,}"


def format_score(value: float | None) -> str:
    """An IMD score to one decimal place."""
    if value is None:
        return NOT_AVAILABLE
    return f"{value:.1f}"


def describe_flags(flags: Iterable[str]) -> tuple[str, ...]:
    return tuple(FLAG_TEXT.get(flag, flag) for flag in flags)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    word = singular if count == 1 else (plural_form or f"{singular}s")
    return f"{count:,} {word}"


# --- the year selector -----------------------------------------------------------------------


@dataclass(frozen=True)
class YearChoice:
    """The year a page shows, from ``?year=``, and the options of its selector form."""

    years: tuple[str, ...]
    selected: str
    requested: str | None = None

    @classmethod
    def from_query(cls, requested: str | None, years: Sequence[str], default: str) -> YearChoice:
        """Pick the requested year if it is one of ``years``; otherwise ``default``."""
        requested = requested.strip() if requested else None
        selected = requested if requested in years else default
        return cls(years=tuple(years), selected=selected, requested=requested)

    @property
    def error(self) -> str | None:
        """Why the requested year was not shown, if it was not."""
        if self.requested and self.requested != self.selected:
            return (
                f"{self.requested} is not available; showing {self.selected}. "
                f"Choose one of {', '.join(self.years)}."
            )
        return None

    @property
    def query(self) -> str:
        """The query string that keeps this year on a link: ``?year=2025%2F26``."""
        return "?" + urlencode({"year": self.selected})

    def select_params(self) -> dict:
        """Parameters for the NHS.UK ``select`` macro."""
        params: dict = {
            "id": "year",
            "name": "year",
            "label": {"text": "Financial year"},
            "items": [
                {"value": year, "text": year, "selected": year == self.selected}
                for year in self.years
            ],
        }
        if self.error:
            params["errorMessage"] = {"text": self.error}
        return params


# --- the list of ICBs ------------------------------------------------------------------------


@dataclass(frozen=True)
class IcbRow:
    code: str
    name: str
    region: str
    practices: str
    registered_population: str
    practices_value: int
    registered_population_value: int


@dataclass(frozen=True)
class IcbListPage:
    """Every ICB of a year, by name."""

    rows: tuple[IcbRow, ...]
    year: YearChoice
    total_practices: str
    total_registered_population: str

    @classmethod
    def build(cls, summaries: Iterable[IcbSummary], year: YearChoice) -> IcbListPage:
        ordered = sorted(summaries, key=lambda s: (s.name.casefold(), s.code))
        rows = tuple(
            IcbRow(
                code=s.code,
                name=s.name,
                region=s.region_name,
                practices=format_count(s.practices),
                registered_population=format_count(s.registered_population),
                practices_value=s.practices,
                registered_population_value=round(s.registered_population),
            )
            for s in ordered
        )
        return cls(
            rows=rows,
            year=year,
            total_practices=format_count(sum(s.practices for s in ordered)),
            total_registered_population=format_count(sum(s.registered_population for s in ordered)),
        )

    @property
    def count(self) -> str:
        return plural(len(self.rows), "integrated care board")


# --- one ICB ---------------------------------------------------------------------------------


def pcn_count(node: Node) -> int:
    """How many distinct PCNs are in the tree under ``node``."""
    return len({n.code for n in node.walk() if n.level is Level.PCN})


@dataclass(frozen=True)
class AreaRow:
    """One place, locality, district or neighbourhood of an ICB's tree."""

    code: str
    name: str
    level: str
    depth: int
    resident_population: str
    registered_population: str
    pcns: str
    practices: str
    imd_score: str
    flags: tuple[str, ...]

    @property
    def is_place(self) -> bool:
        """Whether the row is a place, whose deal has its own page."""
        return self.level == LEVEL_LABELS[Level.PLACE]

    @property
    def indent(self) -> int:
        """The NHS.UK spacing unit (0 to 9) to indent the row's name by, for its depth."""
        return INDENTS[min(self.depth, len(INDENTS) - 1)]


# Left padding by depth, in NHS.UK spacing units (0, 24px, 40px, 56px, 64px).
INDENTS = (0, 4, 6, 8, 9)


def area_rows(root: Node) -> tuple[AreaRow, ...]:
    """The area levels under ``root`` (not ``root`` itself), depth first, indented by depth.

    PCNs and practices are not rows: they are counted on the rows above them.
    """
    rows: list[AreaRow] = []

    def visit(node: Node, depth: int) -> None:
        for child in node.children:
            if child.level not in LISTED_LEVELS:
                continue
            rows.append(
                AreaRow(
                    code=child.code,
                    name=child.name,
                    level=LEVEL_LABELS[child.level],
                    depth=depth,
                    resident_population=format_count(child.resident_population),
                    registered_population=format_count(child.registered_population),
                    pcns=format_count(pcn_count(child)),
                    practices=format_count(child.practices),
                    imd_score=format_score(child.imd_score),
                    flags=describe_flags(child.flags),
                )
            )
            visit(child, depth + 1)

    visit(root, 0)
    return tuple(rows)


@dataclass(frozen=True)
class DefinitionSource:
    """Where an ICB's places come from: the partnership's stored definition, or placeworks'."""

    kind: str  # "stored", "shipped" or "default"
    detail: str | None = None
    updated_at: datetime | None = None
    updated_by: str | None = None
    problem: str | None = None

    @classmethod
    def stored(cls, updated_at: datetime, updated_by: str | None) -> DefinitionSource:
        return cls(kind="stored", updated_at=updated_at, updated_by=updated_by)

    @classmethod
    def shipped(cls, source: str | None, problem: str | None = None) -> DefinitionSource:
        return cls(kind="shipped", detail=source, problem=problem)

    @classmethod
    def default(cls, problem: str | None = None) -> DefinitionSource:
        return cls(kind="default", problem=problem)

    @property
    def text(self) -> str:
        if self.kind == "stored":
            when = (
                f"{self.updated_at.day} {self.updated_at:%B %Y}"
                if self.updated_at
                else "on an unknown date"
            )
            who = f" by {self.updated_by}" if self.updated_by else ""
            return (
                f"Places and localities are this partnership's own definition, updated {when}{who}."
            )
        if self.kind == "shipped":
            source = f" Source: {self.detail.strip()}." if self.detail else ""
            return f"Places and localities are the definition shipped with placeworks.{source}"
        return (
            "This ICB has no stored definition of its places, so each place is an upper-tier"
            " local authority (a county council or unitary authority) inside the ICB."
        )


@dataclass(frozen=True)
class SummaryItem:
    key: str
    value: str


@dataclass(frozen=True)
class IcbPage:
    """One ICB's tree of places, localities, districts and neighbourhoods, with its figures."""

    code: str
    name: str
    region: str | None
    year: YearChoice
    rows: tuple[AreaRow, ...]
    summary: tuple[SummaryItem, ...]
    definition: DefinitionSource
    flags: tuple[str, ...]

    @classmethod
    def build(
        cls,
        tree: Node,
        year: YearChoice,
        definition: DefinitionSource,
        summary: IcbSummary | None = None,
    ) -> IcbPage:
        if tree.level is not Level.ICB:
            raise ValueError(f"expected an ICB node, got {tree.level.value} {tree.code}")
        counts = {
            level: sum(1 for n in tree.walk() if n.level is level)
            for level in (Level.PLACE, Level.LOCALITY, Level.DISTRICT, Level.NEIGHBOURHOOD)
        }
        items = [
            SummaryItem("ODS code", tree.code),
            SummaryItem("Region", summary.region_name if summary else NOT_AVAILABLE),
            SummaryItem("Financial year", year.selected),
            SummaryItem("Places", format_count(counts[Level.PLACE])),
        ]
        optional = ((Level.LOCALITY, "Localities"), (Level.NEIGHBOURHOOD, "Neighbourhoods"))
        for level, label in optional:
            if counts[level]:
                items.append(SummaryItem(label, format_count(counts[level])))
        items += [
            SummaryItem("Districts", format_count(counts[Level.DISTRICT])),
            SummaryItem("Resident population", format_count(tree.resident_population)),
            SummaryItem("Registered population", format_count(tree.registered_population)),
            SummaryItem("Primary care networks", format_count(pcn_count(tree))),
            SummaryItem("GP practices", format_count(tree.practices)),
            SummaryItem("IMD score (population-weighted)", format_score(tree.imd_score)),
        ]
        return cls(
            code=tree.code,
            name=tree.name,
            region=summary.region_name if summary else None,
            year=year,
            rows=area_rows(tree),
            summary=tuple(items),
            definition=definition,
            flags=describe_flags(tree.flags),
        )

    @property
    def place_names(self) -> tuple[str, ...]:
        return tuple(row.name for row in self.rows if row.level == LEVEL_LABELS[Level.PLACE])

    @property
    def data_notes(self) -> tuple[str, ...]:
        return (
            "Resident population: ONS population estimates for the small areas (LSOA 2021) that"
            " make up each area.",
            f"Registered population and practices: NHS England's GP practice populations for"
            f" {self.year.selected}. Patients are counted where their practice is, so the"
            " registered and resident populations of an area differ.",
            "IMD score: the English Index of Multiple Deprivation score, weighted by population;"
            " a higher score means more deprived. Scores of different editions of the Indices"
            " do not compare.",
            "PCNs and practices are counted under the area their practice is in.",
        )
