"""What every command shares: consoles, progress bars, errors, formats."""

from __future__ import annotations

import sys
from enum import StrEnum

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

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
