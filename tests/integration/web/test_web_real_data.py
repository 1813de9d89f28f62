"""The pages on the shipped data and the real geography API (no fakes)."""

from __future__ import annotations

import re

import pytest

from placeworks.web.footprints.actions import import_definition

pytestmark = pytest.mark.django_db

PLACE = re.compile(r'data-level="place" data-code="([^"]+)"')


def test_index_lists_the_42_icbs(client):
    html = client.get("/").content.decode()
    links = set(re.findall(r'href="/icb/(Q[A-Z0-9]{2})/\?year=2025%2F26"', html))
    assert len(links) == 42
    assert "QE1" in links


def test_lancashire_and_south_cumbria_has_its_four_places(client):
    response = client.get("/icb/QE1/")
    assert response.status_code == 200
    html = response.content.decode()
    assert PLACE.findall(html) == ["QE1-LAN", "QE1-BWD", "QE1-BPL", "QE1-SCU"]
    assert html.count('data-level="locality"') == 3
    assert html.count('data-level="neighbourhood"') == 3


def test_an_earlier_year(client):
    response = client.get("/icb/QE1/", {"year": "2023/24"})
    assert response.status_code == 200
    assert "populations for 2023/24" in response.content.decode()


def test_the_stored_definition_draws_the_places(client, qe1_yaml):
    # Blackpool joins Blackburn with Darwen in one place.
    merged = qe1_yaml.replace("districts: [E06000008]", "districts: [E06000008, E06000009]")
    merged = merged.replace(
        "  - code: QE1-BPL\n    name: Blackpool\n    districts: [E06000009]\n", ""
    )
    assert "QE1-BPL" not in merged
    import_definition(merged, by=None)
    html = client.get("/icb/QE1/").content.decode()
    assert PLACE.findall(html) == ["QE1-LAN", "QE1-BWD", "QE1-SCU"]
    assert "this partnership&#39;s own definition" in html


def test_a_stored_definition_that_does_not_fit_the_data_is_reported(client, qe1_yaml):
    # South Cumbria without North Yorkshire's part leaves Bentham in no place.
    gap = qe1_yaml.replace(
        "districts: [E06000064, E06000063, E06000065]", "districts: [E06000064, E06000063]"
    )
    import_definition(gap, by=None)
    html = client.get("/icb/QE1/").content.decode()
    assert "The stored definition was not used" in html
    assert "E06000065" in html
    assert PLACE.findall(html) == ["QE1-LAN", "QE1-BWD", "QE1-BPL", "QE1-SCU"]
    assert "the definition shipped with placeworks" in html
