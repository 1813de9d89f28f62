"""Allocations as an Excel workbook a finance team can use as it is.

``write_workbook(source, target)`` writes one sheet per scenario (a header block with the ICB,
year, grouping, function, method and its parameters and the envelope, then a table of typed
numbers with a totals row whose SUM equals the envelope), a Comparison sheet when there are two
or more scenarios, a Convergence sheet (years by groups) for each scenario with a path, and a
Notes sheet with the method, the data vintage, the inputs hash, the engine, who ran it and when,
the licence attribution and, when a baseline is illustrative, a warning that says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from placeworks.allocation.allocate import Allocation, Config
from placeworks.allocation.functions import function
from placeworks.allocation.methods import Blend, Convergence, Population
from placeworks.allocation.scenarios import Comparison, compare
from placeworks.data.sources import ATTRIBUTION, SOURCES

MONEY = '"£"#,##0.00'
CHANGE = '"£"#,##0.00;[Red]-"£"#,##0.00'
PERCENT = "0.00%"
CHANGE_PERCENT = "0.00%;[Red]-0.00%"
SHARE = "0.0000%"
INDEX = "0.000"
PEOPLE = "#,##0.0"
WHOLE = "#,##0"

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
WARNING = Font(bold=True, color="FFFFFF", size=12)
WARNING_FILL = PatternFill("solid", fgColor="C00000")
SMALL_FILL = PatternFill("solid", fgColor="FFF2CC")
GAIN = PatternFill("solid", fgColor="E2EFDA")
LOSS = PatternFill("solid", fgColor="FCE4D6")
WRAP = Alignment(wrap_text=True, vertical="top")

MAX_SHEET_NAME = 31
RESERVED = ("Comparison", "Notes", "History")
ILLUSTRATIVE = (
    "ILLUSTRATIVE: the historic baseline {source} is made up for placeworks' worked example, not"
    " real spend. Amounts that use it are not fit for decisions; use your own baseline."
)

Source = Allocation | Comparison | Sequence[Allocation]


def write_workbook(
    source: Source,
    target: str | Path | BinaryIO,
    *,
    run_by: str | None = None,
    run_at: datetime | None = None,
    run_ids: Sequence[str] = (),
) -> None:
    """Write an allocation, several, or a comparison to ``target`` (a path or binary file).

    ``run_by`` and ``run_at`` say who ran it and when (default: now); ``run_ids`` are the stored
    run records, one per scenario in order, if they were recorded.
    """
    comparison, scenarios = _scenarios(source)
    names = scenario_names([a.config for a in scenarios])
    run_at = run_at or datetime.now(UTC)
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = f"placeworks allocation: {', '.join(names)}"
    workbook.properties.creator = run_by or "placeworks"
    taken: list[str] = list(RESERVED)
    for number, (allocation, name) in enumerate(zip(scenarios, names, strict=True), start=1):
        run_id = run_ids[number - 1] if number <= len(run_ids) else None
        sheet = workbook.create_sheet(_sheet_name(name, taken))
        _scenario_sheet(sheet, allocation, name, number, run_id)
    if comparison is not None:
        _comparison_sheet(workbook.create_sheet("Comparison"), comparison, names)
    paths = sum(1 for a in scenarios if a.path)
    for number, (allocation, name) in enumerate(zip(scenarios, names, strict=True), start=1):
        if allocation.path:
            title = _sheet_name("Convergence" if paths == 1 else f"Convergence {number}", taken)
            _convergence_sheet(workbook.create_sheet(title), allocation, name, number)
    _notes_sheet(workbook.create_sheet("Notes"), scenarios, names, run_by, run_at, run_ids)
    workbook.save(target)


def _scenarios(source: Source) -> tuple[Comparison | None, tuple[Allocation, ...]]:
    if isinstance(source, Comparison):
        return source, source.scenarios
    if isinstance(source, Allocation):
        return None, (source,)
    scenarios = tuple(source)
    if not scenarios:
        raise ValueError("nothing to write: no allocations")
    return (compare(list(scenarios)) if len(scenarios) > 1 else None), scenarios


# --- names --------------------------------------------------------------------------------------


def method_name(config: Config) -> str:
    """A short name of the method and its parameters, e.g. ``blend historic 0.5 need 0.5``."""
    method = config.method
    if isinstance(method, Population):
        return "population" if method.basis == "registered" else f"population {method.basis}"
    if isinstance(method, Blend):
        parts = [
            f"{part} {_plain(getattr(method, part))}"
            for part in ("historic", "population", "need")
            if getattr(method, part)
        ]
        basis = f" ({method.basis})" if method.population and method.basis != "registered" else ""
        return "blend " + " ".join(parts) + basis
    if isinstance(method, Convergence):
        return (
            f"convergence {method.years}y uplift {_plain(method.uplift)}"
            f" floor {_plain(method.floor)} cap {_plain(method.cap)}"
        )
    return method.method


def scenario_names(configs: Sequence[Config]) -> list[str]:
    """Distinct names for scenarios: the label if set, else the method, with the function and
    envelope when those differ between scenarios."""
    functions = {c.function for c in configs}
    envelopes = {c.envelope for c in configs}
    names = []
    for config in configs:
        if config.label:
            name = config.label
        else:
            name = method_name(config)
            if len(functions) > 1:
                name = f"{config.function} {name}"
            if len(envelopes) > 1:
                name = f"{name} £{config.envelope:,}"
        names.append(name)
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if names.count(name) == 1 else f"{name} ({seen[name]})")
    return unique


def _sheet_name(name: str, taken: list[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique ignoring case."""
    base = re.sub(r"[\[\]:*?/\\]", " ", name).strip(" '") or "Scenario"
    candidate = _shorten(base, MAX_SHEET_NAME)
    number = 1
    while candidate.lower() in {t.lower() for t in taken}:
        number += 1
        suffix = f" ({number})"
        candidate = _shorten(base, MAX_SHEET_NAME - len(suffix)) + suffix
    taken.append(candidate)
    return candidate


