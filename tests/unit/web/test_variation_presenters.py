"""Variation presenters: the form's checks, the rows, the charts and the notes, from Variation
objects built by hand (no database, no data package)."""

from __future__ import annotations

import pandas as pd
import pytest
import shapely

from placeworks.indicators.variation import GroupValue, IndicatorDefinition, Variation
from placeworks.web import variation_presenters as vp
from placeworks.web.variation_presenters import (
    FieldError,
    FormView,
    IndicatorChoice,
    VariationForm,
    VariationPage,
    build_result,
)

GROUPINGS = (("places", "Places"), ("neighbourhoods", "Neighbourhoods"), ("pcns", "PCNs"))
INDICATORS = (
    IndicatorChoice("qof-hyp", "Hypertension: recorded prevalence", ("places", "neighbourhoods")),
    IndicatorChoice("health-index", "Health Index: overall score", ("places",)),
)
PARENTS = (("E07000127", "West Lancashire (district)"),)

HYP = IndicatorDefinition(
    id="qof-hyp",
    name="Hypertension: recorded prevalence",
    kind="proportion",
    multiplier=100,
    unit="%",
    period="2020/21",
    source="NHS Digital, QOF 2020-21",
    polarity="no judgement",
    groupings=("places", "neighbourhoods"),
)
SCORE = IndicatorDefinition(
    id="health-index",
    name="Health Index: overall score",
    kind="score",
    multiplier=1,
    unit="score",
    period="2021",
    source="ONS Health Index",
    polarity="higher is better",
    groupings=("places",),
)


def group(code, name, value, lo95, hi95, lo998, hi998, significance, denominator=1000.0):
    return GroupValue(
        code=code,
        name=name,
        numerator=None if value is None else value * denominator / 100,
        denominator=denominator,
        value=value,
        lower95=lo95,
        upper95=hi95,
        lower998=lo998,
        upper998=hi998,
        significance=significance,
        parent="QE1",
    )


GROUPS = (
    group("QE1-LAN", "Lancashire", 15.3, 15.2, 15.4, 15.1, 15.5, "Lower (99.8%)", 1_248_624),
    group("QE1-BPL", "Blackpool", 17.9, 17.8, 18.1, 17.7, 18.2, "Higher (99.8%)", 174_970),
    group("QE1-SCU", "South Cumbria", 15.5, 15.3, 15.7, 15.2, 15.8, "Similar", 192_237),
)
FUNNEL = pd.DataFrame(
    {
        "denominator": [100_000, 500_000, 1_300_000],
        "lower998": [15.0, 15.3, 15.4],
        "lower95": [15.2, 15.4, 15.45],
        "upper95": [15.8, 15.6, 15.55],
        "upper998": [16.0, 15.7, 15.6],
    }
)


def hyp_variation(**changes) -> Variation:
    fields = {
        "indicator": HYP,
        "icb": "QE1",
        "icb_name": "NHS Lancashire and South Cumbria ICB",
        "grouping": "places",
        "within": None,
        "benchmark": 15.53,
        "groups": GROUPS,
        "funnel": FUNNEL,
        "series": None,
        "sii": {
            "sii": -3.34,
            "sii_lower95": -3.53,
            "sii_upper95": -3.16,
            "unit": "percentage points",
            "reading": "the gap from the most to the least deprived end",
        },
        "notes": ("2 practices have no QOF return.",),
    }
    return Variation(**{**fields, **changes})


def score_variation() -> Variation:
    series = pd.DataFrame(
        {
            "code": ["QE1-BPL"] * 3 + ["QE1-LAN"] * 3,
            "name": ["Blackpool"] * 3 + ["Lancashire"] * 3,
            "period": [2019, 2020, 2021] * 2,
            "value": [90.0, 91.0, 88.0, 100.0, 101.0, 99.0],
            "mean": [89.7] * 3 + [100.0] * 3,
            "lpl": [85.0] * 3 + [97.0] * 3,
            "upl": [94.0] * 3 + [103.0] * 3,
            "point_type": ["common_cause"] * 5 + ["special_cause_neutral_low"],
        }
    )
    groups = tuple(
        GroupValue(code, name, None, 1000.0, value, None, None, None, None, "Not compared", "QE1")
        for code, name, value in (("QE1-LAN", "Lancashire", 99.0), ("QE1-BPL", "Blackpool", 88.0))
    )
    return Variation(
        indicator=SCORE,
        icb="QE1",
        icb_name="NHS Lancashire and South Cumbria ICB",
        grouping="places",
        within=None,
        benchmark=97.0,
        groups=groups,
        funnel=None,
        series=series,
        sii=None,
        notes=(),
    )


