"""`placeworks data`: the shipped reference data package."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from placeworks.cli.common import _fail, _out, _progress
from placeworks.data import DataError

data_app = typer.Typer(help="The shipped reference data package.", no_args_is_help=True)


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
