"""What the allocation page shows: the form with its errors, each scenario's table, the comparison,
who gains and who loses, the convergence path and the warnings.

Like :mod:`placeworks.web.presenters`, these are small and pure: no Django, no database, no I/O.
Money, percentages and indices are formatted here, once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from urllib.parse import urlencode

from placeworks.allocation import (
    Allocation,
    Blend,
    Comparison,
    Convergence,
    Function,
    Historic,
    Method,
    Need,
    Population,
)
from placeworks.web.allocation_form import (
    BASES,
    METHODS,
    NO_SCENARIO,
    WEIGHTS,
    AllocationForm,
    FieldError,
    Scenario,
    ScenarioFields,
)
from placeworks.web.baselines.options import BaselineOption
from placeworks.web.presenters import NOT_AVAILABLE, format_count, plural

PENNY = Decimal("0.01")
ILLUSTRATIVE = "ILLUSTRATIVE"

GROUPING_LABELS = {
    "places": "Places",
    "localities": "Localities, within places",
    "districts": "Districts, within localities",
    "neighbourhoods": "Neighbourhoods, within localities",
    "pcns": "Primary care networks",
}
LEVEL_LABELS = {
    "place": "Place",
    "locality": "Locality",
    "district": "District",
    "neighbourhood": "Neighbourhood",
    "pcn": "PCN",
}
METHOD_LABELS = {
    NO_SCENARIO: "No scenario",
    "population": "Population",
    "need": "Need",
    "historic": "Historic",
    "blend": "Blend",
    "convergence": "Convergence",
}
METHOD_NOTES = {
    "population": "Shared by head of population: registered patients, or residents for groups"
    " made of areas (not PCNs).",
    "need": "Shared by the function's weighted population (NHS England's need formulae).",
    "historic": "Each former CCG's baseline, spread over its practices by registered patients"
    " and summed by group.",
    "blend": "A weighted sum of the historic, population and need shares; the weights add up to 1.",
    "convergence": "Year 1 moves from the historic baseline towards need: every group gets the"
    " same proportion of its need target, its growth per head held between the floor and the"
    " cap. Later years grow the envelope by the uplift and move on.",
}
BASIS_LABELS = {"registered": "registered patients", "resident": "residents"}


# --- numbers ---------------------------------------------------------------------------------


def format_money(value: Decimal) -> str:
    """Pounds and pence with thousands separators: ``-1234.5`` -> ``"-£1,234.50"``."""
    value = value.quantize(PENNY, ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"


def format_change(value: Decimal) -> str:
    """A change in pounds, signed: ``"+£9,301.06"``, ``"-£6,227.07"``, ``"£0.00"``."""
    value = value.quantize(PENNY, ROUND_HALF_UP)
    return f"+{format_money(value)}" if value > 0 else format_money(value)


def format_percent(value: Decimal | None, *, signed: bool = False) -> str:
    """A percentage to two decimals: ``"1.38%"``, or ``"+1.38%"`` when ``signed``."""
    if value is None:
        return NOT_AVAILABLE
    value = value.quantize(PENNY, ROUND_HALF_UP) + 0  # never "-0.00"
    sign = "+" if signed and value > 0 else ""
    return f"{sign}{value:,.2f}%"


def format_index(value: Decimal | None) -> str:
    """A need index to three decimals: ``"1.246"``."""
    if value is None:
        return NOT_AVAILABLE
    return f"{value.quantize(Decimal('0.001'), ROUND_HALF_UP):.3f}"


def format_share(value: Fraction) -> str:
    """An exact share as a percentage to two decimals: ``Fraction(1, 3)`` -> ``"33.33%"``."""
    percent = Decimal(value.numerator) * 100 / Decimal(value.denominator)
    return format_percent(percent)


def plain_percent(value: Decimal) -> str:
    """A fraction as a percentage with no needless digits: ``0.025`` -> ``"2.5%"``."""
    text = f"{value * 100:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def financial_year(first: str, offset: int) -> str:
    """The financial year ``offset`` years after ``first``: ``("2025/26", 2)`` -> ``"2027/28"``."""
    start = int(first[:4]) + offset
    return f"{start}/{(start + 1) % 100:02d}"


# --- describing what was asked for -----------------------------------------------------------


def baseline_label(option: BaselineOption) -> str:
    """How a baseline is named wherever it appears; an illustrative one says so first."""
    label = f"{option.name} ({option.source})"
    return f"{ILLUSTRATIVE}: {label}" if option.illustrative else label


def describe_method(
    method: Method, *, function: Function, baseline: BaselineOption | None = None
) -> str:
    """One line saying what a scenario does."""
    history = baseline_label(baseline) if baseline else "the historic baseline"
    if isinstance(method, Population):
        return f"Population: shared by {BASIS_LABELS[method.basis]}"
    if isinstance(method, Need):
        return f"Need: shared by the {function.title.lower()} weighted population"
    if isinstance(method, Historic):
        return f"Historic: {history}"
    if isinstance(method, Blend):
        parts = (
            f"{plain_percent(method.historic)} historic",
            f"{plain_percent(method.population)} population ({BASIS_LABELS[method.basis]})",
            f"{plain_percent(method.need)} need",
        )
        uses = f"; baseline {history}" if method.historic else ""
        return f"Blend: {', '.join(parts)}{uses}"
    if isinstance(method, Convergence):
        return (
            f"Convergence from {history} towards need over {plural(method.years, 'year')}:"
            f" uplift {plain_percent(method.uplift)}, floor {plain_percent(method.floor)},"
            f" cap {plain_percent(method.cap)} a year (year 1 shown)"
        )
    raise TypeError(f"unknown method {method!r}")  # pragma: no cover


# --- the form --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormView:
    """The allocation form with its choices and errors, as NHS.UK macro parameters."""

    form: AllocationForm
    errors: tuple[FieldError, ...]
    years: tuple[str, ...]
    groupings: tuple[str, ...]
    functions: tuple[Function, ...]
    baselines: tuple[BaselineOption, ...]

    def error(self, field_id: str) -> str | None:
        return next((e.message for e in self.errors if e.field == field_id), None)

    def _with_error(self, params: dict, field_id: str) -> dict:
        message = self.error(field_id)
        if message:
            params["errorMessage"] = {"text": message}
        return params

    def _select(self, field_id: str, label: str, items: list[tuple[str, str]], value: str, **more):
        params = {
            "id": field_id,
            "name": field_id,
            "label": {"text": label},
            "items": [{"value": v, "text": t, "selected": v == value} for v, t in items],
            **more,
        }
        return self._with_error(params, field_id)

    def year_params(self) -> dict:
        items = [(year, year) for year in self.years]
        return self._select("year", "Financial year", items, self.form.year)

    def grouping_params(self) -> dict:
        items = [(g, GROUPING_LABELS.get(g, g)) for g in self.groupings]
        return self._select(
            "grouping",
            "Share between",
            items,
            self.form.grouping,
            hint={"text": "Finer groups are shared top-down, so they add up to the coarser ones."},
        )

    def function_params(self) -> dict:
        items = [
            (f.code, f"{f.title} (no national model)" if f.policy else f.title)
            for f in self.functions
        ]
        return self._select("function", "Delegated function", items, self.form.function)

    @property
    def policy_notes(self) -> tuple[tuple[str, str], ...]:
        """The functions with no national model, and what placeworks does instead."""
        return tuple((f.title, f.note or "") for f in self.functions if f.policy)

    def envelope_params(self) -> dict:
        params = {
            "id": "envelope",
            "name": "envelope",
            "label": {"text": "Envelope"},
            "hint": {"text": "The budget to share, in pounds, for example 250,000,000"},
            "prefix": "£",
            "value": self.form.envelope,
            "inputmode": "decimal",
            "spellcheck": False,
            "autocomplete": "off",
            "classes": "nhsuk-input--width-10",
        }
        return self._with_error(params, "envelope")

    def baseline_params(self) -> dict:
        items = [(o.value, baseline_label(o)) for o in self.baselines]
        if not items:
            items = [("", "None yet: upload one below")]
        return self._select(
            "baseline",
            "Historic baseline",
            items,
            self.form.baseline,
            hint={
                "text": "Budgets by former CCG area, used by the historic, blend and"
                " convergence methods."
            },
            classes="nhsuk-u-width-full",
        )

    @property
    def method_notes(self) -> tuple[tuple[str, str], ...]:
        return tuple((METHOD_LABELS[m], METHOD_NOTES[m]) for m in METHODS)

    @property
    def scenarios(self) -> tuple[ScenarioFormView, ...]:
        return tuple(ScenarioFormView(s, self) for s in self.form.scenarios)

    def error_list(self) -> list[dict]:
        return [{"text": e.message, "href": f"#{e.field}"} for e in self.errors]


@dataclass(frozen=True)
class ScenarioFormView:
    fields: ScenarioFields
    form: FormView

    @property
    def number(self) -> int:
        return self.fields.number

    @property
    def legend(self) -> str:
        return "Scenario 1 (the base)" if self.number == 1 else f"Scenario {self.number}"

    def method_params(self) -> dict:
        """Radios; the template adds the conditional inputs of blend and convergence."""
        choices = list(METHODS) if self.number == 1 else [NO_SCENARIO, *METHODS]
        field_id = self.fields.id("method")
        params = {
            "idPrefix": field_id,
            "name": field_id,
            "fieldset": {"legend": {"text": "Method", "size": "s"}},
            "small": True,
            "items": [
                {
                    "value": choice,
                    "text": METHOD_LABELS[choice],
                    "checked": choice == self.fields.method,
                }
                for choice in choices
            ],
        }
        return self.form._with_error(params, field_id)

    def basis_params(self) -> dict:
        return self.form._select(
            self.fields.id("basis"),
            "Population counted as",
            [(b, BASIS_LABELS[b].capitalize()) for b in BASES],
            self.fields.basis,
            hint={"text": "For the population and blend methods."},
        )

    def _number(self, name: str, label: str, hint: str | None = None, suffix: str | None = None):
        field_id = self.fields.id(name)
        params = {
            "id": field_id,
            "name": field_id,
            "label": {"text": label},
            "value": getattr(self.fields, name),
            "inputmode": "decimal",
            "spellcheck": False,
            "autocomplete": "off",
            "classes": "nhsuk-input--width-4",
        }
        if hint:
            params["hint"] = {"text": hint}
        if suffix:
            params["suffix"] = suffix
        return self.form._with_error(params, field_id)

    def weight_params(self) -> list[dict]:
        hint = "From 0 to 1; the three weights add up to 1."
        return [
            self._number(name, f"{name.capitalize()} weight", hint if name == WEIGHTS[0] else None)
            for name in WEIGHTS
        ]

    def convergence_params(self) -> list[dict]:
        return [
            self._number("years", "Years", "From 1 to 10."),
            self._number("uplift", "Uplift a year", "Growth of the envelope after year 1.", "%"),
            self._number("floor", "Floor", "The least growth per head a year.", "%"),
            self._number("cap", "Cap", "The most growth per head a year.", "%"),
        ]


@dataclass(frozen=True)
class UploadView:
    """The form that uploads a baseline file."""

    name: str = ""
    illustrative: bool = False
    errors: tuple[FieldError, ...] = ()

    def _with_error(self, params: dict, field_id: str) -> dict:
        message = next((e.message for e in self.errors if e.field == field_id), None)
        if message:
            params["errorMessage"] = {"text": message}
        return params

    def file_params(self) -> dict:
        return self._with_error(
            {
                "id": "baseline-file",
                "name": "baseline-file",
                "label": {"text": "Baseline file (CSV or Excel)"},
                "hint": {
                    "text": "Columns footprint (the former CCG's code, such as 00Q), name and"
                    " amount in pounds, one row for each former CCG area of the ICB."
                },
                "accept": ".csv,.xlsx",
            },
            "baseline-file",
        )

    def name_params(self) -> dict:
        return self._with_error(
            {
                "id": "baseline-name",
                "name": "baseline-name",
                "label": {"text": "Name (optional)"},
                "hint": {"text": "How the baseline is listed; the file name if left empty."},
                "value": self.name,
                "spellcheck": False,
            },
            "baseline-name",
        )

    def illustrative_params(self) -> dict:
        return {
            "idPrefix": "baseline-illustrative",
            "name": "baseline-illustrative",
            "small": True,
            "items": [
                {
                    "value": "yes",
                    "text": "These amounts are illustrative, not real budgets",
                    "hint": {"text": f"Every result from it is then labelled {ILLUSTRATIVE}."},
                    "checked": self.illustrative,
                }
            ],
        }

    def error_list(self) -> list[dict]:
        return [{"text": e.message, "href": f"#{e.field}"} for e in self.errors]


# --- results ---------------------------------------------------------------------------------


def uses_illustrative(allocation: Allocation) -> bool:
    """Whether the allocation used an ILLUSTRATIVE baseline: its figures must say so."""
    return allocation.baseline is not None and allocation.baseline.illustrative


def display_order(allocation: Allocation, names: Mapping[str, str]) -> dict[str, int]:
    """Each group's position on the page: by its parents' names, then its own name."""

    def key(row) -> tuple:
        parents = tuple(names.get(code, code).casefold() for code in row.parents.values())
        return (*parents, row.name.casefold(), row.group)

    return {row.group: i for i, row in enumerate(sorted(allocation.rows, key=key))}


@dataclass(frozen=True)
class ResultRow:
    code: str
    name: str
    parents: tuple[str, ...]
    practices: str
    registered_population: str
    resident_population: str
    weighted_population: str
    index_icb: str
    index_england: str
    share: str
    amount: str
    per_head: str
    target: str
    distance_from_target: str
    small_numbers: bool = False


@dataclass(frozen=True)
class ScenarioResult:
    """One scenario's table: a row for each group and a total that is the envelope."""

    number: int
    title: str
    parent_levels: tuple[str, ...]
    level: str
    rows: tuple[ResultRow, ...]
    total: ResultRow
    illustrative: bool = False

    @classmethod
    def build(
        cls,
        number: int,
        allocation: Allocation,
        *,
        title: str,
        names: Mapping[str, str],
    ) -> ScenarioResult:
        levels = tuple(allocation.levels)
        parent_levels = levels[:-1]
        order = display_order(allocation, names)
        rows = tuple(
            ResultRow(
                code=row.group,
                name=row.name,
                parents=tuple(
                    names.get(row.parents.get(level, ""), row.parents.get(level, NOT_AVAILABLE))
                    for level in parent_levels
                ),
                practices=format_count(row.practices),
                registered_population=format_count(row.registered_population),
                resident_population=format_count(row.resident_population),
                weighted_population=format_count(row.weighted_population),
                index_icb=format_index(row.index_icb),
                index_england=format_index(row.index_england),
                share=format_share(row.share),
                amount=format_money(row.amount),
                per_head=format_money(row.per_head),
                target=format_money(row.target),
                distance_from_target=format_percent(row.distance_from_target, signed=True),
                small_numbers=row.small_numbers,
            )
            for row in sorted(allocation.rows, key=lambda r: order[r.group])
        )
        return cls(
            number=number,
            title=title,
            parent_levels=tuple(LEVEL_LABELS.get(level, level) for level in parent_levels),
            level=LEVEL_LABELS.get(levels[-1], levels[-1]) if levels else "Group",
            rows=rows,
            total=_total_row(allocation, len(parent_levels)),
            illustrative=uses_illustrative(allocation),
        )

    @property
    def caption(self) -> str:
        return f"Scenario {self.number}: {self.title}"

    @property
    def id(self) -> str:
        return f"scenario-{self.number}"


