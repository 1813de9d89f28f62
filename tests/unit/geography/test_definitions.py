"""Definitions are validated data: bad ones fail with the file and field named."""

from __future__ import annotations

import pytest

from placeworks.data import DataValidationError
from placeworks.geography import icb_tree, parse_definition, shipped_definitions
from placeworks.geography.api import default_definition


def qe1_with(replace: str, by: str) -> str:
    from importlib import resources

    text = (resources.files("placeworks.geography") / "definitions" / "QE1.yaml").read_text()
    assert replace in text
    return text.replace(replace, by, 1)


def test_shipped_definition_parses():
    qe1 = shipped_definitions()["QE1"]
    assert [p.code for p in qe1.places] == ["QE1-LAN", "QE1-BWD", "QE1-BPL", "QE1-SCU"]


def test_malformed_code_names_the_field():
    text = qe1_with("E06000008]", "E0600008]")
    with pytest.raises(DataValidationError) as caught:
        parse_definition(text, "mine.yaml")
    assert "mine.yaml" in str(caught.value)
    assert caught.value.field == "places.1.districts.0"
    assert "not a local authority district GSS code" in str(caught.value)


def test_two_kinds_of_member_are_refused():
    text = "icb: QE1\nplaces:\n  - {code: A1, name: A, districts: [E06000008], wards: [E05014929]}"
    with pytest.raises(DataValidationError, match="exactly one kind of member"):
        parse_definition(text, "x.yaml")


def test_invalid_yaml_names_the_line():
    with pytest.raises(DataValidationError) as caught:
        parse_definition("icb: QE1\nplaces: [\n", "broken.yaml")
    assert caught.value.row is not None


def test_duplicate_codes_are_refused():
    text = qe1_with("code: QE1-BPL", "code: QE1-BWD")
    with pytest.raises(DataValidationError, match="used twice"):
        parse_definition(text, "x.yaml")


def test_a_district_in_no_place_is_an_error():
    # Drop Blackpool's place: its LSOAs and practices are then in no place.
    text = qe1_with("districts: [E06000009]", "districts: [E06000008]")
    definition = parse_definition(text, "x.yaml")
    with pytest.raises(DataValidationError) as caught:
        icb_tree("QE1", "2025/26", definition)
    message = str(caught.value)
    assert "in none of the places" in message
    assert "E06000009" in message
    assert "in more than one of the places" in message


def test_localities_must_partition_their_place():
    # Move Wyre out of North Lancashire: it is then in no locality.
    text = qe1_with("districts: [E07000119, E07000121, E07000128]", "districts: [E07000119]")
    with pytest.raises(DataValidationError, match="localities of QE1-LAN"):
        icb_tree("QE1", "2025/26", parse_definition(text, "x.yaml"))


def test_places_made_of_practices():
    # A user grouping by practices: every QE1 practice in one place of two.
    from placeworks.data import load

    wp = load("weighted_populations")
    codes = sorted(wp.loc[(wp.year == "2025/26") & (wp.icb_code == "QE1"), "practice_code"])
    half = len(codes) // 2
    text = (
        "icb: QE1\nplaces:\n"
        f"  - {{code: NORTH, name: North, practices: [{', '.join(codes[:half])}]}}\n"
        f"  - {{code: SOUTH, name: South, practices: [{', '.join(codes[half:])}]}}\n"
    )
    tree = icb_tree("QE1", "2025/26", parse_definition(text, "x.yaml"))
    assert [p.practices for p in tree.children] == [half, len(codes) - half]
    assert tree.children[0].resident_population == 0


def test_default_places_are_upper_tier_authorities():
    # Greater Manchester's places are its ten metropolitan boroughs.
    gm = default_definition("QOP")
    assert len(gm.places) == 10
    assert {p.name for p in gm.places} >= {"Manchester", "Bolton", "Wigan", "Stockport"}
    tree = icb_tree("QOP", "2025/26")
    assert len(tree.children) == 10