def _shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a space where there is one."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return cut.rsplit(" ", 1)[0] if " " in cut else cut


def _percent(value: Decimal) -> str:
    return f"{_plain(value * 100)}%"


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


# --- one sheet per scenario ---------------------------------------------------------------------


def _header_block(sheet: Worksheet, allocation: Allocation, name: str, run_id: str | None) -> int:
    """The facts that determine the scenario, above its table. Returns the next free row."""
    config = allocation.config
    fn = function(config.function)
    sheet["A1"] = f"{fn.title} {config.year}, {config.icb} by {config.grouping}: {name}"
    sheet["A1"].font = TITLE
    baseline = allocation.baseline
    left = [
        ("ICB", config.icb),
        ("Year", config.year),
        ("Grouping", _grouping(allocation)),
        ("Function", f"{fn.code}: {fn.title}"),
        ("Envelope", config.envelope),
    ]
    right = [
        ("Method", config.method.method),
        ("Parameters", _parameters(config)),
        ("Baseline", _baseline(baseline)),
        ("Engine", allocation.engine),
        ("Run", run_id or "not recorded"),
    ]
    for offset, ((label_l, value_l), (label_r, value_r)) in enumerate(
        zip(left, right, strict=True)
    ):
        row = 2 + offset
        sheet.cell(row, 1, label_l).font = BOLD
        sheet.cell(row, 2, value_l).alignment = Alignment(horizontal="left")
        sheet.cell(row, 4, label_r).font = BOLD
        sheet.cell(row, 5, value_r)
    sheet.cell(2 + [label for label, _ in left].index("Envelope"), 2).number_format = MONEY
    row = 2 + len(left)
    if baseline is not None and baseline.illustrative:
        _warning(sheet, row, ILLUSTRATIVE.format(source=baseline.source), width=12)
        row += 1
    small = [r.group for r in allocation.rows if r.small_numbers]
    if small:
        sheet.cell(
            row,
            1,
            f"Small numbers: {len(small)} groups have fewer than {config.small_numbers:,}"
            " registered patients; their indices may be unstable (shaded).",
        ).font = Font(italic=True)
        row += 1
    return row + 1


