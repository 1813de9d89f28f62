"""Allocation presenters: what the allocation page shows, from hand-built allocations (no
database)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from placeworks.allocation import (
    Allocation,
    Baseline,
    Blend,
    Config,
    Convergence,
    Historic,
    Need,
    Population,
    Row,
    compare,
    function,
    functions,
)
from placeworks.web.allocation_form import AllocationForm, FieldError, Scenario
from placeworks.web.allocation_presenters import (
    AllocationPage,
    ComparisonTable,
    FormView,
    Movers,
    PathTable,
    ScenarioResult,
    UploadView,
    baseline_label,
    collect_warnings,
    describe_method,
    display_order,
    financial_year,
    format_change,
    format_index,
    format_money,
    format_percent,
    format_share,
    plain_percent,
)
from placeworks.web.baselines.options import BaselineOption

PLACES = {"QE1-LAN": "Lancashire", "QE1-BPL": "Blackpool", "QE1-SCU": "South Cumbria"}
EXAMPLE = BaselineOption(
    value="example",
    name="Example baseline shipped with placeworks",
    illustrative=True,
    source="QE1_historic.csv",
    footprints=8,
    total=Decimal("3406109308.00"),
)
UPLOADED = BaselineOption(
    value="7",
    name="Our 2019/20 budgets",
    illustrative=False,
    source="budgets.xlsx",
    footprints=8,
    total=Decimal("3000000000.00"),
    uploaded_at=datetime(2026, 11, 25, 9, 30),
    uploaded_by="asmith",
)


def row(group: str, amount: str, envelope: str = "1000", **changes) -> Row:
    values = {
        "group": group,
        "name": PLACES.get(group, group),
        "parents": {},
        "practices": 10,
        "registered_population": Decimal("100000.4"),
        "resident_population": 90_000,
        "weighted_population": Decimal("110000.6"),
        "index_icb": Decimal("1.1"),
        "index_england": Decimal("0.9876"),
        "share": Fraction(Decimal(amount)) / Fraction(Decimal(envelope)),
        "amount": Decimal(amount),
        "per_head": Decimal("0.01"),
        "target": Decimal(amount),
        "distance_from_target": Decimal("0.00"),
        "small_numbers": False,
    }
    return Row(**(values | changes))


def allocation(
    amounts: dict[str, str],
    method=None,
    *,
    warnings=(),
    path=(),
    baseline=None,
    levels=("place",),
    rows=None,
) -> Allocation:
    envelope = sum(Decimal(a) for a in amounts.values())
    config = Config(
        icb="QE1",
        year="2025/26",
        grouping="places",
        function="core",
        method=method or Need(),
        envelope=envelope,
    )
    return Allocation(
        config=config,
        rows=rows or tuple(row(g, a, str(envelope)) for g, a in sorted(amounts.items())),
        inputs_hash="0" * 64,
        vintage={},
        warnings=tuple(warnings),
        path=tuple(path),
        baseline=baseline,
        levels=levels,
    )


def form_view(errors=(), baselines=(EXAMPLE,), **query) -> FormView:
    return FormView(
        form=AllocationForm.from_query(query, default_year="2025/26", default_baseline="example"),
        errors=tuple(errors),
        years=("2024/25", "2025/26"),
        groupings=("places", "pcns"),
        functions=tuple(functions().values()),
        baselines=tuple(baselines),
    )


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("0", "£0.00"),
        ("1234.5", "£1,234.50"),
        ("3500000000", "£3,500,000,000.00"),
        ("-6227.07", "-£6,227.07"),
        ("0.005", "£0.01"),
    ],
)
def test_format_money(value, text):
    assert format_money(Decimal(value)) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [("9301.06", "+£9,301.06"), ("-6227.07", "-£6,227.07"), ("0", "£0.00"), ("-0.00", "£0.00")],
)
def test_format_change(value, text):
    assert format_change(Decimal(value)) == text


@pytest.mark.parametrize(
    ("value", "signed", "text"),
    [
        ("1.38", False, "1.38%"),
        ("1.38", True, "+1.38%"),
        ("-5.172", True, "-5.17%"),
        ("-0.001", True, "0.00%"),
        ("0", True, "0.00%"),
        ("1234.5", False, "1,234.50%"),
        (None, True, "–"),
    ],
)
def test_format_percent(value, signed, text):
    assert format_percent(None if value is None else Decimal(value), signed=signed) == text


@pytest.mark.parametrize(
    ("value", "text"), [("1.246", "1.246"), ("1", "1.000"), ("0.98765", "0.988"), (None, "–")]
)
def test_format_index(value, text):
    assert format_index(None if value is None else Decimal(value)) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(Fraction(1, 3), "33.33%"), (Fraction(2, 3), "66.67%"), (Fraction(1), "100.00%")],
)
def test_format_share(value, text):
    assert format_share(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [("0.5", "50%"), ("0.025", "2.5%"), ("-0.015", "-1.5%"), ("0", "0%"), ("0.100", "10%")],
)
def test_plain_percent(value, text):
    assert plain_percent(Decimal(value)) == text


def test_financial_year():
    assert financial_year("2025/26", 0) == "2025/26"
    assert financial_year("2025/26", 2) == "2027/28"
    assert financial_year("2099/00", 1) == "2100/01"


# --- describing scenarios --------------------------------------------------------------------


def test_an_illustrative_baseline_says_so_first():
    assert baseline_label(EXAMPLE) == (
        "ILLUSTRATIVE: Example baseline shipped with placeworks (QE1_historic.csv)"
    )
    assert baseline_label(UPLOADED) == "Our 2019/20 budgets (budgets.xlsx)"


@pytest.mark.parametrize(
    ("method", "text"),
    [
        (Population(), "Population: shared by registered patients"),
        (Population(basis="resident"), "Population: shared by residents"),
        (Need(), "Need: shared by the core services weighted population"),
        (
            Historic(),
            "Historic: ILLUSTRATIVE: Example baseline shipped with placeworks (QE1_historic.csv)",
        ),
        (
            Blend(historic=Decimal("0.5"), need=Decimal("0.5")),
            "Blend: 50% historic, 0% population (registered patients), 50% need; baseline"
            " ILLUSTRATIVE: Example baseline shipped with placeworks (QE1_historic.csv)",
        ),
        (
            Convergence(
                years=3, uplift=Decimal("0.03"), floor=Decimal("0.01"), cap=Decimal("0.06")
            ),
            "Convergence from ILLUSTRATIVE: Example baseline shipped with placeworks"
            " (QE1_historic.csv) towards need over 3 years: uplift 3%, floor 1%, cap 6% a year"
            " (year 1 shown)",
        ),
    ],
)
def test_describe_method(method, text):
    assert describe_method(method, function=function("core"), baseline=EXAMPLE) == text


def test_a_blend_without_history_names_no_baseline():
    blend = Blend(population=Decimal("0.25"), need=Decimal("0.75"), basis="resident")
    assert describe_method(blend, function=function("core")) == (
        "Blend: 0% historic, 25% population (residents), 75% need"
    )


# --- the form --------------------------------------------------------------------------------


class TestFormView:
    def test_selects_mark_the_chosen_values(self):
        view = form_view(year="2024/25", grouping="pcns", function="maternity")
        assert view.year_params()["items"] == [
            {"value": "2024/25", "text": "2024/25", "selected": True},
            {"value": "2025/26", "text": "2025/26", "selected": False},
        ]
        grouping = view.grouping_params()
        assert [(i["text"], i["selected"]) for i in grouping["items"]] == [
            ("Places", False),
            ("Primary care networks", True),
        ]
        chosen = [i for i in view.function_params()["items"] if i["selected"]]
        assert chosen == [{"value": "maternity", "text": "Maternity", "selected": True}]

    def test_functions_with_no_national_model_say_so_and_their_notes_are_shown(self):
        view = form_view()
        texts = [i["text"] for i in view.function_params()["items"]]
        assert "Population health (no national model)" in texts
        assert "Core services" in texts
        notes = dict(view.policy_notes)
        assert set(notes) == {f.title for f in functions().values() if f.policy}
        assert notes["Population health"].startswith("No national model.")

    def test_the_envelope_keeps_what_was_typed_and_shows_its_error(self):
        view = form_view(
            errors=[FieldError("envelope", "The envelope must be more than £0")], envelope="-1"
        )
        params = view.envelope_params()
        assert params["value"] == "-1"
        assert params["prefix"] == "£"
        assert params["errorMessage"] == {"text": "The envelope must be more than £0"}
        assert "errorMessage" not in view.year_params()

    def test_baselines_are_labelled(self):
        params = form_view(baselines=(EXAMPLE, UPLOADED), baseline="7").baseline_params()
        assert params["items"] == [
            {
                "value": "example",
                "text": "ILLUSTRATIVE: Example baseline shipped with placeworks (QE1_historic.csv)",
                "selected": False,
            },
            {"value": "7", "text": "Our 2019/20 budgets (budgets.xlsx)", "selected": True},
        ]

    def test_without_baselines_it_says_to_upload_one(self):
        params = form_view(baselines=()).baseline_params()
        assert params["items"] == [
            {"value": "", "text": "None yet: upload one below", "selected": False}
        ]

    def test_scenario_radios(self):
        first, second, _ = form_view(**{"envelope": "1", "s1-method": "blend"}).scenarios
        assert first.legend == "Scenario 1 (the base)"
        items = first.method_params()["items"]
        assert [i["value"] for i in items] == [
            "population",
            "need",
            "historic",
            "blend",
            "convergence",
        ]
        assert [i["value"] for i in items if i["checked"]] == ["blend"]
        assert second.method_params()["items"][0] == {
            "value": "none",
            "text": "No scenario",
            "checked": True,
        }
        assert [p["id"] for p in first.weight_params()] == [
            "s1-historic",
            "s1-population",
            "s1-need",
        ]
        assert [p["id"] for p in second.convergence_params()] == [
            "s2-years",
            "s2-uplift",
            "s2-floor",
            "s2-cap",
        ]

    def test_scenario_errors_are_on_their_inputs_and_in_the_summary(self):
        errors = [
            FieldError("envelope", "Enter the envelope"),
            FieldError("s2-floor", "Scenario 2: floor"),
        ]
        view = form_view(errors=errors)
        floor = view.scenarios[1].convergence_params()[2]
        assert floor["errorMessage"] == {"text": "Scenario 2: floor"}
        assert floor["suffix"] == "%"
        assert view.error_list() == [
            {"text": "Enter the envelope", "href": "#envelope"},
            {"text": "Scenario 2: floor", "href": "#s2-floor"},
        ]


def test_upload_view_shows_its_errors():
    upload = UploadView(
        name="Ours",
        illustrative=True,
        errors=(FieldError("baseline-file", "b.csv, row 3, field 'amount': bad"),),
    )
    assert upload.file_params()["errorMessage"] == {"text": "b.csv, row 3, field 'amount': bad"}
    assert upload.name_params()["value"] == "Ours"
    assert "errorMessage" not in upload.name_params()
    assert upload.illustrative_params()["items"][0]["checked"] is True
    assert upload.error_list() == [
        {"text": "b.csv, row 3, field 'amount': bad", "href": "#baseline-file"}
    ]


# --- results ---------------------------------------------------------------------------------


class TestScenarioResult:
    def test_rows_are_formatted_and_by_name(self):
        need = allocation({"QE1-LAN": "600.00", "QE1-BPL": "300.00", "QE1-SCU": "100.00"})
        result = ScenarioResult.build(1, need, title="Need", names=PLACES)
        assert result.caption == "Scenario 1: Need"
        assert result.id == "scenario-1"
        assert result.level == "Place"
        assert result.parent_levels == ()
        assert [r.name for r in result.rows] == ["Blackpool", "Lancashire", "South Cumbria"]
        blackpool = result.rows[0]
        assert blackpool.amount == "£300.00"
        assert blackpool.share == "30.00%"
        assert blackpool.registered_population == "100,000"
        assert blackpool.weighted_population == "110,001"
        assert blackpool.index_icb == "1.100"
        assert blackpool.index_england == "0.988"
        assert blackpool.distance_from_target == "0.00%"

    def test_the_total_is_the_envelope(self):
        need = allocation({"QE1-LAN": "600.00", "QE1-BPL": "400.00"})
        total = ScenarioResult.build(1, need, title="Need", names=PLACES).total
        assert total.name == "Total"
        assert total.amount == "£1,000.00"
        assert total.share == "100.00%"
        assert total.practices == "20"
        assert total.registered_population == "200,001"
        assert total.resident_population == "180,000"
        assert total.index_icb == "1.000"
        assert total.index_england == "–"
        assert total.per_head == "£0.00"

    def test_small_numbers_and_missing_residents(self):
        rows = (
            row("U1", "10.00", "20", small_numbers=True, resident_population=None),
            row("U2", "10.00", "20", distance_from_target=None),
        )
        pcns = allocation({"U1": "10.00", "U2": "10.00"}, rows=rows, levels=("pcn",))
        result = ScenarioResult.build(2, pcns, title="Need", names={})
        assert [r.small_numbers for r in result.rows] == [True, False]
        assert result.rows[0].resident_population == "–"
        assert result.rows[1].distance_from_target == "–"
        assert result.total.resident_population == "–"
        assert result.level == "PCN"

    def test_nested_groups_name_their_parents(self):
        names = {"QE1-LAN": "Lancashire", "QE1-LAN-CW": "Central and West", "QE1-BPL": "Blackpool"}
        rows = (
            row("QE1-LAN-CW", "5.00", "10", name="Central and West", parents={"place": "QE1-LAN"}),
            row("QE1-BPL", "5.00", "10", name="Blackpool", parents={"place": "QE1-BPL"}),
        )
        nested = allocation(
            {"QE1-LAN-CW": "5.00", "QE1-BPL": "5.00"}, rows=rows, levels=("place", "locality")
        )
        result = ScenarioResult.build(1, nested, title="Need", names=names)
        assert result.parent_levels == ("Place",)
        assert result.level == "Locality"
        assert [(r.parents, r.name) for r in result.rows] == [
            (("Blackpool",), "Blackpool"),
            (("Lancashire",), "Central and West"),
        ]
        assert result.total.parents == ("",)
        assert display_order(nested, names) == {"QE1-BPL": 0, "QE1-LAN-CW": 1}


def need_against_historic() -> tuple[Allocation, Allocation]:
    need = allocation({"QE1-LAN": "600.00", "QE1-BPL": "300.00", "QE1-SCU": "100.00"})
    historic = allocation(
        {"QE1-LAN": "650.00", "QE1-BPL": "250.00", "QE1-SCU": "100.00"}, Historic()
    )
    return need, historic


def test_comparison_table_shows_each_change_against_the_first():
    need, historic = need_against_historic()
    table = ComparisonTable.build(compare([need, historic]), display_order(need, PLACES))
    assert table.head == (
        "Scenario 1 (£)",
        "Scenario 2 (£)",
        "Change 2 vs 1 (£)",
        "Change 2 vs 1 (%)",
    )
    assert [(r.name, r.cells) for r in table.rows] == [
        ("Blackpool", ("£300.00", "£250.00", "-£50.00", "-16.67%")),
        ("Lancashire", ("£600.00", "£650.00", "+£50.00", "+8.33%")),
        ("South Cumbria", ("£100.00", "£100.00", "£0.00", "0.00%")),
    ]
    assert table.total.cells == ("£1,000.00", "£1,000.00", "£0.00", "")


def test_gainers_and_losers():
    need, historic = need_against_historic()
    movers = Movers.build(compare([need, historic]), 1)
    assert movers.heading == "Scenario 2 against scenario 1"
    assert [m.text for m in movers.gainers] == ["Lancashire: +£50.00 (+8.33%)"]
    assert [m.text for m in movers.losers] == ["Blackpool: -£50.00 (-16.67%)"]
    assert movers.unchanged == ("South Cumbria",)
    assert not movers.illustrative


def test_convergence_path_is_a_year_by_group_table():
    path = (
        (Decimal("1000.00"), {"QE1-LAN": Decimal("600.00"), "QE1-BPL": Decimal("400.00")}),
        (Decimal("1030.00"), {"QE1-LAN": Decimal("610.00"), "QE1-BPL": Decimal("420.00")}),
    )
    method = Convergence(years=2, uplift=Decimal("0.03"), floor=Decimal(0), cap=Decimal("0.1"))
    converge = allocation({"QE1-LAN": "600.00", "QE1-BPL": "400.00"}, method, path=path)
    table = PathTable.build(3, converge, display_order(converge, PLACES))
    assert table.caption == "Scenario 3: convergence path by year"
    assert table.years == ("Year 1: 2025/26", "Year 2: 2026/27")
    assert [(r.name, r.cells) for r in table.rows] == [
        ("Blackpool", ("£400.00", "£420.00")),
        ("Lancashire", ("£600.00", "£610.00")),
    ]
    assert table.envelope.cells == ("£1,000.00", "£1,030.00")
    assert not table.illustrative


def test_warnings_are_given_once_and_say_which_scenarios_they_concern():
    illustrative = Baseline({"00Q": Decimal(1)}, {"00Q": "x"}, "QE1_historic.csv", True)
    small = "QE1-SCU has 8,033 registered patients, fewer than 10,000: its index may be unstable"
    first = allocation({"QE1-SCU": "1.00"}, warnings=[small])
    second = allocation(
        {"QE1-SCU": "1.00"},
        Historic(),
        warnings=[small, "convergence: amounts are year 1 of 3"],
        baseline=illustrative,
    )
    assert collect_warnings([(1, first), (2, second)], PLACES) == (
        "South Cumbria (QE1-SCU) has 8,033 registered patients, fewer than 10,000: its index"
        " may be unstable",
        "The historic baseline (QE1_historic.csv) is ILLUSTRATIVE: its amounts are made up, not"
        " real budgets, so the historic, blend and convergence figures only show how the"
        " methods work.",
        "Scenario 2: convergence: amounts are year 1 of 3",
    )


# --- the page --------------------------------------------------------------------------------


class TestAllocationPage:
    def build(self, **more) -> AllocationPage:
        return AllocationPage.build(
            code="QE1",
            name="NHS Lancashire and South Cumbria ICB",
            region="North West",
            form=form_view(**{"envelope": "1000", "s2-method": "historic"}),
            **more,
        )

    def test_without_results_it_is_the_form(self):
        page = self.build()
        assert not page.has_results
        assert page.comparison is None
        assert page.movers == ()
        assert page.title == "Allocation, NHS Lancashire and South Cumbria ICB"
        assert page.errors == []

    def test_with_results(self):
        need, historic = need_against_historic()
        historic = allocation(
            {"QE1-LAN": "650.00", "QE1-BPL": "250.00", "QE1-SCU": "100.00"},
            Historic(),
            baseline=Baseline({"00Q": Decimal(1)}, {"00Q": "x"}, "QE1_historic.csv", True),
        )
        page = self.build(
            function=function("core"),
            results=[(Scenario(1, Need()), need), (Scenario(2, Historic()), historic)],
            comparison=compare([need, historic]),
            names=PLACES,
            baseline=EXAMPLE,
            notices=["Stored."],
        )
        assert page.has_results
        assert [s.illustrative for s in page.scenarios] == [False, True]
        assert page.scenarios[1].title.startswith("Historic: ILLUSTRATIVE")
        assert page.comparison.rows[0].name == "Blackpool"
        assert page.comparison.illustrative
        assert [(m.number, m.illustrative) for m in page.movers] == [(2, True)]
        assert any("ILLUSTRATIVE" in w for w in page.warnings)
        assert page.notices == ("Stored.",)
        query = page.download_query
        assert query.startswith("?year=2025%2F26&grouping=places&function=core&envelope=1000")
        assert "s2-method=historic" in query
        assert "s3-method" not in query

    def test_errors_of_both_forms_are_summarised(self):
        page = AllocationPage.build(
            code="QE1",
            name="QE1",
            region=None,
            form=form_view(errors=[FieldError("envelope", "Enter it")]),
            upload=UploadView(errors=(FieldError("baseline-file", "Choose a file"),)),
        )
        assert page.errors == [
            {"text": "Enter it", "href": "#envelope"},
            {"text": "Choose a file", "href": "#baseline-file"},
        ]
