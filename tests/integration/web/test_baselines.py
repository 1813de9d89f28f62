"""Stored historic baselines: the models' constraints, the import action, the choices offered
and the admin."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from openpyxl import Workbook

from placeworks.allocation import example_baseline, read_baseline
from placeworks.data import DataValidationError
from placeworks.web.baselines import options
from placeworks.web.baselines.actions import import_baseline
from placeworks.web.baselines.models import BaselineAmount, HistoricBaseline

pytestmark = pytest.mark.django_db

GOOD = b"""footprint,name,amount
00Q,NHS Blackburn with Darwen CCG,"321,758,346.00"
00R,NHS Blackpool CCG,389010984.5
"""


def stored() -> list[tuple]:
    return [
        (b.icb_code, b.name, b.illustrative, b.source_filename, b.uploaded_by_id)
        for b in HistoricBaseline.objects.all()
    ]


def amounts() -> list[tuple]:
    return list(BaselineAmount.objects.values_list("footprint", "name", "amount"))


def workbook(*rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- constraints -----------------------------------------------------------------------------


def test_an_amount_is_never_negative():
    baseline = HistoricBaseline.objects.create(icb_code="QE1", name="b", source_filename="b.csv")
    with pytest.raises(IntegrityError), transaction.atomic():
        BaselineAmount.objects.create(
            baseline=baseline, footprint="00Q", name="x", amount=Decimal("-0.01")
        )
    assert amounts() == []


def test_a_footprint_appears_once_in_a_baseline():
    baseline = HistoricBaseline.objects.create(icb_code="QE1", name="b", source_filename="b.csv")
    BaselineAmount.objects.create(baseline=baseline, footprint="00Q", name="x", amount=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        BaselineAmount.objects.create(baseline=baseline, footprint="00Q", name="y", amount=2)
    other = HistoricBaseline.objects.create(icb_code="QE1", name="c", source_filename="c.csv")
    BaselineAmount.objects.create(baseline=other, footprint="00Q", name="x", amount=1)
    assert len(amounts()) == 2


@pytest.mark.parametrize(("code", "name"), [("qe1", "b"), ("XE1", "b"), ("QE1", "")])
def test_a_baseline_has_an_ods_code_and_a_name(code, name):
    with pytest.raises(IntegrityError), transaction.atomic():
        HistoricBaseline.objects.create(icb_code=code, name=name, source_filename="b.csv")
    assert stored() == []


def test_deleting_a_baseline_deletes_its_amounts_and_deleting_the_user_keeps_it(user):
    kept = import_baseline("a.csv", GOOD, icb_code="QE1", name="A", by=user)
    gone = import_baseline("b.csv", GOOD, icb_code="QE1", name="B", by=user)
    gone.delete()
    user.delete()
    assert stored() == [("QE1", "A", False, "a.csv", None)]
    assert BaselineAmount.objects.filter(baseline=kept).count() == 2
    assert len(amounts()) == 2


# --- the import action -----------------------------------------------------------------------


def test_a_good_csv_is_stored_whole(user):
    baseline = import_baseline("budgets.csv", GOOD, icb_code="QE1", name=" Ours ", by=user)
    assert stored() == [("QE1", "Ours", False, "budgets.csv", user.pk)]
    assert amounts() == [
        ("00Q", "NHS Blackburn with Darwen CCG", Decimal("321758346.00")),
        ("00R", "NHS Blackpool CCG", Decimal("389010984.50")),
    ]
    assert baseline.created_at is not None


def test_a_stored_baseline_is_the_allocation_s_baseline_again():
    content = example_baseline("QE1")
    raw = (
        b"footprint,name,amount\n"
        + b"# ILLUSTRATIVE amounts\n"
        + b"".join(
            f"{code},{content.names[code]},{amount}\n".encode()
            for code, amount in content.amounts.items()
        )
    )
    baseline = import_baseline("QE1_historic.csv", raw, icb_code="QE1", name="", by=None)
    assert baseline.name == "QE1_historic"
    assert baseline.illustrative
    assert baseline.to_allocation_baseline() == content
    assert baseline.to_allocation_baseline() == read_baseline("QE1_historic.csv", raw)


def test_an_excel_workbook_is_read_too():
    content = workbook(("footprint", "amount"), ("00Q", 1000.5), ("00R", 2000))
    baseline = import_baseline(
        "C:\\Users\\me\\budgets.xlsx", content, icb_code="QE1", name="x", by=None
    )
    assert baseline.source_filename == "budgets.xlsx"
    assert amounts() == [("00Q", "00Q", Decimal("1000.50")), ("00R", "00R", Decimal("2000.00"))]


def test_it_can_be_marked_illustrative_by_the_uploader():
    baseline = import_baseline("b.csv", GOOD, icb_code="QE1", name="b", by=None, illustrative=True)
    assert baseline.illustrative
    assert str(baseline) == "b (ILLUSTRATIVE), QE1"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "b.csv: the file is empty"),
        (b"code,amount\n00Q,1\n", "b.csv, row 1, field 'footprint': column missing"),
        (GOOD + b"00T,NHS X CCG,12..5\n", "b.csv, row 4, field 'amount': '12..5' is not"),
        (GOOD + b"00T,NHS X CCG,-5\n", "b.csv, row 4, field 'amount': -5 must be zero or more"),
        (GOOD + b"00R,again,5\n", "b.csv, row 4, field 'footprint': 00R appears twice"),
        (GOOD.replace(b"00R", b"Blackpool"), "b.csv, row 3, field 'footprint': 'BLACKPOOL'"),
        (
            GOOD + b"00T,NHS X CCG,100000000000000\n",
            "b.csv, field 'amount': 00T: £100,000,000,000,000 is more than",
        ),
        (
            GOOD + b"00T," + b"x" * 201 + b",1\n",
            "b.csv, field 'name': 00T: the name is longer than 200 characters",
        ),
    ],
)
def test_a_bad_file_is_refused_naming_the_row_and_field_and_nothing_is_stored(content, message):
    import_baseline("a.csv", GOOD, icb_code="QE1", name="A", by=None)
    before = (stored(), amounts())
    with pytest.raises(DataValidationError) as caught:
        import_baseline("b.csv", content, icb_code="QE1", name="B", by=None)
    assert str(caught.value).startswith(message)
    assert (stored(), amounts()) == before


def test_a_file_that_is_not_csv_or_excel_is_refused():
    with pytest.raises(DataValidationError, match=r"b\.txt: a baseline must be a \.csv or \.xlsx"):
        import_baseline("b.txt", GOOD, icb_code="QE1", name="B", by=None)
    with pytest.raises(DataValidationError, match="not a readable Excel workbook"):
        import_baseline("b.xlsx", GOOD, icb_code="QE1", name="B", by=None)
    assert stored() == []


def test_a_name_too_long_is_refused():
    with pytest.raises(ValueError, match="at most 200 characters"):
        import_baseline("b.csv", GOOD, icb_code="QE1", name="n" * 201, by=None)
    assert stored() == []


def test_a_failure_part_way_writes_nothing(monkeypatch):
    def fail(*args, **kwargs):
        raise IntegrityError("the database refused a row")

    monkeypatch.setattr(BaselineAmount.objects, "bulk_create", fail)
    with pytest.raises(IntegrityError):
        import_baseline("b.csv", GOOD, icb_code="QE1", name="B", by=None)
    assert stored() == []


# --- what an ICB's allocation can use --------------------------------------------------------


def test_qe1_is_always_offered_the_illustrative_example_first(user):
    assert [(o.value, o.illustrative, o.shipped) for o in options.options("QE1")] == [
        ("example", True, True)
    ]
    older = import_baseline("a.csv", GOOD, icb_code="QE1", name="Older", by=None)
    newer = import_baseline("b.csv", GOOD, icb_code="QE1", name="Newer", by=user)
    import_baseline("c.csv", GOOD, icb_code="QOP", name="Manchester's", by=None)
    offered = options.options("QE1")
    assert [o.value for o in offered] == ["example", str(newer.pk), str(older.pk)]
    example, latest, _ = offered
    assert (example.footprints, example.total) == (8, example_baseline("QE1").total)
    assert (latest.name, latest.source, latest.footprints, latest.uploaded_by) == (
        "Newer",
        "b.csv",
        2,
        "asmith",
    )
    assert latest.total == Decimal("710769330.50")
    assert not latest.illustrative
    assert latest.uploaded_at is not None


def test_other_icbs_have_no_example():
    assert options.options("QOP") == ()


def test_a_baseline_is_loaded_only_through_its_icb():
    manchester = import_baseline("m.csv", GOOD, icb_code="QOP", name="M", by=None)
    assert options.load("QOP", str(manchester.pk)).amounts["00R"] == Decimal("389010984.50")
    assert options.load("QE1", "example") == example_baseline("QE1")
    for icb, value in (("QE1", str(manchester.pk)), ("QOP", "example"), ("QE1", "1 OR 1=1")):
        with pytest.raises(LookupError):
            options.load(icb, value)


# --- the admin -------------------------------------------------------------------------------

ADD_URL = "/admin/baselines/historicbaseline/add/"


def test_admin_adds_a_baseline_through_the_action(admin_client_as):
    response = admin_client_as.post(
        ADD_URL,
        {
            "icb_code": "QE1",
            "name": "From the admin",
            "file": SimpleUploadedFile("admin.csv", GOOD, content_type="text/csv"),
        },
    )
    assert response.status_code == 302
    assert stored() == [("QE1", "From the admin", False, "admin.csv", admin_client_as.user.pk)]
    assert len(amounts()) == 2
    baseline = HistoricBaseline.objects.get()
    page = admin_client_as.get(f"/admin/baselines/historicbaseline/{baseline.pk}/change/")
    assert page.status_code == 200
    assert "NHS Blackpool CCG" in page.content.decode()


def test_admin_refuses_a_bad_file_or_icb_code(admin_client_as):
    response = admin_client_as.post(
        ADD_URL,
        {
            "icb_code": "Q1",
            "name": "Bad",
            "file": SimpleUploadedFile("bad.csv", GOOD + b"00T,x,-1\n", content_type="text/csv"),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "bad.csv, row 4, field &#x27;amount&#x27;" in html
    assert stored() == []


def test_admin_refuses_an_icb_code_that_is_not_ods(admin_client_as):
    response = admin_client_as.post(
        ADD_URL,
        {
            "icb_code": "qe1",
            "name": "Lower case",
            "file": SimpleUploadedFile("good.csv", GOOD, content_type="text/csv"),
        },
    )
    assert response.status_code == 200
    assert "The ICB code must be an ODS code such as QE1." in response.content.decode()
    assert stored() == []


def test_admin_renames_a_stored_baseline_but_keeps_its_amounts(admin_client_as):
    baseline = import_baseline("b.csv", GOOD, icb_code="QE1", name="Before", by=None)
    url = f"/admin/baselines/historicbaseline/{baseline.pk}/change/"
    response = admin_client_as.post(
        url,
        {
            "name": "After",
            "illustrative": "on",
            "amounts-TOTAL_FORMS": "2",
            "amounts-INITIAL_FORMS": "2",
            "amounts-MIN_NUM_FORMS": "0",
            "amounts-MAX_NUM_FORMS": "1000",
            **{f"amounts-{i}-id": str(a.pk) for i, a in enumerate(baseline.amounts.all())},
            **{f"amounts-{i}-baseline": str(baseline.pk) for i in range(2)},
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert stored() == [("QE1", "After", True, "b.csv", None)]
    assert len(amounts()) == 2