def _grouping(allocation: Allocation) -> str:
    levels = " > ".join(allocation.levels)
    return f"{allocation.config.grouping} ({levels})" if levels else allocation.config.grouping


def _parameters(config: Config) -> str:
    values = config.method.model_dump(mode="json", exclude={"method"})
    text = ", ".join(f"{key}={value}" for key, value in values.items())
    extra = [f"level={config.level}"] if config.level else []
    extra.append(f"small numbers below {config.small_numbers:,}")
    return "; ".join(p for p in (text, *extra) if p) or "none"


def _baseline(baseline) -> str:
    if baseline is None:
        return "none (not used by this method)"
    note = " (ILLUSTRATIVE)" if baseline.illustrative else ""
    return f"{baseline.source}{note}, total £{baseline.total:,.2f}"


def _warning(sheet: Worksheet, row: int, text: str, width: int) -> None:
    cell = sheet.cell(row, 1, text)
    cell.font = WARNING
    cell.fill = WARNING_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    sheet.row_dimensions[row].height = 36


def _scenario_sheet(
    sheet: Worksheet, allocation: Allocation, name: str, number: int, run_id: str | None
) -> None:
    top = _header_block(sheet, allocation, name, run_id)
    parents = list(allocation.levels[:-1])
    columns: list[tuple[str, str | None, float]] = [
        ("Group", None, 14),
        ("Name", None, 34),
        *[(_parent_title(level), None, 14) for level in parents],
        ("Practices", "0", 10),
        ("Registered population", PEOPLE, 14),
        ("Resident population", WHOLE, 13),
        ("Weighted population", PEOPLE, 14),
        ("Index vs ICB", INDEX, 9),
        ("Index vs England", INDEX, 10),
        ("Share", SHARE, 10),
        ("Amount (£)", MONEY, 19),
        ("£ per head", MONEY, 11),
        ("Need target (£)", MONEY, 19),
        ("Distance from target", CHANGE_PERCENT, 11),
        ("Small numbers", None, 9),
    ]
    header = top
    for col, (title, _, width) in enumerate(columns, start=1):
        cell = sheet.cell(header, col, title)
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        letter = get_column_letter(col)
        sheet.column_dimensions[letter].width = max(
            width, sheet.column_dimensions[letter].width or 0
        )
    sheet.row_dimensions[header].height = 32
    at = {title: col for col, (title, _, _) in enumerate(columns, start=1)}
    for offset, r in enumerate(allocation.rows, start=1):
        values = [
            r.group,
            r.name,
            *[r.parents.get(level, "") for level in parents],
            r.practices,
            r.registered_population,
            r.resident_population,
            r.weighted_population,
            r.index_icb,
            r.index_england,
            _fraction(r.share),
            r.amount,
            r.per_head,
            r.target,
            None if r.distance_from_target is None else r.distance_from_target / 100,
            "yes" if r.small_numbers else "",
        ]
        for col, ((_, number_format, _), value) in enumerate(
            zip(columns, values, strict=True), start=1
        ):
            cell = sheet.cell(header + offset, col, value)
            if number_format:
                cell.number_format = number_format
            if r.small_numbers:
                cell.fill = SMALL_FILL
    first, last = header + 1, header + len(allocation.rows)
    total = last + 1
    sheet.cell(total, 1, "Total").font = BOLD
    summed = ["Practices", "Registered population", "Weighted population", "Share"]
    summed += ["Amount (£)", "Need target (£)"]
    if all(r.resident_population is not None for r in allocation.rows):
        summed.append("Resident population")
    for title in summed:
        col = at[title]
        letter = get_column_letter(col)
        cell = sheet.cell(total, col, f"=SUM({letter}{first}:{letter}{last})")
        cell.number_format = columns[col - 1][1]
        cell.font = BOLD
    amount = get_column_letter(at["Amount (£)"])
    registered = get_column_letter(at["Registered population"])
    per_head = sheet.cell(
        total, at["£ per head"], f"=IF({registered}{total}=0,0,{amount}{total}/{registered}{total})"
    )
    per_head.number_format = MONEY
    per_head.font = BOLD
    last_column = get_column_letter(len(columns))
    table = Table(displayName=f"Scenario{number}Table", ref=f"A{header}:{last_column}{last}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    sheet.add_table(table)
    sheet.freeze_panes = sheet.cell(header + 1, 3)
    _print_setup(sheet, header)


def _parent_title(level: str) -> str:
    """A parent level's column; a CSV grouping's top level is called "group", so say "parent"."""
    return "Parent group" if level == "group" else level.capitalize()


def _fraction(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("1e-12"))


def _print_setup(sheet: Worksheet, header: int) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header}:{header}"


