"""The server-side SVG charts: coordinates computed by hand, scale bounds, every group drawn,
and the accessibility parts (role, title, desc, legend, shapes as well as colours)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
import shapely

from placeworks.web import charts
from placeworks.web.charts import Estimate, FunnelLine, Scale, SpcPoint

NS = {"svg": "http://www.w3.org/2000/svg"}

GROUPS = (
    Estimate("A", "Alpha", 20.0, 18.0, 22.0, 17.0, 23.0, "higher", 1000, 1),
    Estimate("B", "Beta", 10.0, 9.0, 11.0, 8.5, 11.5, "similar", 4000, 0),
    Estimate("C", "Gamma & Co", 4.0, 3.0, 5.0, 2.5, 5.5, "lower", 2500, -1),
    Estimate("D", "Delta", None, category="none"),
)


def parse(chart: charts.Chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))


def test_scale_maps_ends_and_middle():
    scale = Scale(0, 10, 100, 200)
    assert scale(0) == 100
    assert scale(10) == 200
    assert scale(2.5) == 125
    flipped = Scale(0, 50, 300, 100)  # y runs downwards
    assert flipped(50) == 100
    assert flipped(10) == 260


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([2.5, 23.0], (0.0, 25.0, 5.0)),
        ([0.12, 0.87], (0.0, 1.0, 0.2)),
        ([101, 139], (100.0, 140.0, 10.0)),
        ([5.0, 5.0], (4.4, 5.6, 0.2)),
        ([0.6, 1.0], (0.6, 1.0, 0.1)),
        ([], (0.0, 1.0, 0.2)),
        ([None, float("nan")], (0.0, 1.0, 0.2)),
    ],
)
def test_nice_bounds_cover_the_values(values, expected):
    lo, hi, step = charts.nice_bounds(values)
    assert (lo, hi, step) == pytest.approx(expected)


def test_nice_bounds_always_contain_every_value():
    values = [3.3, 17.9, 44.1, -2.0]
    lo, hi, step = charts.nice_bounds(values)
    assert lo <= min(values)
    assert hi >= max(values)
    assert step in (1, 2, 2.5, 5, 10, 20)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Significantly higher", "higher"),
        ("lower", "lower"),
        ("Worse (99.8%)", "worse"),
        ("better", "better"),
        ("Similar", "similar"),
        ("Not significantly different", "similar"),
        ("Not compared", "none"),
        ("", "none"),
        (None, "none"),
    ],
)
def test_category_from_significance_words(label, expected):
    assert charts.category(label) == expected


def test_format_tick_uses_the_decimals_the_step_needs():
    assert charts.format_tick(5.0, 5.0) == "5"
    assert charts.format_tick(0.4, 0.2) == "0.4"
    assert charts.format_tick(0.25, 0.25) == "0.25"
    assert charts.format_tick(1200, 200) == "1,200"


def test_interval_chart_places_each_value_where_the_scale_says():
    chart = charts.interval_chart(GROUPS, benchmark=10.0, unit="%", title="Test", width=720)
    root = parse(chart)
    # bounds 0..25 (step 5) over x from 240 to 700
    x = Scale(0, 25, 240, 700)
    rows = root.findall(".//svg:g[@class='placeworks-chart-row']", NS)
    assert [r.get("data-code") for r in rows] == ["A", "B", "C", "D"]
    beta = rows[1]
    circle = beta.find("svg:circle", NS)
    assert float(circle.get("cx")) == pytest.approx(x(10.0), abs=0.01)
    assert float(circle.get("cy")) == pytest.approx(30 + 30 * 1 + 15)
    # Alpha is significantly higher: an upward triangle whose apex is above its centre
    alpha = rows[0].find("svg:polygon", NS)
    assert alpha.get("data-shape") == "triangle-up"
    apex_x, apex_y = (float(v) for v in alpha.get("points").split()[0].split(","))
    assert apex_x == pytest.approx(x(20.0), abs=0.01)
    assert apex_y < 30 + 15
    assert rows[2].find("svg:polygon", NS).get("data-shape") == "triangle-down"
    # the 95% and 99.8% limits of Alpha are lines from and to the right x
    lines = rows[0].findall("svg:line", NS)
    assert float(lines[0].get("x1")) == pytest.approx(x(17.0), abs=0.01)
    assert float(lines[0].get("x2")) == pytest.approx(x(23.0), abs=0.01)
    assert float(lines[1].get("x1")) == pytest.approx(x(18.0), abs=0.01)
    # Delta has no value: said in words
    assert "no value" in ET.tostring(rows[3], encoding="unicode")


def test_every_chart_is_an_image_with_a_title_description_and_legend():
    chart = charts.interval_chart(GROUPS, benchmark=10.0, unit="%", title="Smoking, places")
    root = parse(chart)
    assert root.get("role") == "img"
    assert root.find("svg:title", NS).text == "Smoking, places"
    desc = root.find("svg:desc", NS).text
    for name in ("Alpha", "Beta", "Gamma & Co"):
        assert name in desc
    legend = ET.tostring(root.find(".//svg:g[@class='placeworks-chart-legend']", NS), "unicode")
    for text in ("95% limits", "99.8% limits", "Benchmark", "Significantly higher"):
        assert text in legend
    assert root.get("aria-labelledby") == f"{chart.id}-title {chart.id}-desc"


def test_categories_differ_by_shape_as_well_as_colour():
    shapes = {}
    for name in ("higher", "similar", "none"):
        element = ET.fromstring(
            f'<svg xmlns="http://www.w3.org/2000/svg">{charts.marker(name, 0, 0, 1)}</svg>'
        )[0]
        shapes[name] = element.get("data-shape")
    assert len(set(shapes.values())) == 3


def test_funnel_chart_points_and_limits():
    lines = [
        FunnelLine(d, 10 - 300 / d**0.5, 10 - 200 / d**0.5, 10 + 200 / d**0.5, 10 + 300 / d**0.5)
        for d in (500, 1000, 2000, 4000, 8000)
    ]
    chart = charts.funnel_chart(GROUPS, lines, benchmark=10.0, unit="%", title="Funnel")
    root = parse(chart)
    points = root.findall(".//svg:g[@class='placeworks-chart-point']", NS)
    # Delta has no denominator or value, so it is not plotted
    assert [p.get("data-code") for p in points] == ["A", "B", "C"]
    limits = {p.get("data-limit") for p in root.findall(".//svg:polyline", NS)}
    assert limits == {"lower95", "upper95", "lower998", "upper998"}
    # x: 0..8000 (step 2000) over 70..680
    x = Scale(0, 8000, 70, 680)
    beta = points[1].find("svg:circle", NS)
    assert float(beta.get("cx")) == pytest.approx(x(4000), abs=0.01)
    # the 99.8% limits are solid, the 95% dashed
    for line in root.findall(".//svg:polyline", NS):
        assert (line.get("stroke-dasharray") is None) == line.get("data-limit").endswith("998")


def test_funnel_of_a_percentage_stays_within_0_and_100():
    lines = [FunnelLine(10, -40, -20, 60, 140), FunnelLine(1000, 5, 7, 13, 15)]
    chart = charts.funnel_chart(GROUPS, lines, benchmark=10.0, unit="%", title="F")
    ticks = [t.text for t in parse(chart).findall("svg:text", NS) if t.get("text-anchor") == "end"]
    assert ticks[0] == "0"
    assert float(ticks[-1].replace(",", "")) <= 100


def test_spc_chart_marks_special_causes_by_shape():
    values = [10, 11, 10, 12, 11, 10, 25, 11]
    kinds = ["common_cause"] * 6 + ["special_cause_concern", "common_cause"]
    points = [
        SpcPoint(f"2024-{i + 1:02d}", v, 12.5, 5.0, 20.0, k)
        for i, (v, k) in enumerate(zip(values, kinds, strict=True))
    ]
    chart = charts.spc_chart(points, unit="%", title="SPC")
    root = parse(chart)
    groups = root.findall(".//svg:g[@class='placeworks-chart-point']", NS)
    assert len(groups) == 8
    shapes = [g[0].get("data-shape") for g in groups]
    assert shapes[6] == "square"
    assert set(shapes[:6]) == {"circle"}
    # y: 5..25 (step 5; the lower limit is 5) over 320..20; x: 0..7 over 85..685
    y = Scale(5, 25, 320, 20)
    x = Scale(0, 7, 85, 685)
    first = groups[0][0]
    assert float(first.get("cx")) == pytest.approx(x(0), abs=0.01)
    assert float(first.get("cy")) == pytest.approx(y(10), abs=0.01)
    lines = {p.get("data-line"): p for p in root.findall(".//svg:polyline", NS)}
    assert set(lines) >= {"mean", "upl", "lpl"}
    assert lines["upl"].get("points").split()[0] == f"{x(0):g},{y(20):g}"
    assert "Special cause: concern" in str(chart.svg)
    assert "1 points show special cause" in chart.description


def test_projection_keeps_north_up_and_fits():
    project = charts.Projection.fit((-3.0, 53.0, -2.0, 54.0), 400, 400, pad=10)
    west_north = project(-3.0, 54.0)
    east_south = project(-2.0, 53.0)
    assert west_north == pytest.approx((10, 10))
    assert east_south[1] == pytest.approx(390)
    # longitudes shrink by cos(53.5°), so the map is taller than wide
    assert east_south[0] - 10 == pytest.approx(380 * 0.5948, abs=0.01)


def test_map_chart_draws_every_area_with_a_pattern():
    areas = {
        "A": shapely.box(-3.0, 53.0, -2.5, 53.5),
        "B": shapely.box(-2.5, 53.0, -2.0, 53.5),
        "C": shapely.MultiPolygon([shapely.box(-3.0, 53.5, -2.0, 54.0)]),
    }
    chart = charts.map_chart(areas, GROUPS, title="Map", outline=shapely.box(-3, 53, -2, 54))
    root = parse(chart)
    paths = root.findall(".//svg:path[@data-code]", NS)
    assert [p.get("data-code") for p in paths] == ["A", "B", "C"]
    fills = [p.get("fill") for p in paths]
    assert fills == [
        f"url(#{chart.id}-higher)",
        f"url(#{chart.id}-similar)",
        f"url(#{chart.id}-lower)",
    ]
    patterns = {p.get("id") for p in root.findall(".//svg:pattern", NS)}
    assert {f"{chart.id}-higher", f"{chart.id}-lower"} <= patterns
    labels = [t.text for t in root.findall("svg:text", NS)]
    assert {"Alpha", "Beta", "Gamma & Co"} <= set(labels)
    assert "Not on the map: Delta" in chart.description
    assert re.search(r'd="M[\d.]+,[\d.]+ L', str(chart.svg))


def test_a_map_of_scores_is_shaded_by_value_and_labelled_with_it():
    scores = (
        Estimate("A", "Alpha", 90.0),
        Estimate("B", "Beta", 100.0),
        Estimate("C", "Gamma", 110.0),
    )
    areas = {
        "A": shapely.box(-3.0, 53.0, -2.5, 53.5),
        "B": shapely.box(-2.5, 53.0, -2.0, 53.5),
        "C": shapely.box(-3.0, 53.5, -2.0, 54.0),
    }
    classes = charts.value_classes([90.0, 100.0, 110.0])
    bounds = [bound for lo, hi, _ in classes for bound in (lo, hi)]
    assert bounds == pytest.approx([90, 96.667, 96.667, 103.333, 103.333, 110], abs=0.001)
    chart = charts.map_chart(areas, scores, title="Scores")
    root = parse(chart)
    fills = [p.get("fill") for p in root.findall(".//svg:path[@data-code]", NS)]
    assert fills == [c for _, _, c in classes]
    labels = [t.text for t in root.findall("svg:text", NS)]
    assert {"Alpha 90.0", "Beta 100.0", "Gamma 110.0"} <= set(labels)
    assert "90.0 to 96.7" in str(chart.svg)  # the legend's ranges
    assert "shaded by their value" in chart.description
    assert "No value" not in str(chart.svg)
