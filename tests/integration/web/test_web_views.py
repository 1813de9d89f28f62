"""The pages through Django's test client, with the geography API replaced by a fake."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from placeworks.web.footprints.actions import import_definition
from placeworks.web.footprints.models import GeographyDefinition

pytestmark = pytest.mark.django_db


class Forms(HTMLParser):
    """The forms of a page: their attributes, fields and buttons."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"attrs": attrs, "fields": [], "buttons": [], "options": []})
        elif self.forms and tag in {"select", "input"}:
            self.forms[-1]["fields"].append(attrs.get("name"))
        elif self.forms and tag == "option":
            self.forms[-1]["options"].append((attrs.get("value"), "selected" in attrs))
        elif self.forms and tag == "button":
            self.forms[-1]["buttons"].append(attrs.get("type", "submit"))


def forms_of(html: str) -> list[dict]:
    parser = Forms()
    parser.feed(html)
    return parser.forms


def text_of(response) -> str:
    return response.content.decode()


# --- the list of ICBs ------------------------------------------------------------------------


def test_index_lists_every_icb_with_its_figures_and_a_link(client, fake_geography):
    response = client.get("/")
    assert response.status_code == 200
    html = text_of(response)
    assert ("icbs", "2025/26") in fake_geography.calls
    for code in ("QOP", "QE1", "QMM"):
        assert f'href="/icb/{code}/?year=2025%2F26"' in html
    assert "NHS Lancashire and South Cumbria ICB" in html
    assert "East of England" in html
    assert "987,000" in html
    assert "3,100,000" in html
    # In name order.
    assert html.index("Greater Manchester") < html.index("Lancashire") < html.index("Norfolk")


def test_index_year_selector_is_a_plain_get_form(client, fake_geography):
    forms = forms_of(text_of(client.get("/")))
    year_form = next(f for f in forms if "year" in f["fields"])
    assert year_form["attrs"]["method"] == "get"
    assert year_form["buttons"] == ["submit"]
    assert year_form["options"] == [("2023/24", False), ("2024/25", False), ("2025/26", True)]


def test_index_shows_the_year_asked_for(client, fake_geography):
    html = text_of(client.get("/", {"year": "2023/24"}))
    assert fake_geography.calls == [("icbs", "2023/24")]
    assert 'href="/icb/QE1/?year=2023%2F24"' in html
    assert ("2023/24", True) in forms_of(html)[0]["options"]


def test_index_explains_an_unknown_year(client, fake_geography):
    response = client.get("/", {"year": "1999/00"})
    assert response.status_code == 200
    assert fake_geography.calls == [("icbs", "2025/26")]
    assert "1999/00 is not available; showing 2025/26" in text_of(response)
    assert "nhsuk-error-message" in text_of(response)


def test_pages_use_the_nhsuk_frontend_and_credit_the_data(client, fake_geography):
    html = text_of(client.get("/"))
    assert '<link rel="stylesheet" href="/static/nhsuk-frontend.min.css">' in html
    assert 'src="/static/nhsuk-frontend.min.js"' in html
    assert 'href="/static/assets/images/favicon.ico"' in html
    assert 'class="nhsuk-header' in html
    footer = html[html.index("<footer") :]
    assert "Open Government Licence v3.0" in footer


# --- one ICB ---------------------------------------------------------------------------------


def test_icb_page_shows_the_tree_but_not_pcns_or_practices(client, fake_geography):
    response = client.get("/icb/QE1/")
    assert response.status_code == 200
    html = text_of(response)
    for name in (
        "Lancashire",
        "Blackburn with Darwen",
        "Blackpool",
        "South Cumbria",
        "East Lancashire",
        "Central and West Lancashire",
        "North Lancashire",
        "West Lancashire",
        "Skelmersdale and Up Holland",
        "Burscough and the Northern Parishes",
        "Ormskirk and Aughton",
    ):
        assert f">{name}</span>" in html or f">{name}</a></span>" in html, name
    assert "Practice P0" not in html
    assert "PCN U0" not in html
    assert "PCN Y0" not in html
    places = re.findall(r'data-level="place" data-code="([^"]+)"', html)
    assert places == ["QE1-LAN", "QE1-BWD", "QE1-BPL", "QE1-SCU"]
    for code in places:  # each place links to its deal
        assert f'<a href="/place/{code}/">' in html


