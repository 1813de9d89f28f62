"""Every register's pages on the worked example: list, search, filters, sort, pages, a record with
its history, create, edit, conflicts and exports, each through the user's scope."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook
from tests.integration.web.test_deal_views import signed_in, text

from placeworks.governance import actions
from placeworks.governance.models import (
    Agreement,
    Contribution,
    Membership,
    Organisation,
    Partnership,
    PooledFund,
    Workstream,
)
from placeworks.web.registers import REGISTERS

pytestmark = pytest.mark.django_db


def _client(users, who: str) -> Client:
    return signed_in(users[who])


def _in_lancashire_register(model):
    """Records of Lancashire's register: Lancashire's own and those of the whole ICB."""
    from django.db.models import Q

    return model.objects.filter(Q(place="QE1-LAN") | Q(place__isnull=True, icb_code="QE1"))


def test_every_register_lists_shows_exports_and_offers_its_forms(example):
    """The ICB administrator opens every page of every register of Lancashire's deal: the list
    counts what the register holds, the CSV holds a row for each, and the first records' pages
    show their history and open for editing."""
    client = _client(example, "icb-admin")
    for slug, register in REGISTERS.items():
        records = _in_lancashire_register(register.model)
        listing = text(client.get(f"/place/QE1-LAN/{slug}/"))
        count = records.count()
        if count:
            assert f"of {count} " in listing, slug
        else:
            assert f"No {register.title.lower()} match." in listing, slug
        assert client.get(f"/place/QE1-LAN/{slug}/new/").status_code == 200, slug
        exported = client.get(f"/place/QE1-LAN/{slug}.csv")
        rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
        assert len(rows) == count + 1, slug
        for record in records[:2]:
            detail = client.get(f"/place/QE1-LAN/{slug}/{record.pk}/")
            assert "Version 1: created by icb-admin" in text(detail), (slug, record.pk)
            edit = client.get(f"/place/QE1-LAN/{slug}/{record.pk}/edit/")
            assert edit.status_code == 200, (slug, record.pk)


def test_the_worked_example_fills_the_registers(example):
    """Lancashire's registers hold the worked example: its partners, bodies, workstreams."""
    client = _client(example, "lancs-viewer")
    councils = text(client.get("/place/QE1-LAN/organisations/?q=council"))
    assert "Lancashire County Council" in councils
    assert "Lancashire & South Cumbria NHS Foundation Trust" not in councils
    assert "Place Partnership" in text(client.get("/place/QE1-LAN/bodies/"))
    assert Workstream.objects.filter(place="QE1-LAN").count() == 6
    assert "of 6 workstreams" in text(client.get("/place/QE1-LAN/workstreams/"))


def test_search_filter_and_sort(example):
    client = _client(example, "icb-admin")
    everything = Organisation.objects.filter(icb_code="QE1").exclude(
        place__in=["QE1-BPL", "QE1-BWD", "QE1-SCU"]
    )
    districts = everything.filter(kind="district_council")
    page = text(client.get("/place/QE1-LAN/organisations/?kind=district_council"))
    for org in districts:
        assert org.name in page
    assert "Lancashire County Council" not in page
    ordered = client.get("/place/QE1-LAN/organisations/?kind=district_council&sort=-name")
    names = sorted((o.name for o in districts), reverse=True)
    body = text(ordered)
    positions = [body.index(name) for name in names]
    assert positions == sorted(positions)
    assert 'aria-sort="descending"' in ordered.content.decode()


def test_pages_of_twenty_five(example):
    """Thirty more voluntary bodies make the organisations run to two pages."""
    for n in range(30):
        actions.create(
            Organisation,
            by=example["icb-admin"],
            name=f"Community group {n:02d}",
            kind="voluntary_sector",
            code_system="none",
            place=None,
            icb_code="QE1",
        )
    total = _in_lancashire_register(Organisation).count()
    assert total > 25
    client = _client(example, "lancs-viewer")
    first = text(client.get("/place/QE1-LAN/organisations/?sort=name"))
    assert f"Showing 1 to 25 of {total} organisations" in first
    second = client.get("/place/QE1-LAN/organisations/?sort=name&page=2")
    assert f"Showing 26 to {min(50, total)} of {total} organisations" in text(second)
    # The pages follow the sort: the next page's link keeps it.
    assert "?sort=name&amp;page=1" in second.content.decode()
    filtered = text(client.get("/place/QE1-LAN/organisations/?kind=voluntary_sector&q=group"))
    assert "Showing 1 to 25 of 30 organisations" in filtered


