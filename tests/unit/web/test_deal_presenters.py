"""The deal register's presenters, on plain stand-ins: no database."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace as NS

from placeworks.governance.money import fund_totals
from placeworks.governance.risks import default_matrix
from placeworks.web.deal_presenters import (
    DARK_TEXT,
    LIGHT_TEXT,
    DelegationPage,
    HeatMap,
    PlacePage,
    delegation_rows,
    format_date,
    format_pounds,
    status_counts,
    text_colour_on,
)

D = datetime.date
TODAY = D(2025, 6, 1)


class Matrix:
    pk = 1

    def spec(self):
        return default_matrix()

    def __str__(self):
        return "NPSA 5 x 5"


class Category(NS):
    def __str__(self):
        return "Finance"


CATEGORY = Category(matrix=Matrix(), appetite=8)


def risk(ref, likelihood, impact, review=None, status="open"):
    return NS(
        pk=hash(ref) % 1000,
        reference=ref,
        title=f"Risk {ref}",
        category=CATEGORY,
        owner=None,
        current_likelihood=likelihood,
        current_impact=impact,
        review_date=review,
        status=status,
    )


def delegation(function, status="proposed", phase=None, pk=1):
    return NS(
        pk=pk,
        function=function,
        delegate_post="Director",
        delegate_body=None,
        phase=phase,
        status=status,
        status_since=None,
        target_date=D(2026, 4, 1),
    )


def test_a_heat_map_counts_risks_by_likelihood_and_impact_highest_likelihood_first():
    heat = HeatMap.build("NPSA", default_matrix(), [(4, 4), (4, 4), (1, 2)])
    assert heat.total == 3
    assert [row.likelihood for row in heat.rows] == [5, 4, 3, 2, 1]
    assert heat.rows[0].label == "5 Almost certain"
    assert heat.impact_labels[0] == "1 Negligible"
    cell = heat.rows[1].cells[3]  # likelihood 4, impact 4
    assert (cell.count, cell.score, cell.band) == (2, 16, "Extreme")
    assert cell.label == "2 risks, score 16, Extreme"
    low = heat.rows[4].cells[1]
    assert (low.count, low.score, low.band) == (1, 2, "Low")
    assert heat.rows[2].cells[2].band == "High"  # 3 x 3 = 9
    assert heat.rows[3].cells[1].band == "Moderate"  # 2 x 2 = 4


def test_heat_map_cells_take_the_more_readable_text_colour():
    assert text_colour_on("#d5281b") == LIGHT_TEXT  # red
    assert text_colour_on("#007f3b") == LIGHT_TEXT  # green
    assert text_colour_on("#ffeb3b") == DARK_TEXT  # yellow
    assert text_colour_on(None) == DARK_TEXT
    cell = HeatMap.build("NPSA", default_matrix(), []).rows[0].cells[4]
    assert cell.style == f"background-color: #d5281b; color: {LIGHT_TEXT};"


def test_status_counts_list_every_status_in_lifecycle_order():
    counts = status_counts([delegation("A"), delegation("B", "effective")])
    assert [(c.label, c.count) for c in counts] == [
        ("Proposed", 1),
        ("Readiness assessed", 0),
        ("Approved", 0),
        ("Effective", 1),
        ("Varied", 0),
        ("Revoked", 0),
    ]


def test_delegations_are_listed_by_phase_then_function_unphased_last():
    rows = delegation_rows(
        [delegation("Zeta", phase=1), delegation("Alpha"), delegation("beta", phase=1)]
    )
    assert [(r.function, r.phase) for r in rows] == [
        ("beta", "1"),
        ("Zeta", "1"),
        ("Alpha", "Not phased"),
    ]
    assert rows[0].status_label == "Proposed"
    assert rows[0].status_tag == "nhsuk-tag--grey"


def test_dates_and_money_read_as_people_write_them():
    assert format_date(D(2024, 1, 5)) == "5 January 2024"
    assert format_date(None) == "Not set"
    assert format_pounds(Decimal("126234567.9")) == "£126,234,567.90"


def readiness_matrix():
    place = NS(name="Lancashire")
    level = NS(name="Core")
    cells = [
        NS(level=level, assessment=NS(assessed_on=D(2024, 1, 15))),
        NS(level=None, assessment=None),
    ]
    return NS(functions=("Better Care Fund", "Primary care"), rows=lambda: [(place, cells)])


def test_the_place_page_adds_up_the_deal():
    fund = NS(name="BCF pool")
    totals = fund_totals(
        [
            ("2024/25", "ICB", Decimal("100.10")),
            ("2024/25", "Council", Decimal("50.00")),
            ("2025/26", "ICB", Decimal("1.00")),
        ]
    )
    risks = [
        risk("R1", 4, 4, review=D(2025, 5, 1)),  # above appetite 8, overdue
        risk("R2", 2, 2, review=D(2025, 9, 1)),
        risk("R3", 5, 5, status="closed"),
    ]
    decisions = [
        NS(
            made_on=D(2024, 2, 1),
            title="Assessed",
            maker_body="Place Board",
            maker_post=None,
            reasons="Ready",
        )
    ]
    page = PlacePage.build(
        NS(code="QE1-LAN", name="Lancashire", icb_code="QE1"),
        can_edit=True,
        delegations=[delegation("BCF"), delegation("PC", "approved", 1)],
        readiness=readiness_matrix(),
        funds=[(fund, totals)],
        risks=risks,
        decisions=decisions,
        today=TODAY,
    )
    assert page.readiness.functions == ("Better Care Fund", "Primary care")
    assert page.readiness.rows[0].levels == ("Core (15 January 2024)", "Not assessed")
    assert page.funds[0].years == (("2024/25", "£150.10"), ("2025/26", "£1.00"))
    assert page.funds[0].partners == (("Council", "£50.00"), ("ICB", "£101.10"))
    assert page.funds[0].total == "£151.10"
    assert page.heat_maps[0].total == 2  # closed risks are not mapped
    assert [r.reference for r in page.above_appetite] == ["R1"]
    assert page.above_appetite[0].current == "16 (4 × 4)"
    assert [(r.reference, r.overdue) for r in page.reviews] == [("R1", True), ("R2", False)]
    assert page.decisions[0].maker == "Place Board"
    assert page.delegations[0].function == "PC"


def test_a_delegation_page_offers_the_allowed_next_statuses_and_its_history():
    record = delegation("Primary care", "readiness_assessed")
    record.place_id, record.place = "QE1-LAN", NS(name="Lancashire")
    record.delegator, record.via_body, record.instrument = "ICB", None, None
    record.instrument_reference, record.legal_basis, record.notes = "", "", ""
    record.financial_limit, record.version = Decimal("10"), 3
    step = NS(
        on=D(2024, 2, 1),
        from_status="proposed",
        to_status="readiness_assessed",
        decision=NS(maker_body=None, maker_post="Director", reasons="Ready", evidence=""),
    )
    page = DelegationPage.build(record, [step], can_edit=False)
    assert page.next_statuses == (
        ("approved", "Approved"),
        ("proposed", "Proposed"),
        ("revoked", "Revoked"),
    )
    assert page.title == "Primary care to Director"
    history = page.history[0]
    assert (history.on, history.change, history.maker) == (
        "1 February 2024",
        "Proposed to readiness assessed",
        "Director",
    )
    assert history.evidence == "None given"
    assert dict(page.summary)["Financial limit"] == "£10.00"
    assert page.version == 3
    assert not page.can_edit


def test_agreement_dates_are_soonest_first_and_ended_agreements_are_left_out():
    from placeworks.web.deal_presenters import agreement_dates

    today = datetime.date(2025, 6, 1)
    s75 = NS(
        pk=1,
        title="Section 75",
        status="in_force",
        review_date=datetime.date(2026, 3, 31),
        notice_date=datetime.date(2025, 9, 30),
    )
    mou = NS(
        pk=2, title="MoU", status="draft", review_date=datetime.date(2025, 1, 31), notice_date=None
    )
    ended = NS(
        pk=3,
        title="Old pool",
        status="ended",
        review_date=datetime.date(2025, 7, 1),
        notice_date=None,
    )
    rows = agreement_dates([s75, mou, ended], today)
    assert [(r.on, r.what, r.agreement, r.overdue) for r in rows] == [
        ("31 January 2025", "Review", "MoU", True),
        ("30 September 2025", "Last day for notice", "Section 75", False),
        ("31 March 2026", "Review", "Section 75", False),
    ]
