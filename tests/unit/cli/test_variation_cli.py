"""`placeworks variation`, run as a user would."""

from __future__ import annotations

import io

import pandas as pd
from typer.testing import CliRunner

from placeworks.cli import app

runner = CliRunner()


def test_places_table():
    result = runner.invoke(
        app, ["variation", "--icb", "QE1", "--grouping", "places", "--indicator", "qof-hyp"]
    )
    assert result.exit_code == 0, result.output
    for name in ("Lancashire", "Blackburn with Darwen", "Blackpool", "South Cumbria"):
        assert name in result.stdout
    assert "Higher (99.8%)" in result.stdout
    assert "ICB value (QE1)" in result.stdout
    assert "Slope index of inequality" in result.stdout


def test_west_lancashire_neighbourhoods_as_csv():
    result = runner.invoke(
        app,
        [
            "variation",
            "--icb",
            "QE1",
            "--grouping",
            "neighbourhoods",
            "--indicator",
            "qof-dm",
            "--within",
            "E07000127",
            "--output",
            "-",
        ],
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(io.StringIO(result.stdout))
    assert frame["code"].tolist() == ["QE1-WL-SKEL", "QE1-WL-BURS", "QE1-WL-ORMS"]
    assert (frame["indicator"] == "qof-dm").all()
    assert (frame["lower95"] <= frame["value"]).all()


def test_csv_file(tmp_path):
    target = tmp_path / "imd.csv"
    result = runner.invoke(
        app,
        [
            *("variation", "--icb", "QE1", "--grouping", "districts"),
            *("--indicator", "imd-2019", "--output", str(target)),
        ],
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(target)
    assert len(frame) == 17
    assert frame.loc[frame["name"] == "Blackpool", "value"].iloc[0] == frame["value"].max()


def test_list_prints_the_catalogue():
    result = runner.invoke(app, ["variation", "--list"])
    assert result.exit_code == 0, result.output
    assert "qof-hyp" in result.stdout
    assert "health-index" in result.stdout
    assert "neighbourhoods" in result.stdout


def test_unknown_indicator_fails_with_the_choices():
    result = runner.invoke(
        app, ["variation", "--icb", "QE1", "--grouping", "places", "--indicator", "qof-xyz"]
    )
    assert result.exit_code == 1
    assert "qof-xyz" in result.stderr
    assert "qof-hyp" in result.stderr


def test_icb_and_indicator_are_needed():
    result = runner.invoke(app, ["variation", "--grouping", "places"])
    assert result.exit_code == 1
    assert "--indicator" in result.stderr