def _total_row(allocation: Allocation, parents: int) -> ResultRow:
    rows = allocation.rows
    registered = sum((r.registered_population for r in rows), Decimal(0))
    residents = [r.resident_population for r in rows]
    total = allocation.total
    return ResultRow(
        code="",
        name="Total",
        parents=("",) * parents,
        practices=format_count(sum(r.practices for r in rows)),
        registered_population=format_count(registered),
        resident_population=format_count(None if None in residents else sum(residents)),
        weighted_population=format_count(sum(r.weighted_population for r in rows)),
        index_icb=format_index(Decimal(1)),
        index_england=NOT_AVAILABLE,
        share=format_percent(Decimal(100)),
        amount=format_money(total),
        per_head=format_money(total / registered) if registered else NOT_AVAILABLE,
        target=format_money(sum((r.target for r in rows), Decimal(0))),
        distance_from_target=NOT_AVAILABLE,
    )


@dataclass(frozen=True)
class ComparisonRow:
    name: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class ComparisonTable:
    """Amounts side by side, and each scenario's change against the first in £ and %."""

    head: tuple[str, ...]
    rows: tuple[ComparisonRow, ...]
    total: ComparisonRow
    illustrative: bool = False

    @classmethod
    def build(cls, comparison: Comparison, order: Mapping[str, int]) -> ComparisonTable:
        count = len(comparison.scenarios)
        head = ["Scenario 1 (£)"]
        for number in range(2, count + 1):
            head += [
                f"Scenario {number} (£)",
                f"Change {number} vs 1 (£)",
                f"Change {number} vs 1 (%)",
            ]
        rows = []
        for row in sorted(comparison.rows, key=lambda r: order[r.group]):
            cells = [format_money(row.amounts[0])]
            for i in range(1, count):
                cells += [
                    format_money(row.amounts[i]),
                    format_change(row.change[i]),
                    format_percent(row.change_percent[i], signed=True),
                ]
            rows.append(ComparisonRow(row.name, tuple(cells)))
        totals = [a.total for a in comparison.scenarios]
        total_cells = [format_money(totals[0])]
        for i in range(1, count):
            total_cells += [format_money(totals[i]), format_change(totals[i] - totals[0]), ""]
        return cls(
            tuple(head),
            tuple(rows),
            ComparisonRow("Total", tuple(total_cells)),
            any(uses_illustrative(a) for a in comparison.scenarios),
        )