def _fund(users) -> PooledFund:
    """A Section 75 agreement made through its form (parties ticked, legally binding), then a
    pooled fund under it with two contributions in pence."""
    by = users["icb-admin"]
    county = Organisation.objects.get(name="Lancashire County Council")
    icb = Organisation.objects.get(code="QE1")
    made = _client(users, "lancs-editor").post(
        "/place/QE1-LAN/agreements/new/",
        {
            "title": "Lancashire Section 75 (test)",
            "kind": "section_75",
            "status": "in_force",
            "host": str(county.pk),
            "parties": [str(county.pk), str(icb.pk)],
            "legal_force": "on",
            "start": "2024-04-01",
        },
    )
    assert made.status_code == 302, text(made)
    agreement = Agreement.objects.get(title="Lancashire Section 75 (test)")
    assert set(agreement.parties.all()) == {county, icb}
    assert agreement.legal_force is True
    assert agreement.place_id == "QE1-LAN"
    fund = actions.create(
        PooledFund, by=by, agreement=agreement, name="Test pooled fund", host=county
    )
    actions.record_contribution(fund, county, "2024/25", Decimal("1000000.01"), by=by)
    actions.record_contribution(fund, icb, "2024/25", Decimal("2500000.10"), by=by)
    return fund


def test_a_viewer_has_no_forms_and_another_place_is_refused(example):
    viewer = _client(example, "lancs-viewer")
    stream = Workstream.objects.filter(place="QE1-LAN").first()
    page = text(viewer.get(f"/place/QE1-LAN/workstreams/{stream.pk}/"))
    assert stream.name in page
    assert "Edit this workstream" not in page
    assert "Edit this workstream" in text(
        _client(example, "lancs-editor").get(f"/place/QE1-LAN/workstreams/{stream.pk}/")
    )
    assert viewer.get(f"/place/QE1-LAN/workstreams/{stream.pk}/edit/").status_code == 403
    assert viewer.post(f"/place/QE1-LAN/workstreams/{stream.pk}/edit/", {}).status_code == 403
    assert viewer.get("/place/QE1-LAN/workstreams/new/").status_code == 403
    blackpool = _client(example, "blackpool-editor")
    assert blackpool.get("/place/QE1-LAN/workstreams/").status_code == 403
    assert blackpool.get(f"/place/QE1-BPL/workstreams/{stream.pk}/").status_code == 404


def test_create_edit_history_and_conflict(example):
    editor = _client(example, "lancs-editor")
    partnership = Partnership.objects.filter(place="QE1-LAN").first() or Partnership.objects.get(
        icb_code="QE1", place__isnull=True
    )
    made = editor.post(
        "/place/QE1-LAN/workstreams/new/",
        {
            "name": "Frailty in Skelmersdale",
            "partnership": str(partnership.pk),
            "purpose": "Fewer falls",
            "status": Workstream._meta.get_field("status").default,
        },
    )
    assert made.status_code == 302, text(made)
    stream = Workstream.objects.get(name="Frailty in Skelmersdale")
    assert stream.place_id == "QE1-LAN"
    assert made["Location"] == f"/place/QE1-LAN/workstreams/{stream.pk}/"
    path = f"/place/QE1-LAN/workstreams/{stream.pk}/edit/"
    form = {
        "name": "Frailty in Skelmersdale and Up Holland",
        "partnership": str(partnership.pk),
        "purpose": "Fewer falls",
        "status": stream.status,
        "version": str(stream.version),
    }
    assert editor.post(path, form).status_code == 302
    page = text(editor.get(f"/place/QE1-LAN/workstreams/{stream.pk}/"))
    assert "Version 2: changed by lancs-editor" in page
    assert "Frailty in Skelmersdale Frailty in Skelmersdale and Up Holland" in page  # before after
    # A second editor who opened version 1 is refused, and nothing of either is lost.
    stale = dict(form, name="Frailty, Skelmersdale", version="1")
    refused = editor.post(path, stale)
    assert refused.status_code == 200
    assert "was changed by lancs-editor" in text(refused)
    assert 'value="Frailty, Skelmersdale"' in refused.content.decode()
    stream.refresh_from_db()
    assert stream.name == "Frailty in Skelmersdale and Up Holland"
    assert stream.version == 2


