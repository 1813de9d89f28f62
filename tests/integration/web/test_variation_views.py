"""The variation page and its CSV on the shipped data: Lancashire and South Cumbria's places and
West Lancashire's neighbourhoods."""

from __future__ import annotations

import csv
import io
import math
import re

import pytest
from django.test import Client
from tests.html_tables import tables_of

from placeworks.indicators.variation import variation

pytestmark = pytest.mark.django_db

URL = "/icb/QE1/variation/"
CSV_URL = "/icb/QE1/variation.csv"
PLACES = {"Lancashire", "Blackburn with Darwen", "Blackpool", "South Cumbria"}
HOODS = {
    "Skelmersdale and Up Holland",
    "Burscough and the Northern Parishes",
    "Ormskirk and Aughton",
}
PLACES_HYP = {"grouping": "places", "indicator": "qof-hyp"}
HOODS_HYP = {"grouping": "neighbourhoods", "indicator": "qof-hyp", "within": "E07000127"}


@pytest.fixture(scope="module")
def client() -> Client:
    return Client()


def text_of(response) -> str:
    return response.content.decode()


def svg_ids(html: str) -> list[str]:
    return re.findall(r'<svg [^>]*id="([^"]+)"[^>]*role="img"', html)


def read_csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def close(text: str, number: float | None) -> bool:
    if number is None or (isinstance(number, float) and math.isnan(number)):
        return text == ""
    return math.isclose(float(text), number, rel_tol=1e-12)


def test_the_icb_page_links_to_the_variation_page(client):
    assert f'href="{URL}"' in text_of(client.get("/icb/QE1/"))


