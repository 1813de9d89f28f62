"""`placeworks variation`: an indicator across an ICB's places, localities, districts,
neighbourhoods or PCNs, with limits and significance against the ICB."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from placeworks.cli.common import _fail, _out, err
from placeworks.data import DataError


def _number(value: float | None, digits: int) -> str:
    return "" if value is None else f"{value:,.{digits}f}"


def _limits(low: float | None, high: float | None, digits: int) -> str:
    if low is None or high is None:
        return ""
    return f"{low:,.{digits}f} to {high:,.{digits}f}"


def _print_catalogue() -> None:
    from placeworks.indicators.variation import catalogue, groupings

    table = Table(title="Indicators", title_justify="left", box=None)
    for column in ("id", "name", "period", "unit", "groupings"):
        table.add_column(column, no_wrap=column != "name")
    for definition in catalogue():
        table.add_row(
            definition.id,
            definition.name,
            definition.period,
            definition.unit,
            ", ".join(definition.groupings),
        )
    console = _out()
    console.print(table)
    console.print("Groupings: " + ", ".join(f"{key} ({label})" for key, label in groupings()))


def _print_table(result) -> None:
    definition = result.indicator
    digits = 2 if definition.kind == "proportion" else 1
    where = f" in {result.within_name} ({result.within})" if result.within else ""
    title = (
        f"{definition.name}, {definition.period}: {result.grouping} of {result.icb_name}"
        f" ({result.icb}){where}"
    )
    table = Table(title=title, title_justify="left", box=None)
    table.add_column("name", no_wrap=True, max_width=45, overflow="ellipsis")
    table.add_column("code", no_wrap=True)
    table.add_column("parent", no_wrap=True)
    for label in ("practices", "numerator", "denominator", f"value ({definition.unit})"):
        table.add_column(label, justify="right", no_wrap=True)
    if definition.kind == "proportion":
        table.add_column("95% limits", justify="right", no_wrap=True)
        table.add_column("99.8% limits", justify="right", no_wrap=True)
    table.add_column("vs ICB", no_wrap=True)
    for group in result.groups:
        row = [
            group.name,
            group.code,
            group.parent or "",
            "" if group.practices is None else str(group.practices),
            _number(group.numerator, 0),
            _number(group.denominator, 0),
            _number(group.value, digits),
        ]
        if definition.kind == "proportion":
            row += [
                _limits(group.lower95, group.upper95, digits),
                _limits(group.lower998, group.upper998, digits),
            ]
        table.add_row(*row, group.significance)
    console = _out()
    console.print(table)
    console.print(
        f"ICB value ({result.icb}): {_number(result.benchmark, digits)} {definition.unit}",
        highlight=False,
    )
    if result.sii:
        sii = result.sii
        console.print(
            f"Slope index of inequality across the ICB's practice deprivation deciles:"
            f" {sii['sii']:.2f} {sii['unit']} (95% {sii['sii_lower95']:.2f} to"
            f" {sii['sii_upper95']:.2f}); relative index {sii['rii']:.3f}"
            f" (95% {sii['rii_lower95']:.3f} to {sii['rii_upper95']:.3f});"
            f" seed {sii['seed']}.",
            highlight=False,
        )
    for note in result.notes:
        console.print(f"Note: {note}", highlight=False)
    console.print(f"Source: {definition.source}.", highlight=False)


def variation_command(
    icb: Annotated[str | None, typer.Option(help="ICB ODS code, e.g. QE1.")] = None,
    grouping: Annotated[
        str, typer.Option(help="places, localities, districts, neighbourhoods or pcns.")
    ] = "places",
    indicator: Annotated[
        str | None, typer.Option(help="Indicator id, e.g. qof-hyp (see --list).")
    ] = None,
    within: Annotated[
        str | None,
        typer.Option(help="Only the groups inside this place, locality or district code."),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(help="Write the groups as CSV to this file, or '-' for standard output."),
    ] = None,
    list_: Annotated[
        bool, typer.Option("--list", help="List the indicators and groupings, then stop.")
    ] = False,
) -> None:
    """An indicator across an ICB's groups: values, limits and significance against the ICB."""
    if list_:
        _print_catalogue()
        return
    if icb is None or indicator is None:
        raise _fail("give --icb and --indicator (or --list to see the indicators)")
    from placeworks.indicators.variation import variation

    try:
        with err.status(f"computing {indicator} for the {grouping} of {icb}"):
            result = variation(icb, grouping, indicator, within=within)
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    except (KeyError, DataError) as exc:
        raise _fail(exc.args[0] if exc.args else str(exc)) from exc
    frame = result.to_frame()
    if output == "-":
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")
    elif output:
        path = Path(output)
        frame.to_csv(path, index=False, lineterminator="\n")
        err.print(f"wrote {len(frame)} groups to {path}", highlight=False)
    else:
        _print_table(result)
