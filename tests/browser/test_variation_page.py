"""An analyst comparing an indicator between places and neighbourhoods in Chromium, on the real
shipped data: the form, the SVG charts, axe's accessibility check, and a 320px wide screen."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from placeworks.web.frontend import REPO_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SEVERE = {"serious", "critical"}
PLACES = ["Lancashire", "Blackburn with Darwen", "Blackpool", "South Cumbria"]


@pytest.fixture(scope="session")
def axe_script():
    if not AXE.is_file():
        message = f"{AXE} is missing: install the npm packages with `python3 dev.py setup`"
        if os.environ.get("PLACEWORKS_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return str(AXE)


def severe_violations(page, axe_script) -> list[str]:
    page.add_script_tag(path=axe_script)
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {node['target']}"
        for v in results["violations"]
        if v["impact"] in SEVERE
        for node in v["nodes"]
    ]


def page_scrolls_sideways(page) -> bool:
    """Whether the page itself (not a table's or chart's own scroll box) is wider than the
    window."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def test_places_then_west_lancashires_neighbourhoods(page, axe_script):
    # Given Lancashire and South Cumbria's variation page, reached from the ICB's page
    page.goto("/icb/QE1/")
    page.get_by_role("link", name="Compare an indicator between these places").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Variation between areas")
    assert severe_violations(page, axe_script) == []

    # When I pick the places and hypertension prevalence
    page.get_by_label("Compare").select_option(label="Places")
    page.get_by_label("Indicator").select_option(value="qof-hyp")
    page.get_by_role("button", name="Show variation").click()

    # Then I see every place in the table and the charts, drawn as images with names
    expect(page).to_have_url(re.compile(r"/icb/QE1/variation/\?grouping=places&indicator=qof-hyp"))
    expect(page.locator("#groups tbody [data-group]")).to_have_text(PLACES)
    for chart in ("chart-intervals", "chart-funnel", "chart-map"):
        svg = page.locator(f"svg#{chart}")
        expect(svg).to_be_visible()
        expect(svg).to_have_attribute("role", "img")
    expect(page.get_by_role("img", name=re.compile("values with limits"))).to_be_visible()
    expect(page.locator("svg#chart-map path[data-code]")).to_have_count(4)
    expect(page.get_by_role("link", name="Download the numbers as CSV")).to_have_attribute(
        "href", "/icb/QE1/variation.csv?grouping=places&indicator=qof-hyp"
    )
    assert severe_violations(page, axe_script) == []

    # When I look at West Lancashire's neighbourhoods
    page.get_by_label("Compare").select_option(label="Neighbourhoods")
    page.get_by_label("Within (optional)").select_option(label="West Lancashire (district)")
    page.get_by_role("button", name="Show variation").click()

    # Then I see its three neighbourhoods on the chart and the map
    expect(page.locator("#groups tbody [data-group]")).to_have_count(3)
    expect(page.locator("svg#chart-intervals .placeworks-chart-row")).to_have_count(3)
    expect(page.locator("svg#chart-map path[data-code]")).to_have_count(3)
    assert severe_violations(page, axe_script) == []


def test_a_series_and_a_bad_query_pass_the_accessibility_check(page, axe_script):
    page.goto("/icb/QE1/variation/?grouping=places&indicator=health-index")
    expect(page.locator("svg#chart-spc-1")).to_be_visible()
    assert severe_violations(page, axe_script) == []
    page.goto("/icb/QE1/variation/?grouping=places&indicator=qof-nope")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("There is no indicator")
    assert severe_violations(page, axe_script) == []


def test_at_320px_only_the_scroll_boxes_scroll_sideways(page):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/icb/QE1/variation/")
    assert not page_scrolls_sideways(page)
    page.goto("/icb/QE1/variation/?grouping=places&indicator=qof-hyp")
    expect(page.locator("svg#chart-intervals")).to_be_visible()
    assert not page_scrolls_sideways(page)
    # a chart keeps a readable width and scrolls inside its own box, within the screen
    box = page.locator("#chart-intervals-figure")
    assert box.evaluate("e => e.getBoundingClientRect().right") <= 320
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")
    page.goto("/icb/QE1/variation/?grouping=places&indicator=health-index")
    expect(page.locator("svg#chart-spc-1")).to_be_attached()
    assert not page_scrolls_sideways(page)