def check(**query) -> tuple[FieldError, ...]:
    form = VariationForm.from_query(query)
    return form.check(groupings=GROUPINGS, indicators=INDICATORS, parents=PARENTS)


# --- the form ---------------------------------------------------------------------------------


def test_an_empty_query_is_not_submitted_and_has_no_errors():
    form = VariationForm.from_query({})
    assert not form.submitted
    assert check() == ()
    assert form.query() == ""


def test_a_valid_query_has_no_errors_and_keeps_its_query():
    assert check(grouping="places", indicator="qof-hyp") == ()
    assert check(grouping="neighbourhoods", indicator="qof-hyp", within="E07000127") == ()
    form = VariationForm.from_query({"grouping": "places", "indicator": "qof-hyp", "within": ""})
    assert form.query() == "?grouping=places&indicator=qof-hyp"


def test_an_unknown_indicator_is_named():
    errors = check(grouping="places", indicator="qof-nope")
    assert errors == (
        FieldError("indicator", "There is no indicator “qof-nope”; choose one of the list"),
    )


def test_empty_choices_are_asked_for():
    errors = check(grouping="", indicator="", within="")
    assert errors == ()  # nothing chosen: not submitted
    form = VariationForm(grouping="", indicator="qof-hyp", submitted=True)
    errors = form.check(groupings=GROUPINGS, indicators=INDICATORS, parents=PARENTS)
    assert errors == (FieldError("grouping", "Choose what to compare"),)


def test_an_unknown_grouping_and_parent_are_named():
    errors = check(grouping="wards", indicator="qof-hyp", within="E0000")
    assert [e.field for e in errors] == ["grouping", "within"]
    assert "“wards” is not a grouping" in errors[0].message
    assert "“E0000” is not an area" in errors[1].message


def test_an_indicator_not_offered_for_the_grouping_says_where_it_is():
    errors = check(grouping="neighbourhoods", indicator="health-index")
    assert errors[0].field == "indicator"
    assert "not available for neighbourhoods; it is available for places" in errors[0].message


def test_the_selects_mark_the_chosen_items_and_errors():
    form = VariationForm.from_query({"grouping": "places", "indicator": "nope"})
    errors = form.check(groupings=GROUPINGS, indicators=INDICATORS, parents=PARENTS)
    view = FormView(form, GROUPINGS, INDICATORS, PARENTS, errors)
    grouping = view.grouping_params()
    assert [i["value"] for i in grouping["items"] if i["selected"]] == ["places"]
    indicator = view.indicator_params()
    assert "errorMessage" in indicator
    assert indicator["items"][1]["text"] == (
        "Hypertension: recorded prevalence (places, neighbourhoods)"
    )
    within = view.within_params()
    assert within["items"][0] == {"value": "", "text": "The whole ICB", "selected": True}
    page = VariationPage("QE1", "NHS Lancashire and South Cumbria ICB", view)
    assert page.errors == [{"text": errors[0].message, "href": "#indicator"}]


# --- formatting and rows ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (15.324, "%", "15.3%"),
        (101.26, "score", "101.3"),
        (None, "%", "–"),
        (float("nan"), "%", "–"),
    ],
)
def test_format_value(value, unit, text):
    assert vp.format_value(value, unit) == text


