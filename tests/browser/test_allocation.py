"""A finance lead comparing allocation methods in Chromium, on the real shipped data."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_need_against_historic_for_lancashire_and_south_cumbrias_places(page):
    # Given Lancashire and South Cumbria's allocation page, reached from the ICB's page
    page.goto("/icb/QE1/")
    page.get_by_role("link", name="Allocate a budget between these places").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Allocate a budget")

    # When I share £3.5 billion of core services between the places by need and by history
    page.get_by_label("Share between").select_option(label="Places")
    page.get_by_label("Delegated function").select_option(label="Core services")
    page.get_by_label("Envelope").fill("3,500,000,000")
    expect(page.get_by_label("Historic baseline")).to_contain_text("ILLUSTRATIVE")
    page.locator("#scenario-1-fields").get_by_label("Need", exact=True).check()
    page.locator("#scenario-2-fields").get_by_label("Historic", exact=True).check()
    page.get_by_role("button", name="Allocate").click()

    # Then each scenario shares the envelope between the four places
    expect(page).to_have_url(re.compile(r"/icb/QE1/allocation/\?.*s2-method=historic"))
    for scenario in ("#scenario-1", "#scenario-2"):
        names = page.locator(f"{scenario} tbody tr [data-group]")
        expect(names).to_have_text(
            ["Blackburn with Darwen", "Blackpool", "Lancashire", "South Cumbria", "Total"]
        )
    expect(page.locator("#scenario-2")).to_contain_text("ILLUSTRATIVE")

    # And I see who gains and who loses by moving from need to history
    expect(page.get_by_role("heading", name="Gainers and losers")).to_be_visible()
    gainers = page.locator("#gainers-2 li")
    losers = page.locator("#losers-2 li")
    expect(gainers).to_have_count(2)
    expect(gainers.first).to_contain_text(re.compile(r"^Lancashire: \+£[\d,]+\.\d\d"))
    expect(losers).to_have_count(2)
    expect(losers.first).to_contain_text(re.compile(r"^Blackpool: -£[\d,]+\.\d\d"))
    expect(page.get_by_role("link", name="Download Excel (.xlsx)")).to_have_attribute(
        "href", re.compile(r"^/icb/QE1/allocation\.xlsx\?year=2025%2F26&grouping=places")
    )
