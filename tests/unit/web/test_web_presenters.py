"""Presenters: what the pages show, from hand-built geography objects (no database)."""

from __future__ import annotations

from datetime import datetime

import pytest

from placeworks.geography import Level, Node
from placeworks.web.presenters import (
    NOT_AVAILABLE,
    DefinitionSource,
    IcbListPage,
    IcbPage,
    YearChoice,
    area_rows,
    format_count,
    format_score,
    pcn_count,
)

YEARS = ("2023/24", "2024/25", "2025/26")


def year(requested: str | None = None) -> YearChoice:
    return YearChoice.from_query(requested, YEARS, "2025/26")


@pytest.mark.parametrize(
    ("value", "text"),
    [(0, "0"), (999.5, "1,000"), (1_234_567.4, "1,234,567"), (12, "12"), (None, NOT_AVAILABLE)],
)
def test_format_count(value, text):
    assert format_count(value) == text


@pytest.mark.parametrize(("value", "text"), [(21.04, "21.0"), (9.96, "10.0"), (None, "–")])
def test_format_score(value, text):
    assert format_score(value) == text


class TestYearChoice:
    def test_no_year_asked_for_gives_the_default_without_complaint(self):
        choice = year(None)
        assert choice.selected == "2025/26"
        assert choice.error is None

    def test_a_known_year_is_chosen(self):
        choice = year(" 2023/24 ")
        assert choice.selected == "2023/24"
        assert choice.error is None

    def test_an_unknown_year_falls_back_to_the_default_and_says_so(self):
        choice = year("2019/20")
        assert choice.selected == "2025/26"
        assert choice.error == (
            "2019/20 is not available; showing 2025/26. Choose one of 2023/24, 2024/25, 2025/26."
        )

    def test_query_keeps_the_year_on_links(self):
        assert year("2024/25").query == "?year=2024%2F25"

    def test_select_params_mark_the_chosen_year(self):
        params = year("2024/25").select_params()
        assert params["name"] == "year"
        assert [(i["value"], i["selected"]) for i in params["items"]] == [
            ("2023/24", False),
            ("2024/25", True),
            ("2025/26", False),
        ]
        assert "errorMessage" not in params

    def test_select_params_carry_the_error(self):
        assert year("nonsense").select_params()["errorMessage"]["text"].startswith("nonsense is")


class TestIcbListPage:
    def test_rows_are_by_name_with_formatted_figures(self, fake_summaries):
        page = IcbListPage.build(fake_summaries, year())
        assert [r.code for r in page.rows] == ["QOP", "QE1", "QMM"]
        lancs = page.rows[1]
        assert lancs.name == "NHS Lancashire and South Cumbria ICB"
        assert lancs.region == "North West"
        assert lancs.practices == "10"
        assert lancs.registered_population == "987,000"
        assert lancs.registered_population_value == 987_000

    def test_totals_and_count(self, fake_summaries):
        page = IcbListPage.build(fake_summaries, year())
        assert page.total_practices == "535"
        assert page.total_registered_population == "5,187,000"
        assert page.count == "3 integrated care boards"
        assert IcbListPage.build(fake_summaries[:1], year()).count == "1 integrated care board"