@dataclass(frozen=True)
class Mover:
    name: str
    change: str
    percent: str

    @property
    def text(self) -> str:
        return f"{self.name}: {self.change} ({self.percent})"


@dataclass(frozen=True)
class Movers:
    """Who gains and who loses in one scenario against the first, most first."""

    number: int
    gainers: tuple[Mover, ...]
    losers: tuple[Mover, ...]
    unchanged: tuple[str, ...]
    illustrative: bool = False

    @classmethod
    def build(cls, comparison: Comparison, index: int) -> Movers:
        def mover(row) -> Mover:
            return Mover(
                row.name,
                format_change(row.change[index]),
                format_percent(row.change_percent[index], signed=True),
            )

        return cls(
            number=index + 1,
            gainers=tuple(mover(r) for r in comparison.gainers(index)),
            losers=tuple(mover(r) for r in comparison.losers(index)),
            unchanged=tuple(r.name for r in comparison.rows if r.change[index] == 0),
            illustrative=any(uses_illustrative(comparison.scenarios[i]) for i in (0, index)),
        )

    @property
    def heading(self) -> str:
        return f"Scenario {self.number} against scenario 1"


@dataclass(frozen=True)
class PathTable:
    """A convergence path: each group's amount in each year, and the year's envelope."""

    number: int
    years: tuple[str, ...]
    rows: tuple[ComparisonRow, ...]
    envelope: ComparisonRow
    illustrative: bool = False

    @classmethod
    def build(cls, number: int, allocation: Allocation, order: Mapping[str, int]) -> PathTable:
        first = allocation.config.year
        years = tuple(
            f"Year {i + 1}: {financial_year(first, i)}" for i in range(len(allocation.path))
        )
        rows = tuple(
            ComparisonRow(
                row.name, tuple(format_money(amounts[row.group]) for _, amounts in allocation.path)
            )
            for row in sorted(allocation.rows, key=lambda r: order[r.group])
        )
        envelope = ComparisonRow(
            "Envelope", tuple(format_money(envelope) for envelope, _ in allocation.path)
        )
        return cls(number, years, rows, envelope, uses_illustrative(allocation))

    @property
    def caption(self) -> str:
        return f"Scenario {self.number}: convergence path by year"


