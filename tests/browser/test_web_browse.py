"""A person browsing the ICBs in Chromium, on the real shipped data."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_the_list_of_icbs_to_lancashire_and_south_cumbrias_places(page):
    # Given the list of ICBs
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Integrated care boards")
    table = page.locator("#icbs")
    expect(table.locator("tbody tr")).to_have_count(42)
    expect(table).to_contain_text("NHS Greater Manchester ICB")

    # When I follow Lancashire and South Cumbria
    page.get_by_role("link", name="NHS Lancashire and South Cumbria ICB").click()

    # Then I see its four places, and its localities and neighbourhoods
    expect(page).to_have_url(re.compile(r"/icb/QE1/\?year=2025%2F26$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "NHS Lancashire and South Cumbria ICB"
    )
    places = page.locator('#tree [data-level="place"]')
    expect(places).to_have_text(
        ["Lancashire", "Blackburn with Darwen", "Blackpool", "South Cumbria"]
    )
    expect(page.locator('#tree [data-level="locality"]')).to_have_count(3)
    expect(page.locator('#tree [data-level="neighbourhood"]')).to_have_count(3)
    expect(page.locator("footer")).to_contain_text("Open Government Licence v3.0")


def test_the_year_selector_works_without_javascript(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/")
        page.get_by_label("Financial year").select_option("2023/24")
        page.get_by_role("button", name="Show this year").click()
        expect(page).to_have_url(re.compile(r"/\?year=2023%2F24$"))
        expect(page.locator("#icbs caption")).to_contain_text("2023/24")
        page.get_by_role("link", name="NHS Lancashire and South Cumbria ICB").click()
        expect(page).to_have_url(re.compile(r"/icb/QE1/\?year=2023%2F24$"))
    finally:
        context.close()


def test_pages_have_the_nhsuk_look(page):
    page.goto("/")
    # The NHS.UK stylesheet loaded and applied: the header is NHS blue.
    header = page.locator("header.nhsuk-header")
    expect(header).to_have_css("background-color", "rgb(0, 94, 184)")
    # Its JavaScript ran.
    expect(page.locator("body")).to_have_class(re.compile(r"nhsuk-frontend-supported"))