class TestAreaRows:
    def test_lists_areas_depth_first_without_pcns_or_practices(self, fake_tree):
        rows = area_rows(fake_tree)
        assert [(r.depth, r.level, r.name) for r in rows[:7]] == [
            (0, "Place", "Lancashire"),
            (1, "Locality", "East Lancashire"),
            (2, "District", "Burnley"),
            (1, "Locality", "Central and West Lancashire"),
            (2, "District", "West Lancashire"),
            (3, "Neighbourhood", "Skelmersdale and Up Holland"),
            (3, "Neighbourhood", "Burscough and the Northern Parishes"),
        ]
        assert not any(r.level in {"PCN", "Practice"} for r in rows)
        assert len(rows) == 4 + 3 + 7 + 3  # places, localities, districts, neighbourhoods

    def test_rows_carry_formatted_figures_and_counts(self, fake_tree):
        skel = next(r for r in area_rows(fake_tree) if r.code == "QE1-WL-SKEL")
        assert skel.resident_population == "40,000"
        assert skel.registered_population == "15,000"
        assert skel.pcns == "1"
        assert skel.practices == "2"
        assert skel.imd_score == "38.2"  # 38.25 rounds half to even

    def test_deeper_rows_are_indented_further(self, fake_tree):
        indents = {r.depth: r.indent for r in area_rows(fake_tree)}
        assert indents[0] < indents[1] < indents[2] < indents[3]

    def test_missing_imd_and_flags_are_shown_as_such(self, fake_tree):
        rows = {r.code: r for r in area_rows(fake_tree)}
        assert rows["QE1-SCU"].imd_score == NOT_AVAILABLE
        assert rows["E06000064"].flags == ("Only part of this district is in the ICB.",)


def test_a_pcn_in_two_places_is_counted_once(fake_tree):
    assert pcn_count(fake_tree) == 8
    assert sum(pcn_count(place) for place in fake_tree.children) == 9


class TestIcbPage:
    def test_summary(self, fake_tree, fake_summaries):
        page = IcbPage.build(
            fake_tree, year(), DefinitionSource.shipped("Board"), fake_summaries[1]
        )
        assert page.name == "NHS Lancashire and South Cumbria ICB"
        assert page.region == "North West"
        assert page.place_names == (
            "Lancashire",
            "Blackburn with Darwen",
            "Blackpool",
            "South Cumbria",
        )
        assert {i.key: i.value for i in page.summary} == {
            "ODS code": "QE1",
            "Region": "North West",
            "Financial year": "2025/26",
            "Places": "4",
            "Localities": "3",
            "Neighbourhoods": "3",
            "Districts": "7",
            "Resident population": "989,000",
            "Registered population": "987,000",
            "Primary care networks": "8",
            "GP practices": "10",
            "IMD score (population-weighted)": "30.1",
        }

    def test_levels_that_are_absent_are_not_summarised(self):
        place = Node("QX1-A", "A", Level.PLACE, 10.0, 5.0, 0, None)
        tree = Node("QX1", "NHS X ICB", Level.ICB, 10.0, 5.0, 0, None, children=(place,))
        keys = [i.key for i in IcbPage.build(tree, year(), DefinitionSource.default()).summary]
        assert "Localities" not in keys
        assert "Neighbourhoods" not in keys
        assert keys[1:4] == ["Region", "Financial year", "Places"]

    def test_only_an_icb_can_be_the_page(self, fake_tree):
        with pytest.raises(ValueError, match="expected an ICB node, got place QE1-LAN"):
            IcbPage.build(fake_tree.children[0], year(), DefinitionSource.default())

    def test_data_notes_name_the_year(self, fake_tree):
        page = IcbPage.build(fake_tree, year("2023/24"), DefinitionSource.default())
        assert any("populations for 2023/24" in note for note in page.data_notes)


class TestDefinitionSource:
    def test_stored(self):
        source = DefinitionSource.stored(datetime(2026, 3, 5, 14, 30), "asmith")
        assert source.text == (
            "Places and localities are this partnership's own definition, updated 5 March 2026"
            " by asmith."
        )

    def test_stored_by_nobody_known(self):
        assert DefinitionSource.stored(datetime(2026, 3, 5), None).text.endswith("March 2026.")

    def test_shipped_names_its_source(self):
        text = DefinitionSource.shipped("ICB Board, 5 July 2023\n").text
        assert text.endswith("shipped with placeworks. Source: ICB Board, 5 July 2023.")

    def test_default(self):
        assert "upper-tier local authority" in DefinitionSource.default().text

    def test_problem_is_kept(self):
        assert DefinitionSource.default(problem="bad").problem == "bad"