def collect_warnings(
    results: Sequence[tuple[int, Allocation]], names: Mapping[str, str]
) -> tuple[str, ...]:
    """Every scenario's warnings once each, saying which scenarios they concern.

    A warning that begins with a group's code names the group too; one that every scenario gives
    (such as small numbers, which depend only on the grouping) is not labelled with scenarios.
    """
    found: dict[str, list[int]] = {}
    for number, allocation in results:
        baseline = allocation.baseline
        if baseline is not None and baseline.illustrative:
            text = (
                f"The historic baseline ({baseline.source}) is {ILLUSTRATIVE}: its amounts are"
                " made up, not real budgets, so the historic, blend and convergence figures only"
                " show how the methods work."
            )
            found.setdefault(text, []).append(number)
        for warning in allocation.warnings:
            code, _, rest = warning.partition(" ")
            text = f"{names[code]} ({code}) {rest}" if code in names and rest else warning
            found.setdefault(text, []).append(number)
    everyone = [number for number, _ in results]
    warnings = []
    for text, numbers in found.items():
        if numbers == everyone or ILLUSTRATIVE in text:
            warnings.append(text[:1].upper() + text[1:])
        else:
            label = "Scenario" if len(numbers) == 1 else "Scenarios"
            which = ", ".join(map(str, numbers[:-1]))
            which = f"{which} and {numbers[-1]}" if which else str(numbers[-1])
            warnings.append(f"{label} {which}: {text}")
    return tuple(warnings)