# --- comparison and convergence -----------------------------------------------------------------


def _comparison_sheet(sheet: Worksheet, comparison: Comparison, names: list[str]) -> None:
    first = comparison.scenarios[0].config
    sheet["A1"] = f"Scenarios compared, {first.icb} {first.year} by {first.grouping}"
    sheet["A1"].font = TITLE
    sheet["A2"] = f"Changes are against the first scenario, {names[0]}."
    header = 4
    columns: list[tuple[str, str | None, float]] = [("Group", None, 14), ("Name", None, 34)]
    columns += [(f"{name} (£)", MONEY, 19) for name in names]
    for name in names[1:]:
        columns += [(f"Change £, {name}", CHANGE, 17), (f"Change %, {name}", CHANGE_PERCENT, 12)]
    for col, (title, _, width) in enumerate(columns, start=1):
        cell = sheet.cell(header, col, title)
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.row_dimensions[header].height = 48
    for offset, r in enumerate(comparison.rows, start=1):
        values = [r.group, r.name, *r.amounts]
        for change, percent in zip(r.change[1:], r.change_percent[1:], strict=True):
            values += [change, None if percent is None else percent / 100]
        for col, ((_, number_format, _), value) in enumerate(
            zip(columns, values, strict=True), start=1
        ):
            cell = sheet.cell(header + offset, col, value)
            if number_format:
                cell.number_format = number_format
    first_row, last_row = header + 1, header + len(comparison.rows)
    total = last_row + 1
    sheet.cell(total, 1, "Total").font = BOLD
    money_columns = range(3, 3 + len(names))
    change_columns = range(3 + len(names), len(columns) + 1, 2)
    for col in (*money_columns, *change_columns):
        letter = get_column_letter(col)
        cell = sheet.cell(total, col, f"=SUM({letter}{first_row}:{letter}{last_row})")
        cell.number_format = columns[col - 1][1]
        cell.font = BOLD
    last_column = get_column_letter(len(columns))
    table = Table(displayName="ComparisonTable", ref=f"A{header}:{last_column}{last_row}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    sheet.add_table(table)
    if len(columns) > 2 + len(names):
        changes = f"{get_column_letter(3 + len(names))}{first_row}:{last_column}{last_row}"
        sheet.conditional_formatting.add(
            changes, CellIsRule(operator="greaterThan", formula=["0"], fill=GAIN)
        )
        sheet.conditional_formatting.add(
            changes, CellIsRule(operator="lessThan", formula=["0"], fill=LOSS)
        )
    sheet.freeze_panes = sheet.cell(header + 1, 3)
    _print_setup(sheet, header)
    _gainers_and_losers(sheet, comparison, names, total + 2)


def _gainers_and_losers(sheet: Worksheet, comparison: Comparison, names: list[str], row: int):
    """Below the table: for each scenario, who gains and who loses against the first."""
    for scenario in range(1, len(names)):
        for label, changes in (
            ("Gainers", comparison.gainers(scenario)),
            ("Losers", comparison.losers(scenario)),
        ):
            total = sum((c.change[scenario] for c in changes), Decimal(0))
            heading = sheet.cell(
                row, 1, f"{label}: {names[scenario]} against {names[0]} ({len(changes)} groups)"
            )
            heading.font = BOLD
            cell = sheet.cell(row, 3, total)
            cell.number_format = CHANGE
            cell.font = BOLD
            row += 1
            for change in changes:
                sheet.cell(row, 1, change.group)
                sheet.cell(row, 2, change.name)
                sheet.cell(row, 3, change.change[scenario]).number_format = CHANGE
                percent = change.change_percent[scenario]
                sheet.cell(
                    row, 4, None if percent is None else percent / 100
                ).number_format = CHANGE_PERCENT
                fill = GAIN if label == "Gainers" else LOSS
                for col in range(1, 5):
                    sheet.cell(row, col).fill = fill
                row += 1
            if not changes:
                sheet.cell(row, 1, "none")
                row += 1
            row += 1


def _convergence_sheet(sheet: Worksheet, allocation: Allocation, name: str, number: int) -> None:
    config = allocation.config
    method = config.method
    sheet["A1"] = f"Convergence path, {config.icb} {config.year} by {config.grouping}: {name}"
    sheet["A1"].font = TITLE
    sheet["A2"] = (
        f"Year 1 is the scenario's allocation. Each later year's envelope grows by"
        f" {_percent(method.uplift)}; each group's growth lies between {_percent(method.floor)}"
        f" and {_percent(method.cap)}; groups move towards their need targets."
    )
    header = 4
    years = len(allocation.path)
    titles = ["Group", "Name", *[f"Year {n}" for n in range(1, years + 1)]]
    for col, title in enumerate(titles, start=1):
        sheet.cell(header, col, title).font = BOLD
        sheet.column_dimensions[get_column_letter(col)].width = 34 if col == 2 else 17
    sheet.column_dimensions["A"].width = 14
    names = {r.group: r.name for r in allocation.rows}
    groups = sorted(allocation.path[0][1])
    for offset, group in enumerate(groups, start=1):
        sheet.cell(header + offset, 1, group)
        sheet.cell(header + offset, 2, names.get(group, group))
        for year, (_, amounts) in enumerate(allocation.path, start=3):
            sheet.cell(header + offset, year, amounts[group]).number_format = MONEY
    first_row, last_row = header + 1, header + len(groups)
    table = Table(
        displayName=f"Convergence{number}Table",
        ref=f"A{header}:{get_column_letter(len(titles))}{last_row}",
    )
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    sheet.add_table(table)
    total, envelope = last_row + 1, last_row + 2
    sheet.cell(total, 1, "Total").font = BOLD
    sheet.cell(envelope, 1, "Envelope").font = BOLD
    for col, (year_envelope, _) in enumerate(allocation.path, start=3):
        letter = get_column_letter(col)
        cell = sheet.cell(total, col, f"=SUM({letter}{first_row}:{letter}{last_row})")
        cell.number_format = MONEY
        cell.font = BOLD
        sheet.cell(envelope, col, year_envelope).number_format = MONEY
    sheet.freeze_panes = sheet.cell(header + 1, 3)
    _print_setup(sheet, header)


# --- notes --------------------------------------------------------------------------------------


METHODS = {
    "need": "Each group's share is its share of the function's weighted population.",
    "population": "Each group's share is its share of the population ({basis}).",
    "historic": (
        "Each legacy footprint's (former CCG's) baseline budget is spread over its practices by"
        " registered population and summed by group."
    ),
    "blend": (
        "A weighted sum of the historic, population ({basis}) and need shares, with weights"
        " historic {historic}, population {population}, need {need}."
    ),
    "convergence": (
        "A path over {years} years from historic amounts towards need targets. Year 1's envelope"
        " is the envelope; each later year's grows by {uplift}. Each group's growth per head lies"
        " between {floor} and {cap}; within those bounds every group gets the same proportion of"
        " its need target, so that the groups add up to the envelope. The scenario sheet shows"
        " year 1; the Convergence sheet shows every year."
    ),
}


def _notes_sheet(
    sheet: Worksheet,
    scenarios: Sequence[Allocation],
    names: list[str],
    run_by: str | None,
    run_at: datetime,
    run_ids: Sequence[str],
) -> None:
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 110
    sheet["A1"] = "Notes"
    sheet["A1"].font = TITLE
    row = 2
    illustrative = sorted(
        {a.baseline.source for a in scenarios if a.baseline and a.baseline.illustrative}
    )
    for source in illustrative:
        _warning(sheet, row, ILLUSTRATIVE.format(source=source), width=2)
        row += 1
    row += 1

    def line(label: str, value="") -> None:
        nonlocal row
        sheet.cell(row, 1, label).font = BOLD
        sheet.cell(row, 2, value).alignment = WRAP
        row += 1

    def heading(text: str) -> None:
        nonlocal row
        row += 1
        sheet.cell(row, 1, text).font = Font(bold=True, size=12)
        row += 1

    line("Run by", run_by or "not recorded")
    line("Run at", run_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"))
    line("Produced by", "placeworks (open source)")
    line(
        "Money",
        "Amounts are in pounds, shared in whole pence by the largest remainder method, top down"
        " along the grouping's levels, so every level adds up exactly to the envelope: each"
        " scenario sheet's Total equals its envelope to the penny.",
    )
    for number, (allocation, name) in enumerate(zip(scenarios, names, strict=True), start=1):
        config = allocation.config
        fn = function(config.function)
        heading(f"Scenario {number}: {name}")
        line("Run record", run_ids[number - 1] if number <= len(run_ids) else "not recorded")
        line("ICB, year", f"{config.icb}, {config.year}")
        line("Grouping", _grouping(allocation))
        weights = ", ".join(f"{c} {_percent(w)}" for c, w in fn.need.items())
        line("Function", f"{fn.code}: {fn.title}")
        line("Need", f"NHS England's weighted populations: {weights}")
        if fn.note:
            line("", ("Placeworks policy default: " if fn.policy else "") + fn.note)
        line("Method", config.method.method)
        line("", _method_text(config))
        line("Parameters", _parameters(config))
        line("Envelope", config.envelope)
        sheet.cell(row - 1, 2).number_format = MONEY
        sheet.cell(row - 1, 2).alignment = Alignment(horizontal="left")
        line("Baseline", _baseline(allocation.baseline))
        line("Engine", allocation.engine)
        line("Inputs hash (sha256)", allocation.inputs_hash)
        for warning in allocation.warnings:
            line("Warning", warning)
    vintages = {_vintage_key(a.vintage): a.vintage for a in scenarios}
    for vintage in vintages.values():
        heading("Data vintage and provenance")
        line("Table", vintage.get("table", ""))
        line("Table sha256", vintage.get("sha256", ""))
        for path, edition in sorted(vintage.get("sources", {}).items()):
            source = SOURCES.get(path)
            described = f"{source.publisher}: {source.title} ({source.licence})" if source else path
            line(f"Source {edition}", f"{described} [{path}]")
    heading("Licence")
    line("Attribution", ATTRIBUTION)


def _method_text(config: Config) -> str:
    method = config.method
    values = {k: _percent(v) if isinstance(v, Decimal) else v for k, v in dict(method).items()}
    return METHODS[method.method].format(**values)


def _vintage_key(vintage: dict) -> str:
    return str(vintage.get("sha256")) + repr(sorted(vintage.get("sources", {}).items()))