def test_rows_show_every_group_with_its_limits_and_label():
    rows = vp.group_rows(hyp_variation())
    assert [r.name for r in rows] == ["Lancashire", "Blackpool", "South Cumbria"]
    lancs = rows[0]
    assert lancs.value == "15.3%"
    assert lancs.limits95 == "15.2% to 15.4%"
    assert lancs.limits998 == "15.1% to 15.5%"
    assert lancs.denominator == "1,248,624"
    assert lancs.significance == "Lower (99.8%)"
    assert lancs.category == "lower"
    assert lancs.parent == ""  # the ICB itself is not named as a parent


def test_rows_name_a_parent_below_the_icb():
    groups = tuple(
        GroupValue("QE1-WL-SKEL", "Skelmersdale", 1, 2, 50.0, None, None, None, None, "x", p)
        for p in ("E07000127",)
    )
    rows = vp.group_rows(hyp_variation(groups=groups), {"E07000127": "West Lancashire"})
    assert rows[0].parent == "West Lancashire"


def test_rows_carry_the_funnel_significance_when_there_is_one():
    groups = (
        GroupValue("A", "A", 1, 2, 50.0, 1, 2, 3, 4, "Similar", funnel_significance="High (0.025)"),
    )
    result = build_result(
        hyp_variation(groups=groups), grouping_label="Places", within_name=None, download_query=""
    )
    assert result.rows[0].funnel == "High (0.025)"
    assert result.has_funnel_column
    assert not build_result(
        score_variation(), grouping_label="Places", within_name=None, download_query=""
    ).has_funnel_column


def test_estimates_point_the_way_the_value_lies_from_the_benchmark():
    points = vp.estimates(hyp_variation())
    assert [p.direction for p in points] == [-1, 1, -1]
    assert [p.category for p in points] == ["lower", "higher", "similar"]


# --- the result -------------------------------------------------------------------------------


def test_result_of_a_proportion_has_intervals_funnel_map_and_sii():
    areas = {"QE1-LAN": shapely.box(-3, 53.5, -2, 54), "QE1-BPL": shapely.box(-3.1, 53.7, -3, 53.8)}
    result = build_result(
        hyp_variation(),
        grouping_label="Places",
        within_name=None,
        download_query="?grouping=places&indicator=qof-hyp",
        areas=areas,
    )
    assert result.benchmark == "15.5%"
    assert result.benchmark_label == "NHS Lancashire and South Cumbria ICB average"
    for name in ("Lancashire", "Blackpool", "South Cumbria"):
        assert name in str(result.intervals.svg)
    assert result.funnel is not None
    assert str(result.funnel.svg).count('class="placeworks-chart-point"') == 3
    assert result.map is not None
    assert result.map_missing == ("South Cumbria",)
    assert result.spc == ()
    assert result.sii.startswith("Slope index of inequality: -3.34 percentage points")
    assert "95% confidence interval -3.53 to -3.16" in result.sii
    assert result.notes == ("2 practices have no QOF return.",)
    assert result.summary == (
        ("Significantly higher", "1"),
        ("Significantly lower", "1"),
        ("Not significantly different", "1"),
    )


def test_result_of_a_score_has_an_spc_chart_for_each_group_and_no_funnel():
    result = build_result(
        score_variation(), grouping_label="Places", within_name=None, download_query=""
    )
    assert result.funnel is None
    assert result.map is None
    assert [s.name for s in result.spc] == ["Lancashire", "Blackpool"]  # the groups' order
    lancs = result.spc[0]
    assert [r.period for r in lancs.rows] == ["2019", "2020", "2021"]
    assert lancs.rows[-1].point == "Special cause: low"
    assert lancs.rows[0].limits == "97.0 to 103.0"
    assert 'data-shape="triangle-down"' in str(lancs.chart.svg)
    assert result.sii is None


def test_result_within_an_area_names_it_and_keeps_the_icb_benchmark():
    result = build_result(
        hyp_variation(within="E07000127"),
        grouping_label="Neighbourhoods",
        within_name="West Lancashire",
        download_query="",
    )
    assert result.benchmark_label == "NHS Lancashire and South Cumbria ICB average"
    assert "neighbourhoods of West Lancashire" in result.intervals.title