def test_without_a_query_the_page_shows_the_form(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = text_of(response)
    assert 'id="variation-form"' in html
    assert 'value="qof-hyp"' in html
    assert 'value="E07000127"' in html  # West Lancashire, to look within
    assert 'class="placeworks-chart"' not in html


def test_places_every_place_named_with_charts(client):
    response = client.get(URL, PLACES_HYP)
    assert response.status_code == 200
    html = text_of(response)
    rows = tables_of(response)["groups"]
    assert {row[0] for row in rows[1:]} == PLACES
    assert rows[0][-2:] == ["Compared with the benchmark", "On the funnel plot"]
    assert svg_ids(html) == ["chart-intervals", "chart-funnel", "chart-map"]
    for place in PLACES:
        assert f'data-code="{code_of(place)}"' in html
    assert "Slope index of inequality" in html
    assert "Before you use these figures" in html  # the notes
    assert "NHS Digital, Quality and Outcomes Framework 2020-21" in html


def code_of(place: str) -> str:
    codes = {
        "Lancashire": "QE1-LAN",
        "Blackburn with Darwen": "QE1-BWD",
        "Blackpool": "QE1-BPL",
        "South Cumbria": "QE1-SCU",
    }
    return codes[place]


def test_west_lancashires_neighbourhoods(client):
    response = client.get(URL, HOODS_HYP)
    assert response.status_code == 200
    rows = tables_of(response)["groups"]
    assert {row[0] for row in rows[1:]} == HOODS
    assert {row[1] for row in rows[1:]} == {"West Lancashire"}
    assert svg_ids(text_of(response)) == ["chart-intervals", "chart-funnel", "chart-map"]


def test_a_score_with_a_series_has_spc_charts(client):
    response = client.get(URL, {"grouping": "places", "indicator": "health-index"})
    assert response.status_code == 200
    ids = svg_ids(text_of(response))
    assert ids[:2] == ["chart-intervals", "chart-map"]
    assert "chart-funnel" not in ids  # a score has no limits
    assert len([i for i in ids if i.startswith("chart-spc-")]) == 5  # four places and the ICB


def test_pcns_have_no_map_and_say_why(client):
    response = client.get(URL, {"grouping": "pcns", "indicator": "imd-2019"})
    assert response.status_code == 200
    html = text_of(response)
    assert 'id="no-map"' in html
    assert "chart-map" not in svg_ids(html)


@pytest.mark.parametrize(("query", "label"), [(PLACES_HYP, "places"), (HOODS_HYP, "hoods")])
def test_csv_rows_are_the_groups_with_the_values_variation_gives(client, query, label):
    response = client.get(CSV_URL, query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        f"placeworks-variation-QE1-qof-hyp-{query['grouping']}" in (response["Content-Disposition"])
    )
    rows = read_csv(response)
    expected = variation("QE1", query["grouping"], query["indicator"], within=query.get("within"))
    assert [r["code"] for r in rows] == [g.code for g in expected.groups]
    assert {r["name"] for r in rows} == (PLACES if label == "places" else HOODS)
    for row, g in zip(rows, expected.groups, strict=True):
        for name in ("numerator", "denominator", "value", "lower95", "upper95", "lower998"):
            assert close(row[name], getattr(g, name)), (g.code, name)
        assert row["significance"] == g.significance
        assert close(row["benchmark"], expected.benchmark)
        assert row["source"] == expected.indicator.source


def test_a_bad_indicator_gives_a_message_not_an_error(client):
    response = client.get(URL, {"grouping": "places", "indicator": "qof-nope"})
    assert response.status_code == 200
    html = text_of(response)
    assert "There is a problem" in html
    assert "There is no indicator “qof-nope”" in html
    assert 'href="#indicator"' in html
    assert 'class="placeworks-chart"' not in html


def test_a_bad_csv_query_shows_the_page_with_400(client):
    response = client.get(CSV_URL, {"grouping": "wards", "indicator": "qof-hyp"})
    assert response.status_code == 400
    assert "“wards” is not a grouping" in text_of(response)


def test_an_area_the_grouping_cannot_lie_within_is_explained(client):
    query = {"grouping": "places", "indicator": "qof-hyp", "within": "E07000127"}
    response = client.get(URL, query)
    assert response.status_code == 200
    html = text_of(response)
    assert "These figures could not be made" in html
    assert "E07000127" in html


def test_an_indicator_not_offered_for_the_grouping_is_explained(client):
    response = client.get(URL, {"grouping": "neighbourhoods", "indicator": "health-index"})
    assert response.status_code == 200
    assert "is not available for neighbourhoods" in text_of(response)


def test_codes_are_upper_cased_and_unknown_icbs_are_404(client):
    response = client.get("/icb/qe1/variation/", PLACES_HYP)
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?grouping=places&indicator=qof-hyp"
    assert client.get("/icb/QZZ/variation/").status_code == 404
    assert client.get("/icb/QZZ/variation.csv", PLACES_HYP).status_code == 404


def test_the_csv_without_a_query_goes_to_the_page(client):
    response = client.get(CSV_URL)
    assert response.status_code == 302
    assert response["Location"] == URL


def test_a_stored_definition_is_said_not_to_be_followed(client, qe1_yaml):
    from placeworks.web.footprints.models import GeographyDefinition

    GeographyDefinition.objects.create(icb_code="QE1", yaml=qe1_yaml)
    html = text_of(client.get(URL, PLACES_HYP))
    assert "has its own definition of places stored here" in html
    GeographyDefinition.objects.all().delete()
    assert "has its own definition of places stored" not in text_of(client.get(URL, PLACES_HYP))


def test_the_places_on_the_map_cover_the_icb_without_overlapping():
    from placeworks.geography.api import definition_for
    from placeworks.web.variation_maps import map_areas

    drawn = map_areas("QE1", [code_of(p) for p in PLACES], definition_for("QE1"))
    places = list(drawn.areas.values())
    assert len(places) == 4
    total = sum(p.area for p in places)
    assert total == pytest.approx(drawn.outline.area, rel=0.01)
    for i, a in enumerate(places):
        for b in places[i + 1 :]:
            assert a.intersection(b).area < 0.001 * min(a.area, b.area)
    hoods = map_areas("QE1", sorted(HOODS_CODES), definition_for("QE1"), within="E07000127")
    assert set(hoods.areas) == HOODS_CODES
    assert sum(h.area for h in hoods.areas.values()) == pytest.approx(hoods.outline.area, rel=0.01)


HOODS_CODES = {"QE1-WL-SKEL", "QE1-WL-BURS", "QE1-WL-ORMS"}


def test_pcns_and_icbs_without_boundaries_have_no_map():
    from placeworks.geography.api import definition_for
    from placeworks.web.variation_maps import map_areas

    assert map_areas("QE1", ["U12345"], definition_for("QE1")) is None
    assert map_areas("QHM", ["QHM-X"], definition_for("QHM")) is None


def test_a_grouping_an_area_lacks_says_so_without_charts(client):
    query = {"grouping": "neighbourhoods", "indicator": "qof-hyp", "within": "QE1-BPL"}
    response = client.get(URL, query)
    assert response.status_code == 200
    html = text_of(response)
    assert 'id="no-groups"' in html
    assert 'class="placeworks-chart"' not in html


def test_an_empty_choice_asks_for_it(client):
    response = client.get(URL, {"grouping": "", "indicator": "qof-hyp"})
    assert response.status_code == 200
    html = text_of(response)
    assert "There is a problem" in html
    assert re.search(r'<a href="#grouping">\s*Choose what to compare\s*</a>', html)
