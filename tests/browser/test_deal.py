"""People working on the Lancashire deal in Chromium, on the worked example."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "placeworks-demo"


@pytest.fixture
def worked_example(transactional_db):
    from placeworks.governance import demo

    users = demo.ensure_demo_accounts()
    demo.load_worked_example(by=users["icb-admin"])
    return users


def sign_in(page, username: str, then: str = "/place/QE1-LAN/") -> None:
    page.goto(then)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("header")).to_contain_text(f"Signed in as {username}")


def record_decision(page, to: str, on: str, reasons: str) -> None:
    page.get_by_role("button", name="Record a decision").click()
    page.get_by_label(to, exact=True).check()
    page.get_by_label("Date of the decision").fill(on)
    page.get_by_label("Decided by a body").select_option(label="Lancashire Place Board")
    page.get_by_label("Reasons").fill(reasons)
    page.get_by_label("Evidence (optional)").fill("Place Board minutes")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#delegation-status")).to_have_text(to)


def heat_count(page, likelihood: int, impact: int) -> int:
    cell = page.locator(f'#heat-map-1 td[data-likelihood="{likelihood}"][data-impact="{impact}"]')
    return int(cell.get_attribute("data-count"))


def test_an_editor_takes_a_delegation_from_proposed_to_effective(page, worked_example):
    # Given lancs-editor signs in and opens Lancashire's deal
    sign_in(page, "lancs-editor")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("Lancashire: the deal at a glance")
    )

    # When they propose the county council's delegation of the Better Care Fund
    page.get_by_role("link", name="Propose a delegation").click()
    page.get_by_label("Function").select_option(label="Better Care Fund")
    page.get_by_label("Delegated by (organisation)").select_option(
        label="Lancashire County Council (E10000017)"
    )
    page.get_by_label("Delegated to a post").select_option(
        label="Director of Health and Care Integration"
    )
    page.get_by_label("Instrument reference (optional)").fill("Section 75, schedule 2")
    page.get_by_label("Phase (optional)").fill("2")
    page.get_by_role("button", name="Save the delegation").click()

    # Then it is proposed, and each recorded decision moves it on
    expect(page.locator("#delegation-status")).to_have_text("Proposed")
    record_decision(page, "Readiness assessed", "2024-01-10", "Assessed as core")
    record_decision(page, "Approved", "2024-02-10", "Approved by the Place Board")
    record_decision(page, "Effective", "2024-04-01", "The Section 75 is signed")
    history = page.locator("#lifecycle tbody tr")
    expect(history).to_have_count(3)
    expect(history.nth(2)).to_contain_text("Approved to effective")
    expect(history.nth(2)).to_contain_text("The Section 75 is signed")

    # And the place page counts it as effective
    page.get_by_role("link", name="Lancashire", exact=True).last.click()
    expect(page.locator("#status-counts")).to_contain_text("Effective")
    expect(page.locator("#delegations-table")).to_contain_text("Effective")


def test_an_editor_records_a_risk_and_sees_it_on_the_heat_map(page, worked_example):
    # Given lancs-editor on Lancashire's risks
    sign_in(page, "lancs-editor", then="/place/QE1-LAN/risks/")
    before = heat_count(page, 3, 3)

    # When they record a risk, first leaving out its title
    page.get_by_role("link", name="Add a risk").click()
    page.get_by_label("Reference").fill("LAN-R09")
    page.get_by_label("Category").select_option(label="Finance")
    for stage, (likelihood, impact) in {
        "Inherent": (4, 4),
        "Current": (3, 3),
        "Target": (2, 2),
    }.items():
        page.get_by_label(f"{stage} likelihood").select_option(value=str(likelihood))
        page.get_by_label(f"{stage} impact").select_option(value=str(impact))
    page.get_by_role("button", name="Save the risk").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the title.")
    page.get_by_label("Title", exact=True).fill("Social care market fragility")
    page.get_by_role("button", name="Save the risk").click()

    # Then it is shown, listed and counted on the heat map
    expect(page.get_by_role("heading", level=1)).to_contain_text("LAN-R09")
    expect(page.locator("#record-summary")).to_contain_text("Social care market fragility")
    page.get_by_role("link", name="Every risk of Lancashire").click()
    expect(page.locator("#register-table")).to_contain_text("LAN-R09")
    assert heat_count(page, 3, 3) == before + 1
    page.goto("/place/QE1-LAN/")
    assert heat_count(page, 3, 3) == before + 1


def test_a_viewer_can_see_but_not_edit(page, worked_example):
    sign_in(page, "lancs-viewer")
    expect(page.locator("#delegations-table")).to_contain_text("Better Care Fund")
    expect(page.get_by_role("link", name="Propose a delegation")).to_have_count(0)
    page.get_by_role("link", name="Better Care Fund").click()
    expect(page.get_by_role("button", name="Record a decision")).to_have_count(0)
    expect(page.get_by_role("button", name="Edit this delegation")).to_have_count(0)
    response = page.goto(page.url + "edit/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot see or change this")


def test_blackpools_editor_cannot_edit_a_lancashire_record(page, worked_example):
    sign_in(page, "blackpool-editor", then="/place/QE1-BPL/")
    response = page.goto("/place/QE1-LAN/delegations/new/")
    assert response.status == 403
    expect(page.locator("#permission-message")).to_contain_text(
        "blackpool-editor cannot see the records of Lancashire (QE1-LAN)"
    )


@pytest.mark.parametrize(
    "path",
    ["/place/QE1-LAN/", "/place/QE1-LAN/workstreams/", "/place/QE1-LAN/decisions/new/"],
)
def test_the_deal_fits_a_320px_screen(page, worked_example, path):
    sign_in(page, "icb-admin", then=path)
    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.body.scrollWidth]"
    )
    assert max(widths) <= 320, widths


def test_an_editor_keeps_a_workstream_and_its_milestones(page, worked_example):
    # Given lancs-editor on Lancashire's workstreams
    sign_in(page, "lancs-editor", then="/place/QE1-LAN/workstreams/")

    # When they add a workstream, a milestone from its page, and rename it
    page.get_by_role("link", name="Add a workstream").click()
    page.get_by_label("Name", exact=True).fill("Falls prevention in Skelmersdale")
    page.get_by_label("Purpose (optional)").fill("Fewer falls at home")
    page.get_by_role("button", name="Save the workstream").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Falls prevention")
    page.get_by_role("link", name="Add to the milestones").click()
    page.get_by_label("Title", exact=True).fill("Falls team in post")
    page.get_by_label("Due on (optional)").fill("2025-03-31")
    page.get_by_role("button", name="Save the milestone").click()
    expect(page.locator("#record-summary")).to_contain_text("Falls prevention in Skelmersdale")
    page.get_by_role("link", name="Falls prevention in Skelmersdale").first.click()
    expect(page.locator("#milestones + .nhsuk-table-container")).to_contain_text(
        "Falls team in post"
    )
    page.get_by_role("button", name="Edit this workstream").click()
    page.get_by_label("Name", exact=True).fill("Falls prevention in West Lancashire")
    page.get_by_role("button", name="Save the workstream").click()

    # Then the history shows who changed what, before and after
    history = page.locator(".placeworks-history-entry").first
    expect(history).to_contain_text("Version 2: changed by lancs-editor")
    expect(history).to_contain_text("Falls prevention in Skelmersdale")
    expect(history).to_contain_text("Falls prevention in West Lancashire")

    # And it can be found by search and downloaded
    page.goto("/place/QE1-LAN/workstreams/?q=falls")
    expect(page.locator("#register-count")).to_contain_text("Showing 1 to 1 of 1 workstream")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    with open(download.value.path(), encoding="utf-8-sig") as exported:
        text = exported.read()
    assert "Falls prevention in West Lancashire" in text
    assert len(text.strip().splitlines()) == 2
