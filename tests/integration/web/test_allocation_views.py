"""The allocation page, its Excel download and the baseline upload, on the shipped data."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook
from tests.html_tables import tables_of

from placeworks.allocation import Config, Need, allocate
from placeworks.web import allocation_views
from placeworks.web.baselines.actions import import_baseline
from placeworks.web.baselines.models import BaselineAmount, HistoricBaseline
from placeworks.web.runs.models import AllocationRun

pytestmark = pytest.mark.django_db

URL = "/icb/QE1/allocation/"
XLSX_URL = "/icb/QE1/allocation.xlsx"
UPLOAD_URL = "/icb/QE1/allocation/baselines/"
PLACES = ["Blackburn with Darwen", "Blackpool", "Lancashire", "South Cumbria"]
ENVELOPE = Decimal("3500000000.00")
NEED_VS_HISTORIC = {
    "year": "2025/26",
    "grouping": "places",
    "function": "core",
    "envelope": "3,500,000,000",
    "baseline": "example",
    "s1-method": "need",
    "s2-method": "historic",
}


def body(rows: list[list[str]]) -> list[list[str]]:
    """The rows under the header, without the total."""
    return rows[1:-1]


def pounds(text: str) -> Decimal:
    return Decimal(text.replace("£", "").replace(",", ""))


def text_of(response) -> str:
    return response.content.decode()


def error_summary(html: str) -> list[tuple[str, str]]:
    summary = html[html.index("nhsuk-error-summary") :]
    summary = summary[: summary.index("</ul>")]
    links = re.findall(r'<a href="#([^"]+)"[^>]*>\s*(.*?)\s*</a>', summary, re.S)
    return [(field, " ".join(text.split())) for field, text in links]


# --- the form --------------------------------------------------------------------------------


def test_the_icb_page_links_to_its_allocation_page(client):
    html = text_of(client.get("/icb/QE1/", {"year": "2024/25"}))
    assert 'href="/icb/QE1/allocation/?year=2024%2F25"' in html


def test_the_page_is_a_get_form_with_its_defaults(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = text_of(response)
    assert "Allocate a budget" in html
    assert '<form method="get" action="/icb/QE1/allocation/"' in html
    assert 'id="s1-method-2" name="s1-method" type="radio" value="need" checked' in html
    assert 'value="none" checked' in html  # scenarios 2 and 3
    assert '<option value="example" selected>ILLUSTRATIVE: Example baseline' in html
    assert "Population health (no national model)" in html
    assert "Functions with no national model" in html
    assert "nhsuk-error-summary" not in html
    assert 'id="results"' not in html
    assert AllocationRun.objects.count() == 0


def test_the_upload_form_posts_with_a_csrf_token(uploader):
    html = text_of(uploader.get(URL))
    start = html.index('<form method="post" action="/icb/QE1/allocation/baselines/"')
    upload = html[start : html.index("</form>", start)]
    assert 'enctype="multipart/form-data"' in upload
    assert 'name="csrfmiddlewaretoken"' in upload
    assert 'type="file"' in upload


def test_lower_case_code_redirects_keeping_the_query(client):
    response = client.get("/icb/qe1/allocation/", {"envelope": "5"})
    assert response.status_code == 302
    assert response["Location"] == "/icb/QE1/allocation/?envelope=5"
    assert client.get("/icb/qe1/allocation.xlsx")["Location"] == "/icb/QE1/allocation.xlsx"


def test_an_unknown_icb_is_404(client):
    response = client.get("/icb/QZZ/allocation/")
    assert response.status_code == 404
    assert "There is no ICB with ODS code QZZ" in text_of(response)
    assert client.post("/icb/QZZ/allocation/baselines/").status_code == 404


def test_the_page_only_answers_get(client):
    assert client.post(URL).status_code == 405
    assert client.get(UPLOAD_URL).status_code == 405


# --- results ---------------------------------------------------------------------------------


def test_need_for_qe1_places_shares_the_envelope_between_its_four_places(client):
    query = {k: v for k, v in NEED_VS_HISTORIC.items() if k != "s2-method"}
    response = client.get(URL, query)
    assert response.status_code == 200
    table = tables_of(response)["scenario-1"]
    head = table[0]
    assert head[:6] == [
        "Place",
        "Amount",
        "Share",
        "£ per head",
        "Need target",
        "Distance from target",
    ]
    assert head[6:] == [
        "Practices",
        "Registered population",
        "Resident population",
        "Weighted population",
        "Index vs ICB",
        "Index vs England",
    ]
    rows = body(table)
    assert [r[0] for r in rows] == PLACES
    assert sum(pounds(r[1]) for r in rows) == ENVELOPE
    assert table[-1][:3] == ["Total", "£3,500,000,000.00", "100.00%"]
    # The figures are the allocation's own, formatted.
    expected = allocate(
        Config(
            icb="QE1",
            year="2025/26",
            grouping="places",
            function="core",
            method=Need(),
            envelope=ENVELOPE,
        )
    )
    lancashire = next(r for r in expected.rows if r.name == "Lancashire")
    shown = next(r for r in rows if r[0] == "Lancashire")
    assert pounds(shown[1]) == lancashire.amount
    assert shown[5] == "0.00%"  # need is its own target
    assert shown[10] == f"{lancashire.index_icb:.3f}"
    assert shown[11] == f"{lancashire.index_england:.3f}"
    assert re.fullmatch(r"\d+\.\d\d%", shown[2])
    html = text_of(response)
    assert "Scenarios compared" not in html
    results = html[html.index('id="results"') : html.index('id="upload"')]
    assert "ILLUSTRATIVE" not in results


def test_need_against_historic_shows_the_comparison_and_who_gains_and_loses(client):
    response = client.get(URL, NEED_VS_HISTORIC)
    assert response.status_code == 200
    tables = tables_of(response)
    for name in ("scenario-1", "scenario-2"):
        assert [r[0] for r in body(tables[name])] == PLACES
        assert sum(pounds(r[1]) for r in body(tables[name])) == ENVELOPE
    comparison = tables["comparison"]
    assert comparison[0] == [
        "Place",
        "Scenario 1 (£)",
        "Scenario 2 (£)",
        "Change 2 vs 1 (£)",
        "Change 2 vs 1 (%)",
    ]
    changes = {r[0]: pounds(r[3].replace("+", "")) for r in body(comparison)}
    assert sum(changes.values()) == 0
    html = text_of(response)
    gainers = re.findall(r"<li>([^<:]+): \+£", html)
    losers = re.findall(r"<li>([^<:]+): -£", html)
    assert sorted(gainers) == sorted(p for p, c in changes.items() if c > 0)
    assert sorted(losers) == sorted(p for p, c in changes.items() if c < 0)
    assert gainers
    assert losers
    assert 'id="gainers-2"' in html
    assert 'id="losers-2"' in html
    # The illustrative baseline is labelled wherever it is used.
    assert "Scenario 2: Historic: ILLUSTRATIVE: Example baseline" in html
    assert "The historic baseline (QE1_historic.csv) is ILLUSTRATIVE" in html


def test_each_computed_scenario_is_recorded_as_a_run(client):
    client.get(URL, NEED_VS_HISTORIC)
    runs = list(AllocationRun.objects.order_by("created_at"))
    assert len(runs) == 2
    assert {r.run_by for r in runs} == {"anonymous web user"}
    assert {r.user_id for r in runs} == {None}
    assert sorted(r.config["method"]["method"] for r in runs) == ["historic", "need"]
    historic = next(r for r in runs if r.config["method"]["method"] == "historic")
    assert historic.baseline["illustrative"] is True
    assert sum(Decimal(a) for a in historic.results.values()) == ENVELOPE


def test_a_signed_in_user_is_named_on_the_runs(client, user):
    client.force_login(user)
    client.get(URL, {**NEED_VS_HISTORIC, "s2-method": "none"})
    run = AllocationRun.objects.get()
    assert (run.run_by, run.user_id) == ("asmith", user.pk)
    assert run.baseline is None


def test_convergence_shows_its_path_year_by_year(client):
    query = {
        **NEED_VS_HISTORIC,
        "grouping": "localities",
        "s2-method": "convergence",
        "s2-years": "3",
        "s2-uplift": "3",
        "s2-floor": "1",
        "s2-cap": "6",
    }
    response = client.get(URL, query)
    assert response.status_code == 200
    path = tables_of(response)["path-2"]
    assert path[0] == [
        "Locality",
        "Year 1: 2025/26",
        "Year 2: 2026/27",
        "Year 3: 2027/28",
    ]
    assert path[-1] == ["Envelope", "£3,500,000,000.00", "£3,605,000,000.00", "£3,713,150,000.00"]
    for year in range(1, 4):
        assert sum(pounds(r[year]) for r in body(path)) == pounds(path[-1][year])
    scenario = tables_of(response)["scenario-2"]
    assert scenario[0][:2] == ["Locality", "Place"]
    assert len(body(scenario)) == 6
    assert "Scenario 2: convergence: amounts are year 1 of 3" in text_of(response)


def test_small_groups_are_tagged(client):
    query = {**NEED_VS_HISTORIC, "grouping": "districts", "s2-method": "none"}
    html = text_of(client.get(URL, query))
    assert re.search(r'class="nhsuk-tag nhsuk-tag--orange">\s*Small numbers\s*</strong>', html)
    assert "Cumberland (E06000063) has 8,033 registered patients" in html


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"envelope": "lots"}, "envelope", "The envelope must be an amount in pounds"),
        ({"envelope": "0"}, "envelope", "The envelope must be more than £0"),
        (
            {"s2-method": "blend", "s2-historic": "0.6", "s2-need": "0.6"},
            "s2-historic",
            "Scenario 2: the blend weights add up to 1.2; they must add up to 1",
        ),
        (
            {
                "envelope": "1,000,000",
                "s2-method": "convergence",
                "s2-years": "2",
                "s2-uplift": "3",
                "s2-floor": "0",
                "s2-cap": "5",
            },
            "s2-floor",
            "Scenario 2: convergence is not possible with these settings (year 1: the floor",
        ),
        (
            {"grouping": "pcns", "s1-method": "population", "s1-basis": "resident"},
            "s1-basis",
            "Scenario 1: resident population needs a grouping made of areas",
        ),
        ({"baseline": "12345"}, "baseline", "Scenario 2 needs a historic baseline: choose one"),
        ({"year": "1999/00"}, "year", "Choose a financial year: 2023/24, 2024/25, 2025/26"),
        ({"s3-method": "guess"}, "s3-method", "Scenario 3: choose a method"),
    ],
)
def test_bad_input_shows_the_form_again_naming_the_field(client, changes, field, message):
    response = client.get(URL, {**NEED_VS_HISTORIC, **changes})
    assert response.status_code == 200
    html = text_of(response)
    summary = error_summary(html)
    assert len(summary) == 1
    assert summary[0][0] == field
    assert summary[0][1].startswith(message)
    assert f'id="{field}-error"' in html
    assert "Error: Allocation" in html  # the page title says so
    assert 'id="results"' not in html
    assert AllocationRun.objects.count() == 0


def test_a_baseline_that_does_not_fit_the_icb_is_reported_on_the_baseline(client):
    other = import_baseline(
        "other.csv", b"footprint,amount\n00T,100\n", icb_code="QE1", name="Other", by=None
    )
    response = client.get(URL, {**NEED_VS_HISTORIC, "baseline": str(other.pk)})
    assert response.status_code == 200
    (field, message), *_ = error_summary(text_of(response))
    assert field == "baseline"
    assert message.startswith("Scenario 2: the historic baseline does not fit: other.csv")


# --- the Excel download ----------------------------------------------------------------------


def test_the_page_links_to_the_same_allocation_as_excel(client):
    html = text_of(client.get(URL, NEED_VS_HISTORIC))
    link = re.search(r'id="download" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert link.startswith("/icb/QE1/allocation.xlsx?year=2025%2F26&grouping=places")
    assert "s2-method=historic" in link
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="placeworks-allocation-QE1-2025-26-core-places.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content))
    assert "Comparison" in book.sheetnames
    assert "Notes" in book.sheetnames
    notes = [str(c) for row in book["Notes"].iter_rows(values_only=True) for c in row if c]
    assert any(text.startswith("ILLUSTRATIVE") for text in notes)
    assert "anonymous web user" in notes
    # The download recorded its runs too, and names them in the workbook.
    runs = {str(r.pk) for r in AllocationRun.objects.all()}
    assert len(runs) == 4
    assert runs & set(notes)


def test_a_bad_download_shows_the_errors_instead(client):
    response = client.get(XLSX_URL, {**NEED_VS_HISTORIC, "envelope": "-1"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert error_summary(text_of(response)) == [("envelope", "The envelope must be more than £0")]


def test_a_download_without_a_query_goes_to_the_form(client):
    response = client.get(XLSX_URL)
    assert response.status_code == 302
    assert response["Location"] == URL


# --- uploading a baseline --------------------------------------------------------------------

GOOD = (
    b"footprint,name,amount\n"
    b"00Q,NHS Blackburn with Darwen CCG,321758346.00\n"
    b"00R,NHS Blackpool CCG,389010984.00\n"
    b"00X,NHS Chorley and South Ribble CCG,343080320.00\n"
    b"01A,NHS East Lancashire CCG,718724317.00\n"
    b"01E,NHS Greater Preston CCG,399065307.00\n"
    b"01K,NHS Morecambe Bay CCG,666530559.00\n"
    b"02G,NHS West Lancashire CCG,210655426.00\n"
    b"02M,NHS Fylde and Wyre CCG,357284049.00\n"
)


def upload(client, content: bytes, name: str = "budgets.csv", **fields):
    return client.post(
        UPLOAD_URL,
        {"baseline-file": SimpleUploadedFile(name, content, content_type="text/csv"), **fields},
    )


def test_a_good_csv_is_stored_and_chosen(uploader):
    client = uploader
    response = upload(
        client,
        GOOD,
        **{"baseline-name": "Our 2019/20 budgets", "query": "year=2024%2F25&envelope=5"},
    )
    assert response.status_code == 302
    stored = HistoricBaseline.objects.get()
    assert (stored.icb_code, stored.name, stored.source_filename, stored.illustrative) == (
        "QE1",
        "Our 2019/20 budgets",
        "budgets.csv",
        False,
    )
    assert stored.uploaded_by == uploader.user
    assert BaselineAmount.objects.filter(baseline=stored).count() == 8
    assert response["Location"] == f"{URL}?year=2024%2F25&envelope=5&baseline={stored.pk}"
    page = client.get(response["Location"])
    html = text_of(page)
    assert "nhsuk-notification-banner--success" in html
    assert "Baseline “Our 2019/20 budgets” stored from budgets.csv: 8 former CCG areas." in html
    assert f'<option value="{stored.pk}" selected>Our 2019/20 budgets (budgets.csv)' in html


def test_an_uploaded_baseline_can_be_used(uploader):
    client, user = uploader, uploader.user
    upload(client, GOOD, **{"baseline-illustrative": "yes"})
    stored = HistoricBaseline.objects.get()
    assert stored.uploaded_by == user
    assert stored.illustrative
    assert stored.name == "budgets"
    response = client.get(URL, {**NEED_VS_HISTORIC, "baseline": str(stored.pk)})
    tables = tables_of(response)
    # The same amounts as the shipped example, so the same allocation.
    example = tables_of(client.get(URL, NEED_VS_HISTORIC))
    assert tables["scenario-2"] == example["scenario-2"]
    assert "ILLUSTRATIVE: budgets (budgets.csv)" in text_of(response)


def test_a_bad_csv_is_refused_naming_the_row_and_field_and_nothing_is_stored(uploader):
    client = uploader
    bad = GOOD.replace(b"389010984.00", b"three hundred million")
    response = upload(client, bad, name="bad.csv")
    assert response.status_code == 200
    html = text_of(response)
    assert error_summary(html) == [
        (
            "baseline-file",
            "The baseline was not stored: bad.csv, row 3, field &#39;amount&#39;: &#39;three"
            " hundred million&#39; is not an amount in pounds",
        )
    ]
    assert 'id="baseline-file-error"' in html
    assert HistoricBaseline.objects.count() == 0
    assert BaselineAmount.objects.count() == 0


def test_an_upload_needs_a_file_and_a_short_name(uploader):
    response = uploader.post(UPLOAD_URL, {"baseline-name": "n" * 201})
    assert response.status_code == 200
    assert error_summary(text_of(response)) == [
        ("baseline-file", "Choose a CSV or Excel file to upload"),
        ("baseline-name", "The name must be 200 characters or fewer"),
    ]
    assert HistoricBaseline.objects.count() == 0


def test_an_upload_without_the_csrf_token_is_refused(uploader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(uploader.user)
    response = upload(client, GOOD)
    assert response.status_code == 403
    assert HistoricBaseline.objects.count() == 0


def test_an_upload_with_the_csrf_token_is_accepted(uploader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(uploader.user)
    html = text_of(client.get(URL))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = upload(client, GOOD, csrfmiddlewaretoken=token)
    assert response.status_code == 302
    assert HistoricBaseline.objects.count() == 1


def test_a_file_too_large_is_refused_unread(uploader):
    response = upload(uploader, GOOD + b" " * (5 * 1024 * 1024))
    assert response.status_code == 200
    assert error_summary(text_of(response)) == [
        ("baseline-file", "The file must be smaller than 5 MB; check it is a baseline")
    ]
    assert HistoricBaseline.objects.count() == 0


def test_only_an_editor_in_the_icb_uploads_a_baseline(client, user):
    anonymous = upload(client, GOOD)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/sign-in/?next=")
    assert "as an editor of QE1 or one of its places to upload a baseline" in text_of(
        client.get(URL)
    )
    client.force_login(user)  # signed in, but no role in QE1
    refused = upload(client, GOOD)
    assert refused.status_code == 403
    assert "cannot upload a baseline for QE1" in refused.content.decode()
    assert 'type="file"' not in text_of(client.get(URL))
    assert HistoricBaseline.objects.count() == 0


def test_a_grouping_that_cannot_be_made_is_reported_on_the_grouping(client, monkeypatch):
    def resolve(grouping, icb, year, definition=None):
        raise KeyError(f"no practices for ICB {icb} in {year}")

    monkeypatch.setattr(allocation_views, "resolve", resolve)
    response = client.get(URL, NEED_VS_HISTORIC)
    assert response.status_code == 200
    assert error_summary(text_of(response)) == [
        ("grouping", "This grouping cannot be made for QE1: no practices for ICB QE1 in 2025/26")
    ]


def test_a_stored_definition_of_places_is_the_one_allocated_to(client):
    from placeworks.web.footprints.actions import import_definition

    # The partnership keeps Lancashire, Blackburn with Darwen and Blackpool as one "Pan-Lancashire"
    # place beside South Cumbria.
    import_definition(
        "icb: QE1\nplaces:\n"
        "  - code: QE1-PAN\n    name: Pan-Lancashire\n"
        "    districts: [E07000117, E07000118, E07000119, E07000120, E07000121, E07000122,"
        " E07000123, E07000124, E07000125, E07000126, E07000127, E07000128, E06000008,"
        " E06000009]\n"
        "  - code: QE1-SCU\n    name: South Cumbria\n"
        "    districts: [E06000064, E06000063, E06000065]\n",
        by=None,
    )
    query = {k: v for k, v in NEED_VS_HISTORIC.items() if k != "s2-method"}
    rows = body(tables_of(client.get(URL, query))["scenario-1"])
    assert [r[0] for r in rows] == ["Pan-Lancashire", "South Cumbria"]
    assert sum(pounds(r[1]) for r in rows) == ENVELOPE
