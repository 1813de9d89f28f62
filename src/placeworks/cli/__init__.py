"""The ``placeworks`` command: one command with subcommands for data, geography, money and
indicators."""

from __future__ import annotations

from typing import Annotated

import typer

from placeworks.cli.allocate import allocate_app
from placeworks.cli.data import data_app
from placeworks.cli.geography import geography_app
from placeworks.cli.variation import variation_command

app = typer.Typer(
    help="placeworks: run a place-based health and care partnership on public data.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(data_app, name="data")
app.add_typer(geography_app, name="geography")
app.add_typer(allocate_app, name="allocate")
app.command("variation")(variation_command)


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


__all__ = ["app", "main"]