def test_bad_input_is_named_and_nothing_is_saved(example):
    editor = _client(example, "lancs-editor")
    fund = _fund(example)
    partner = Organisation.objects.get(code="QE1")
    before = Contribution.objects.count()
    page = text(
        editor.post(
            "/place/QE1-LAN/contributions/new/",
            {
                "fund": str(fund.pk),
                "partner": str(partner.pk),
                "financial_year": "2024-25",
                "amount": "-5",
            },
        )
    )
    assert "There is a problem" in page
    assert "financial year" in page.lower()
    assert "A contribution is zero or more." in page
    assert "'2024-25' is not a financial year written like 2024/25." in page
    assert Contribution.objects.count() == before


def test_a_child_record_is_added_from_its_parent(example):
    editor = _client(example, "icb-admin")
    partnership = Partnership.objects.filter(icb_code="QE1").first()
    page = editor.get(f"/place/QE1-LAN/partnerships/{partnership.pk}/")
    assert f"/place/QE1-LAN/memberships/new/?partnership={partnership.pk}" in page.content.decode()
    form = editor.get(f"/place/QE1-LAN/memberships/new/?partnership={partnership.pk}")
    assert f'value="{partnership.pk}" selected' in form.content.decode()
    assert Membership.objects.filter(partnership=partnership).exists()


def test_exports_are_whole_and_exact(example):
    client = _client(example, "icb-admin")
    fund = _fund(example)
    funds = Contribution.objects.filter(fund=fund)
    total = Decimal("3500000.11")
    page = text(client.get(f"/place/QE1-LAN/pooled-funds/{fund.pk}/"))
    assert "Total £3,500,000.11" in page
    assert "Lancashire County Council (E10000017) £1,000,000.01" in page
    exported = client.get("/place/QE1-LAN/contributions.csv")
    assert exported["Content-Disposition"].startswith('attachment; filename="QE1-LAN-contributions')
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert len(rows) == funds.count()
    assert sum(Decimal(r["Amount (£)"]) for r in rows) == total
    book = load_workbook(io.BytesIO(client.get("/place/QE1-LAN/contributions.xlsx").content))
    sheet = book.active
    heading = [c.value for c in sheet[4]]
    amounts = [
        row[heading.index("Amount (£)")] for row in sheet.iter_rows(min_row=5, values_only=True)
    ]
    assert len(amounts) == funds.count()
    assert sum(Decimal(str(a)) for a in amounts) == total


def test_readiness_is_assessed_on_the_frameworks_own_levels(example):
    from placeworks.governance.models import Function, ReadinessAssessment, ReadinessFramework

    editor = _client(example, "lancs-editor")
    framework = ReadinessFramework.objects.get(icb_code="QE1")
    spec = framework.spec()
    form = editor.get("/place/QE1-LAN/readiness/new/").content.decode()
    for level in spec.levels:
        assert f'<option value="{level.code}">{level.name}</option>' in form
    for criterion in spec.criteria:
        assert f'name="criterion_{criterion.code}"' in form
    function = Function.objects.get(icb_code="QE1", code="better_care_fund")
    first, top = spec.criteria[0].code, spec.levels[-1].code
    made = editor.post(
        "/place/QE1-LAN/readiness/new/",
        {
            "framework": str(framework.pk),
            "function": str(function.pk),
            "assessed_on": "2026-11-30",
            "level": spec.levels[1].code,
            f"criterion_{first}": top,
            "evidence": "Self-assessment to the Place Board",
        },
    )
    assert made.status_code == 302, text(made)
    stored = ReadinessAssessment.objects.get(assessed_on="2026-11-30")
    assert (stored.place_id, stored.level, stored.criteria) == (
        "QE1-LAN",
        spec.levels[1].code,
        {first: top},
    )
    # The edit form starts from what is stored, criterion by criterion.
    edit = editor.get(f"/place/QE1-LAN/readiness/{stored.pk}/edit/").content.decode()
    assert f'<option value="{top}" selected>' in edit
    # The place page's readiness matrix shows the new latest level.
    assert spec.levels[1].name in text(editor.get("/place/QE1-LAN/"))
    refused = text(editor.post("/place/QE1-LAN/readiness/new/", {"framework": str(framework.pk)}))
    assert "Choose the level overall." in refused
    assert "Enter the evidence." in refused