def test_icb_page_uses_nhsuk_components(client, fake_geography):
    html = text_of(client.get("/icb/QE1/", {"year": "2024/25"}))
    assert 'class="nhsuk-breadcrumb"' in html
    assert 'href="/?year=2024%2F25"' in html  # back to the list, same year
    assert 'class="nhsuk-summary-list"' in html
    assert 'class="nhsuk-table' in html
    assert 'class="nhsuk-inset-text"' in html
    assert "populations for 2024/25" in html
    assert "Only part of this district is in the ICB." in html


def test_icb_page_uses_the_shipped_definition_when_none_is_stored(client, fake_geography):
    html = text_of(client.get("/icb/QE1/"))
    assert ("icb_tree", "QE1", "2025/26", None) in fake_geography.calls
    assert "the definition shipped with placeworks" in html


def test_icb_page_uses_the_stored_definition(client, fake_geography, user, qe1_yaml):
    import_definition(qe1_yaml, by=user)
    html = text_of(client.get("/icb/QE1/"))
    (_, code, year, definition) = next(c for c in fake_geography.calls if c[0] == "icb_tree")
    assert (code, year) == ("QE1", "2025/26")
    assert definition is not None
    assert [p.code for p in definition.places] == ["QE1-LAN", "QE1-BWD", "QE1-BPL", "QE1-SCU"]
    assert "this partnership&#39;s own definition" in html
    assert "by asmith" in html


def test_an_unreadable_stored_definition_is_reported_not_used(client, fake_geography):
    GeographyDefinition.objects.create(icb_code="QE1", yaml="icb: QE1\nplaces: []\n")
    response = client.get("/icb/QE1/")
    assert response.status_code == 200
    assert ("icb_tree", "QE1", "2025/26", None) in fake_geography.calls
    html = text_of(response)
    assert "The stored definition was not used" in html
    assert "stored definition of QE1, field &#39;places&#39;" in html


def test_unknown_icb_is_404_in_the_nhsuk_style(client, fake_geography):
    response = client.get("/icb/QZZ/")
    assert response.status_code == 404
    html = text_of(response)
    assert "Page not found" in html
    assert "There is no ICB with ODS code QZZ in 2025/26." in html
    assert 'class="nhsuk-header' in html


def test_unknown_path_is_404_without_internals(client, fake_geography):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in text_of(response)
    assert "Resolver404" not in text_of(response)


def test_lower_case_code_redirects_keeping_the_year(client, fake_geography):
    response = client.get("/icb/qe1/", {"year": "2024/25"})
    assert response.status_code == 302
    assert response["Location"] == "/icb/QE1/?year=2024%2F25"


# --- static files and the admin --------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/static/nhsuk-frontend.min.css", "text/css"),
        ("/static/nhsuk-frontend.min.js", "text/javascript"),
        ("/static/assets/images/favicon.svg", "image/svg+xml"),
        # The NHS.UK CSS refers to its icons at /assets/.
        ("/assets/images/nhsuk-icon-cross.svg", "image/svg+xml"),
        ("/static/admin/css/base.css", "text/css"),
    ],
)
def test_static_files_are_served_without_collectstatic(client, path, content_type):
    response = client.get(path)
    try:
        body = b"".join(response.streaming_content)
    finally:
        response.close()
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert len(body) > 100


def test_admin_still_renders_with_django_templates(admin_client_as):
    response = admin_client_as.get("/admin/footprints/geographydefinition/add/")
    assert response.status_code == 200
    assert 'name="yaml"' in text_of(response)
    assert "Definition (YAML)" in text_of(response)
