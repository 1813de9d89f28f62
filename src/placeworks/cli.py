"""The ``placeworks`` command."""

from __future__ import annotations

import csv
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from placeworks.data import DataError

app = typer.Typer(
    help="placeworks: run a place-based health and care partnership on public data.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
data_app = typer.Typer(help="The shipped reference data package.", no_args_is_help=True)
geography_app = typer.Typer(
    help="ICBs, places, localities, districts, neighbourhoods.", no_args_is_help=True
)
app.add_typer(data_app, name="data")
app.add_typer(geography_app, name="geography")

err = Console(stderr=True)
GEOGRAPHY_TABLES = (
    "weighted_populations",
    "practice_locations",
    "lsoa21",
    "population_lsoa21",
    "imd2025_lsoa21",
    "imd2019_lsoa11",
    "lsoa11_lsoa21",
    "practice_pcn",
    "pcns",
    "practice_imd2019",
    "lad24_upper_tier",
)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


def _out() -> Console:
    """Standard output: the terminal's width, or wide enough for tables when piped."""
    return Console(width=None if sys.stdout.isatty() else 160)


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


@data_app.command("build")
def data_build(
    raw: Annotated[Path, typer.Option(help="Folder of raw public files (see its SOURCES.md).")],
    out: Annotated[Path | None, typer.Option(help="Where to write the package.")] = None,
    check: Annotated[
        bool,
        typer.Option(
            help="Build to a temporary folder and compare with the "
            "shipped package instead of replacing it."
        ),
    ] = False,
) -> None:
    """Build the reference data package from the raw public files."""
    import tempfile

    from placeworks.data import registry
    from placeworks.data.build import build
    from placeworks.data.store import SHIPPED_DIR

    target = out or SHIPPED_DIR
    with tempfile.TemporaryDirectory() as scratch:
        if check:
            target = Path(scratch) / "package"
        with _progress() as progress:
            from placeworks.data import datasets  # noqa: F401

            task = progress.add_task("building", total=len(registry.DATASETS))

            def step(name: str) -> None:
                progress.update(task, description=f"building {name}", advance=1)

            try:
                manifest = build(raw, target, progress=step)
            except DataError as exc:
                raise _fail(str(exc)) from exc
        if check:
            shipped = json.loads((SHIPPED_DIR / "manifest.json").read_text(encoding="utf-8"))
            differ = [
                name
                for name, entry in manifest["tables"].items()
                if shipped["tables"].get(name, {}).get("sha256") != entry["sha256"]
            ] + sorted(set(shipped["tables"]) - set(manifest["tables"]))
            if differ:
                raise _fail(f"the shipped package differs from a fresh build: {', '.join(differ)}")
            typer.echo(
                f"the shipped package matches a fresh build ({len(manifest['tables'])} tables)"
            )
            return
    rows = sum(entry["rows"] for entry in manifest["tables"].values())
    typer.echo(f"built {len(manifest['tables'])} tables ({rows:,} rows) in {target}")


@data_app.command("show")
def data_show() -> None:
    """List the tables of the shipped package with their sources and vintages."""
    from placeworks.data import manifest

    table = Table("table", "rows", "vintage", "source", "licence", box=None)
    for name, entry in manifest()["tables"].items():
        vintages = ", ".join(sorted({s["vintage"] for s in entry["sources"]}))
        publishers = ", ".join(sorted({s["publisher"] for s in entry["sources"]}))
        licences = ", ".join(sorted({s["licence"] for s in entry["sources"]}))
        table.add_row(name, f"{entry['rows']:,}", vintages, publishers, licences)
    console = _out()
    console.print(table)
    console.print(manifest()["attribution"])


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


@app.command()
def demo(
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000,
    browser: Annotated[bool, typer.Option(help="Open the web app in a browser.")] = True,
) -> None:
    """Prepare the embedded default (SQLite and the shipped data) and serve the web app."""
    from placeworks.web.demo import run

    run(port, open_browser=browser)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
