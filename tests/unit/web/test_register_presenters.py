"""What the register's pages show, worked out without a database: values, queries, histories,
and the files a register downloads as."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

from openpyxl import load_workbook

from placeworks.governance.actions.history import Change, FieldChange
from placeworks.governance.models import Agreement, Contribution, Organisation, Place, Workstream
from placeworks.web import register_export
from placeworks.web.register_presenters import ListQuery, display, history_entries, show
from placeworks.web.registers import REGISTERS

LANCASHIRE = Place(code="QE1-LAN", name="Lancashire", icb_code="QE1")


def test_values_read_as_people_write_them():
    agreement = Agreement(
        title="Better Care Fund Section 75",
        kind="section_75",
        legal_force=True,
        start=datetime.date(2024, 4, 1),
        icb_code="QE1",
    )
    assert display(agreement, "kind") == "Section 75 agreement (NHS Act 2006)"
    assert display(agreement, "legal_force") == "Yes"
    assert display(agreement, "start") == "1 April 2024"
    assert display(agreement, "end") == "Not set"
    assert display(agreement, "place") == "The whole ICB (QE1)"
    agreement.place = LANCASHIRE
    assert display(agreement, "place") == "Lancashire"
    money = Contribution(amount=Decimal("1234567.8"))
    assert display(money, "amount") == "£1,234,567.80"
    assert show(Workstream._meta.get_field("purpose"), "") == "Not set"


def test_a_query_keeps_known_sorts_and_filters_only():
    register = REGISTERS["organisations"]
    query = ListQuery.parse(
        register,
        {"q": " council ", "kind": "district_council", "sort": "-name", "page": "2", "x": "1"},
    )
    assert query.q == "council"
    assert query.filters == {"kind": "district_council"}
    assert query.sort == "-name"
    assert query.page == 2
    assert query.url(page=None) == "?q=council&kind=district_council&sort=-name"
    assert query.url(page=3) == "?q=council&kind=district_council&sort=-name&page=3"
    odd = ListQuery.parse(register, {"sort": "password", "page": "many", "kind": ""})
    assert (odd.sort, odd.page, odd.filters) == ("", 1, {})


def test_a_computed_column_is_not_sortable():
    risks = REGISTERS["risks"]
    assert ListQuery.parse(risks, {"sort": "score"}).sort == ""
    assert ListQuery.parse(risks, {"sort": "-reference"}).sort == "-reference"


def test_history_names_linked_records_and_shows_before_and_after():
    at = datetime.datetime(2024, 5, 1, 9, 30, tzinfo=datetime.UTC)
    created = Change(
        at,
        "icb-admin",
        "created",
        1,
        None,
        (FieldChange("name", None, "Frailty"), FieldChange("lead_organisation_id", None, 7)),
    )
    changed = Change(
        at + datetime.timedelta(days=1),
        "lancs-editor",
        "changed",
        2,
        None,
        (
            FieldChange("name", "Frailty", "Falls"),
            FieldChange("lead_organisation_id", 7, 9),
            FieldChange("started", None, datetime.date(2024, 6, 3)),
        ),
    )
    names = {(Organisation, 7): "Lancashire County Council"}
    newest, oldest = history_entries(Workstream, [created, changed], names)
    assert (newest.version, newest.by, newest.kind) == (2, "lancs-editor", "changed")
    rows = {c.label: (c.before, c.after) for c in newest.changes}
    assert rows["Name"] == ("Frailty", "Falls")
    # a record the reader may not see is named by its number only
    assert rows["Lead organisation"] == ("Lancashire County Council", "number 9")
    assert rows["Started"] == ("Not set", "3 June 2024")
    assert oldest.kind == "created"
    assert [c.label for c in oldest.changes] == ["Name", "Lead organisation"]
    assert oldest.at.startswith("1 May 2024 at ")


def test_csv_cannot_carry_a_formula_and_keeps_money_exact():
    body = register_export.to_csv(
        ["Name", "Amount (£)", "Start"],
        [['=HYPERLINK("http://x")', Decimal("0.10"), datetime.date(2024, 4, 1)]],
    )
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[1] == ['\'=HYPERLINK("http://x")', "0.10", "2024-04-01"]


def test_excel_holds_money_as_pounds_and_text_as_text():
    body = register_export.to_xlsx(
        "Contributions",
        ["Partner", "Amount (£)", "Year start"],
        [["+44 1772 000000", Decimal("2500000.10"), datetime.date(2024, 4, 1)]],
        note="A test",
        money=frozenset({1}),
    )
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet["A1"].value == "Contributions"
    assert [c.value for c in sheet[4]] == ["Partner", "Amount (£)", "Year start"]
    partner, amount, start = sheet[5]
    assert partner.value == "'+44 1772 000000"
    assert partner.data_type == "s"
    assert amount.value == 2500000.10
    assert amount.number_format == '"£"#,##0.00'
    assert start.value.date() == datetime.date(2024, 4, 1)
    assert sheet.freeze_panes == "A5"
