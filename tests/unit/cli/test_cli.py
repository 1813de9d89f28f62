"""The placeworks command, run as a user would."""

from __future__ import annotations

import csv
import io
import json

from typer.testing import CliRunner

from placeworks.cli import app

runner = CliRunner()
JSON_KEYS = {
    "code",
    "name",
    "level",
    "resident_population",
    "registered_population",
    "practices",
    "imd_score",
    "children",
}


def test_geography_show_json_is_nested():
    result = runner.invoke(app, ["geography", "show", "QE1", "--format", "json"])
    assert result.exit_code == 0, result.output
    tree = json.loads(result.stdout)
    assert set(tree) >= JSON_KEYS
    assert tree["level"] == "icb"
    assert [p["name"] for p in tree["children"]] == [
        "Lancashire",
        "Blackburn with Darwen",
        "Blackpool",
        "South Cumbria",
    ]
    levels = set()

    def walk(node):
        levels.add(node["level"])
        assert set(node) >= JSON_KEYS
        for child in node["children"]:
            walk(child)

    walk(tree)
    assert levels == {"icb", "place", "locality", "district", "neighbourhood", "pcn", "practice"}


def test_geography_show_csv_for_a_district():
    result = runner.invoke(app, ["geography", "show", "E07000127", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["name"] == "West Lancashire"
    hoods = [r["name"] for r in rows if r["level"] == "neighbourhood"]
    assert len(hoods) == 3
    practices = [r for r in rows if r["level"] == "practice"]
    assert len(practices) == int(rows[0]["practices"])


def test_geography_show_table_for_another_icb():
    result = runner.invoke(app, ["geography", "show", "QOP", "--year", "2024/25"])
    assert result.exit_code == 0, result.output
    assert "Greater Manchester" in result.stdout
    assert "Wigan" in result.stdout


def test_unknown_code_is_a_clear_error():
    result = runner.invoke(app, ["geography", "show", "NOPE"])
    assert result.exit_code == 1
    assert "no node with code 'NOPE'" in result.stderr


def test_unknown_year_is_a_clear_error():
    result = runner.invoke(app, ["geography", "show", "QE1", "--year", "2030/31"])
    assert result.exit_code == 1
    assert "2025/26" in result.stderr


def test_data_show_lists_tables_and_attribution():
    result = runner.invoke(app, ["data", "show"])
    assert result.exit_code == 0, result.output
    assert "weighted_populations" in result.stdout
    assert "Open Government Licence" in result.stdout