# --- the page --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AllocationPage:
    """An ICB's allocation page: the form, and the results when the form asked for them."""

    code: str
    name: str
    region: str | None
    form: FormView
    upload: UploadView
    function: Function | None = None
    scenarios: tuple[ScenarioResult, ...] = ()
    comparison: ComparisonTable | None = None
    movers: tuple[Movers, ...] = ()
    paths: tuple[PathTable, ...] = ()
    warnings: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()
    query: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        *,
        code: str,
        name: str,
        region: str | None,
        form: FormView,
        upload: UploadView | None = None,
        function: Function | None = None,
        results: Sequence[tuple[Scenario, Allocation]] = (),
        comparison: Comparison | None = None,
        names: Mapping[str, str] | None = None,
        baseline: BaselineOption | None = None,
        notices: Sequence[str] = (),
    ) -> AllocationPage:
        names = dict(names or {})
        scenarios = []
        paths = []
        for scenario, allocation in results:
            chosen = baseline if allocation.baseline is not None else None
            title = describe_method(scenario.method, function=function, baseline=chosen)
            scenarios.append(
                ScenarioResult.build(scenario.number, allocation, title=title, names=names)
            )
            if allocation.path:
                order = display_order(allocation, names)
                paths.append(PathTable.build(scenario.number, allocation, order))
        movers = ()
        table = None
        if comparison is not None:
            order = display_order(comparison.scenarios[0], names)
            table = ComparisonTable.build(comparison, order)
            movers = tuple(Movers.build(comparison, i) for i in range(1, len(comparison.scenarios)))
        return cls(
            code=code,
            name=name,
            region=region,
            form=form,
            upload=upload or UploadView(),
            function=function,
            scenarios=tuple(scenarios),
            comparison=table,
            movers=movers,
            paths=tuple(paths),
            warnings=collect_warnings([(s.number, a) for s, a in results], names),
            notices=tuple(notices),
            query=form.form.query() if results else {},
        )

    @property
    def has_results(self) -> bool:
        return bool(self.scenarios)

    @property
    def errors(self) -> list[dict]:
        return self.form.error_list() + self.upload.error_list()

    @property
    def download_query(self) -> str:
        """The query string that asks for the same allocation as an Excel workbook."""
        return "?" + urlencode(self.query)

    @property
    def title(self) -> str:
        return f"Allocation, {self.name}"
