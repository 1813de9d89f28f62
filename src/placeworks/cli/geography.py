"""`placeworks geography`: ICBs, places, localities, districts, neighbourhoods."""

from __future__ import annotations

import csv
import json
import sys
from typing import Annotated

import typer
from rich.table import Table

from placeworks.cli.common import GEOGRAPHY_TABLES, Format, _fail, _out, _progress, err
from placeworks.data import DataError

geography_app = typer.Typer(
    help="ICBs, places, localities, districts, neighbourhoods.", no_args_is_help=True
)


def _preload() -> None:
    from placeworks.data import load

    with _progress() as progress:
        task = progress.add_task("loading reference data", total=len(GEOGRAPHY_TABLES))
        for name in GEOGRAPHY_TABLES:
            load(name)
            progress.advance(task)


@geography_app.command("show")
def geography_show(
    code: Annotated[
        str,
        typer.Argument(
            help="ICB ODS code (e.g. QE1), or a place, locality, district or neighbourhood code."
        ),
    ],
    year: Annotated[str, typer.Option(help="Financial year.")] = "2025/26",
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
    icb: Annotated[str | None, typer.Option(help="Look only inside this ICB.")] = None,
) -> None:
    """Print the tree under an ICB, place, locality or district, with its figures."""
    from placeworks.geography import find

    try:
        _preload()
        with err.status(f"building the tree for {code}"):
            node = find(code, year, icb=icb)
    except KeyError as exc:
        raise _fail(exc.args[0] if exc.args else str(exc)) from exc
    except DataError as exc:
        raise _fail(str(exc)) from exc
    if fmt is Format.json:
        typer.echo(json.dumps(_json_node(node), indent=2))
    elif fmt is Format.csv:
        _write_csv(node)
    else:
        _print_table(node, year)


def _json_node(node) -> dict:
    data = node.to_dict()

    def tidy(d: dict) -> dict:
        for key in ("resident_population", "registered_population"):
            if d[key] is not None:
                d[key] = round(d[key], 1)
        if d["imd_score"] is not None:
            d["imd_score"] = round(d["imd_score"], 2)
        if d["imd_deciles"]:
            d["imd_deciles"] = [round(x, 4) for x in d["imd_deciles"]]
        d["children"] = [tidy(c) for c in d["children"]]
        return d

    return tidy(data)


def _rows(node, depth=0, parent=None):
    yield depth, parent, node
    for child in node.children:
        yield from _rows(child, depth + 1, node.code)


def _fmt(value, digits=0):
    if value is None:
        return ""
    return f"{value:,.{digits}f}"


def _write_csv(node) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(
        [
            "code",
            "name",
            "level",
            "parent",
            "depth",
            "resident_population",
            "registered_population",
            "practices",
            "imd_score",
            "flags",
        ]
    )
    for depth, parent, n in _rows(node):
        writer.writerow(
            [
                n.code,
                n.name,
                n.level.value,
                parent or "",
                depth,
                "" if n.resident_population is None else round(n.resident_population),
                round(n.registered_population, 1),
                n.practices,
                "" if n.imd_score is None else round(n.imd_score, 2),
                ";".join(n.flags),
            ]
        )


def _print_table(node, year: str) -> None:
    from placeworks.geography.areas import IMD_EDITION

    table = Table(title=f"{node.name} ({node.code}), {year}", title_justify="left", box=None)
    table.add_column("name", no_wrap=True, max_width=60, overflow="ellipsis")
    table.add_column("code", no_wrap=True)
    table.add_column("level", no_wrap=True)
    for label in ("resident", "registered", "practices", "IMD score"):
        table.add_column(label, justify="right", no_wrap=True)
    table.add_column("flags")
    for depth, _, n in _rows(node):
        table.add_row(
            "  " * depth + n.name,
            n.code,
            n.level.value,
            _fmt(n.resident_population),
            _fmt(n.registered_population),
            str(n.practices),
            _fmt(n.imd_score, 1),
            ", ".join(n.flags),
        )
    console = _out()
    console.print(table)
    console.print(
        f"resident: ONS mid-2020 small-area estimates on LSOA 2021; registered: NHS England "
        f"practice populations {year}; IMD: {IMD_EDITION[year]} (areas weighted by residents), "
        "IoD2019 of registered patients (PCNs and practices)."
    )
