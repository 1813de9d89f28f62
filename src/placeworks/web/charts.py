"""Charts drawn on the server as accessible inline SVG: no JavaScript, no image files.

Each function takes plain numbers (no Django, no pandas) and returns a :class:`Chart` whose
``svg`` is a complete ``<svg role="img">`` with a ``<title>`` and ``<desc>``, text labels and a
legend. Colour is never the only cue: a group's significance is drawn by shape (a triangle
pointing up for significantly higher, down for significantly lower, a circle for similar, a
hollow square when it was not compared), and map areas carry a pattern as well as a fill. The
page shows the same numbers in a table next to each chart.

The coordinates are plain arithmetic on :class:`Scale`, so tests can compute where a point must
sit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

FONT = 'font-family="Frutiger W01, Arial, sans-serif"'
TEXT = "#212b32"
GRID = "#d8dde0"
BENCHMARK = "#212b32"

# Significance categories: (fill colour, shape, legend text). Colours follow the NHS.UK palette;
# every category also has its own shape.
CATEGORIES: dict[str, tuple[str, str, str]] = {
    "better": ("#007f3b", "", "Significantly better"),
    "worse": ("#d5281b", "", "Significantly worse"),
    "higher": ("#005eb8", "", "Significantly higher"),
    "lower": ("#41b6e6", "", "Significantly lower"),
    "similar": ("#ffeb3b", "circle", "Not significantly different"),
    "none": ("#ffffff", "square", "Not compared"),
}
PATTERNS: dict[str, str] = {
    "better": "dots",
    "worse": "hatch",
    "higher": "hatch",
    "lower": "dots",
    "similar": "",
    "none": "cross",
}


def category(significance: str | None) -> str:
    """One of :data:`CATEGORIES` from a significance label, by its words."""
    text = (significance or "").lower()
    if not text or "not compared" in text or "no data" in text or "not calculated" in text:
        return "none"
    for word, name in (
        ("better", "better"),
        ("worse", "worse"),
        ("higher", "higher"),
        ("above", "higher"),
        ("lower", "lower"),
        ("below", "lower"),
    ):
        if word in text:
            return name
    return "similar"


def category_label(name: str) -> str:
    return CATEGORIES[name][2]


@dataclass(frozen=True)
class Scale:
    """A linear map from ``domain`` to ``range`` (either may run backwards)."""

    lo: float
    hi: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        if self.hi == self.lo:
            return (self.start + self.end) / 2
        return self.start + (value - self.lo) / (self.hi - self.lo) * (self.end - self.start)


def nice_step(span: float, ticks: int = 5) -> float:
    """A step of 1, 2, 2.5 or 5 times a power of ten giving about ``ticks`` intervals."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power  # pragma: no cover - the loop always returns


def nice_bounds(values: Sequence[float | None], ticks: int = 5) -> tuple[float, float, float]:
    """Rounded ``(lo, hi, step)`` covering every finite value, with at least some span."""
    finite = [v for v in values if v is not None and math.isfinite(v)]
    if not finite:
        return 0.0, 1.0, 0.2
    lo, hi = min(finite), max(finite)
    if hi == lo:
        pad = abs(lo) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    step = nice_step(hi - lo, ticks)
    low = math.floor(lo / step + 1e-9) * step
    high = math.ceil(hi / step - 1e-9) * step
    return round(low, 10), round(high, 10), step


def tick_values(lo: float, hi: float, step: float) -> list[float]:
    count = round((hi - lo) / step)
    return [lo + i * step for i in range(count + 1)]


def format_number(value: float, decimals: int = 1) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value:,.{decimals}f}"


def format_tick(value: float, step: float) -> str:
    """A tick label with as many decimals as the step needs."""
    decimals = next((d for d in range(7) if abs(round(step, d) - step) < 1e-9), 6)
    return f"{value:,.{decimals}f}"


@dataclass(frozen=True)
class Chart:
    """An SVG chart and what a screen reader hears of it."""

    id: str
    title: str
    description: str
    svg: Markup
    width: int
    height: int


@dataclass(frozen=True)
class Estimate:
    """One group's value with its limits and significance category, as the charts need it."""

    code: str
    name: str
    value: float | None
    lower95: float | None = None
    upper95: float | None = None
    lower998: float | None = None
    upper998: float | None = None
    category: str = "none"
    denominator: float | None = None
    direction: int = 0  # +1 above the benchmark, -1 below, 0 level or unknown


def _svg(chart_id: str, width: int, height: int, title: str, desc: str, body: list[str]) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(chart_id)}" class="placeworks-chart"'
        f' role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
        f' aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc"'
        f' preserveAspectRatio="xMinYMin meet" {FONT}>'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")


def _n(value: float) -> str:
    """A coordinate with at most 2 decimals."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: int = 13, extra=""):
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}" fill="{TEXT}"'
        f' text-anchor="{anchor}"{extra}>{escape(text)}</text>'
    )


def _line(x1, y1, x2, y2, *, stroke=TEXT, width=1.0, dash: str = "", extra=""):
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{stroke}"'
        f' stroke-width="{width}"{dashed}{extra}/>'
    )


def marker(name: str, x: float, y: float, direction: int = 0, size: float = 6.0, label="") -> str:
    """The shape of a significance category centred on (x, y), with a tooltip title."""
    fill = CATEGORIES[name][0]
    tip = f"<title>{escape(label)}</title>" if label else ""
    common = f'fill="{fill}" stroke="{TEXT}" stroke-width="1.2" data-category="{name}"'
    if name in ("better", "worse", "higher", "lower"):
        up = direction > 0 if direction else name in ("higher", "worse")
        h = size * 1.25
        if up:
            points = (
                f"{_n(x)},{_n(y - h)} {_n(x - h)},{_n(y + h * 0.8)} {_n(x + h)},{_n(y + h * 0.8)}"
            )
        else:
            points = (
                f"{_n(x)},{_n(y + h)} {_n(x - h)},{_n(y - h * 0.8)} {_n(x + h)},{_n(y - h * 0.8)}"
            )
        shape = "triangle-up" if up else "triangle-down"
        return f'<polygon points="{points}" {common} data-shape="{shape}">{tip}</polygon>'
    if name == "none":
        return (
            f'<rect x="{_n(x - size)}" y="{_n(y - size)}" width="{_n(2 * size)}"'
            f' height="{_n(2 * size)}" {common} data-shape="square">{tip}</rect>'
        )
    return (
        f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(size)}" {common}'
        f' data-shape="circle">{tip}</circle>'
    )


def _legend(x: float, y: float, items: Sequence[tuple[str, str]], width: float) -> list[str]:
    """A legend of (svg snippet at origin 0,0, text) pairs, wrapped into rows within width."""
    body = [f'<g class="placeworks-chart-legend" transform="translate({_n(x)},{_n(y)})">']
    cx, cy = 0.0, 0.0
    for symbol, text in items:
        item_width = 34 + 7.2 * len(text)
        if cx and cx + item_width > width:
            cx, cy = 0.0, cy + 24
        body.append(f'<g transform="translate({_n(cx)},{_n(cy)})">{symbol}')
        body.append(_text(26, 5, text, size=13) + "</g>")
        cx += item_width + 10
    body.append("</g>")
    return body


def legend_height(items: Sequence[tuple[str, str]], width: float) -> float:
    cx, rows = 0.0, 1
    for _symbol, text in items:
        item_width = 34 + 7.2 * len(text)
        if cx and cx + item_width > width:
            cx, rows = 0.0, rows + 1
        cx += item_width + 10
    return rows * 24


def _category_items(names: Sequence[str]) -> list[tuple[str, str]]:
    seen = [n for n in CATEGORIES if n in set(names)]
    return [(marker(n, 10, 0, direction=0), category_label(n)) for n in seen]


# --- dot and whisker -----------------------------------------------------------------------


def interval_chart(
    estimates: Sequence[Estimate],
    *,
    benchmark: float | None,
    unit: str,
    title: str,
    chart_id: str = "chart-intervals",
    width: int = 720,
) -> Chart:
    """Each group on its own row: its value as a marker, its 95% limits as a thick bar and its
    99.8% limits as a thin line, against the benchmark as a dashed vertical line."""
    label_width = 230
    left, right = label_width + 10, width - 20
    row = 30
    top = 30
    plot_height = row * max(len(estimates), 1)
    values = [benchmark]
    for e in estimates:
        values += [e.value, e.lower95, e.upper95, e.lower998, e.upper998]
    lo, hi, step = nice_bounds(values)
    x = Scale(lo, hi, left, right)
    axis_y = top + plot_height
    items = [
        (_line(0, 0, 20, 0, width=5, stroke="#768692"), "95% limits"),
        (_line(0, 0, 20, 0, width=1.5), "99.8% limits"),
        (_line(10, -8, 10, 8, dash="5 3", width=2, stroke=BENCHMARK), "Benchmark"),
        *_category_items([e.category for e in estimates]),
    ]
    legend_top = axis_y + 50
    height = int(legend_top + legend_height(items, width - 20) + 10)
    body: list[str] = []
    for tick in tick_values(lo, hi, step):
        tx = x(tick)
        body.append(_line(tx, top - 6, tx, axis_y, stroke=GRID))
        body.append(_text(tx, axis_y + 18, format_tick(tick, step), anchor="middle", size=12))
    body.append(_line(left, axis_y, right, axis_y))
    axis_label = f"Value ({unit})" if unit else "Value"
    body.append(_text((left + right) / 2, axis_y + 38, axis_label, anchor="middle"))
    for i, e in enumerate(estimates):
        cy = top + row * i + row / 2
        name = e.name if len(e.name) <= 32 else e.name[:31] + "…"
        body.append(
            f'<g class="placeworks-chart-row" data-code="{escape(e.code)}">'
            + _text(label_width, cy + 4, name, anchor="end")
        )
        if e.lower998 is not None and e.upper998 is not None:
            body.append(_line(x(e.lower998), cy, x(e.upper998), cy, width=1.5))
        if e.lower95 is not None and e.upper95 is not None:
            body.append(_line(x(e.lower95), cy, x(e.upper95), cy, width=5, stroke="#768692"))
        if e.value is not None:
            tip = f"{e.name}: {format_number(e.value)}{' ' + unit if unit == 'score' else unit}"
            body.append(marker(e.category, x(e.value), cy, e.direction, label=tip))
        else:
            body.append(_text(left + 4, cy + 4, "no value", size=12))
        body.append("</g>")
    if benchmark is not None:
        bx = x(benchmark)
        body.append(
            _line(bx, top - 8, bx, axis_y, dash="5 3", width=2, stroke=BENCHMARK)
            + _text(bx, top - 12, f"Benchmark {format_number(benchmark)}", anchor="middle")
        )
    body += _legend(10, legend_top, items, width - 20)
    ranked = [e for e in estimates if e.value is not None]
    desc = (
        f"Dot and whisker chart of {len(estimates)} groups. "
        + (f"Benchmark {format_number(benchmark)}. " if benchmark is not None else "")
        + "; ".join(
            f"{e.name} {format_number(e.value)}, {category_label(e.category).lower()}"
            for e in ranked
        )
        + ". The table below gives every value with its limits."
    )
    return Chart(
        chart_id, title, desc, _svg(chart_id, width, height, title, desc, body), width, height
    )


# --- funnel plot ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelLine:
    """The control limits at one denominator."""

    denominator: float
    lower998: float | None
    lower95: float | None
    upper95: float | None
    upper998: float | None


def funnel_chart(
    estimates: Sequence[Estimate],
    lines: Sequence[FunnelLine],
    *,
    benchmark: float | None,
    unit: str,
    denominator_label: str = "Denominator",
    title: str,
    chart_id: str = "chart-funnel",
    width: int = 720,
    height_plot: int = 360,
) -> Chart:
    """Groups by denominator (x) and value (y) inside the 95% (dashed) and 99.8% (solid)
    control limits around the benchmark."""
    left, right, top = 70, width - 40, 30
    bottom = top + height_plot
    points = [e for e in estimates if e.value is not None and e.denominator is not None]
    xs = [0.0] + [e.denominator for e in points] + [ln.denominator for ln in lines]
    xlo, xhi, xstep = nice_bounds(xs)
    xlo = 0.0
    ys = [benchmark] + [e.value for e in points]
    for ln in lines:
        if ln.denominator >= max(min((e.denominator for e in points), default=0) * 0.5, 1):
            ys += [ln.lower998, ln.upper998]
    ylo, yhi, ystep = nice_bounds(ys)
    if unit == "%":
        ylo, yhi = max(ylo, 0.0), min(yhi, 100.0) if yhi > 0 else yhi
    x = Scale(xlo, xhi, left, right)
    y = Scale(ylo, yhi, bottom, top)
    items = [
        (_line(0, 0, 20, 0, width=1.5, dash="6 4"), "95% limits"),
        (_line(0, 0, 20, 0, width=2), "99.8% limits"),
        (_line(0, 0, 20, 0, width=2, dash="2 2", stroke=BENCHMARK), "Benchmark"),
        *_category_items([e.category for e in points]),
    ]
    legend_top = bottom + 56
    height = int(legend_top + legend_height(items, width - 20) + 10)
    body: list[str] = [
        f'<clipPath id="{chart_id}-clip"><rect x="{left}" y="{top}" width="{right - left}"'
        f' height="{bottom - top}"/></clipPath>'
    ]
    for tick in tick_values(ylo, yhi, ystep):
        ty = y(tick)
        body.append(_line(left, ty, right, ty, stroke=GRID))
        body.append(_text(left - 6, ty + 4, format_tick(tick, ystep), anchor="end", size=12))
    for tick in tick_values(xlo, xhi, xstep):
        tx = x(tick)
        body.append(_line(tx, bottom, tx, bottom + 5))
        body.append(_text(tx, bottom + 18, format_tick(tick, xstep), anchor="middle", size=12))
    body.append(_line(left, bottom, right, bottom) + _line(left, top, left, bottom))
    body.append(_text((left + right) / 2, bottom + 38, denominator_label, anchor="middle"))
    axis = f"Value ({unit})" if unit else "Value"
    body.append(
        _text(
            16,
            (top + bottom) / 2,
            axis,
            anchor="middle",
            extra=f' transform="rotate(-90 16 {_n((top + bottom) / 2)})"',
        )
    )
    clip = f' clip-path="url(#{chart_id}-clip)"'
    for attr, dash, stroke_width in (
        ("lower95", "6 4", 1.5),
        ("upper95", "6 4", 1.5),
        ("lower998", "", 2),
        ("upper998", "", 2),
    ):
        coords = [
            (x(ln.denominator), y(getattr(ln, attr)))
            for ln in lines
            if getattr(ln, attr) is not None and ln.denominator > 0
        ]
        if len(coords) > 1:
            path = " ".join(f"{_n(px)},{_n(py)}" for px, py in coords)
            dashed = f' stroke-dasharray="{dash}"' if dash else ""
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{TEXT}"'
                f' stroke-width="{stroke_width}"{dashed}{clip} data-limit="{attr}"/>'
            )
    if benchmark is not None:
        by = y(benchmark)
        body.append(_line(left, by, right, by, dash="2 2", width=2, stroke=BENCHMARK))
    for e in points:
        tip = f"{e.name}: {format_number(e.value)} ({format_number(e.denominator, 0)})"
        body.append(
            f'<g class="placeworks-chart-point" data-code="{escape(e.code)}">'
            + marker(e.category, x(e.denominator), y(e.value), e.direction, label=tip)
            + "</g>"
        )
    body += _legend(10, legend_top, items, width - 20)
    desc = (
        f"Funnel plot of {len(points)} groups: value against {denominator_label.lower()}, with "
        "95% and 99.8% control limits around the benchmark"
        + (f" of {format_number(benchmark)}" if benchmark is not None else "")
        + ". Points outside the limits differ significantly. "
        + "; ".join(
            f"{e.name} {format_number(e.value)} from {format_number(e.denominator, 0)}"
            for e in points
        )
        + "."
    )
    return Chart(
        chart_id, title, desc, _svg(chart_id, width, height, title, desc, body), width, height
    )


# --- SPC XmR chart -------------------------------------------------------------------------


@dataclass(frozen=True)
class SpcPoint:
    period: str
    value: float | None
    mean: float | None
    lpl: float | None
    upl: float | None
    point_type: str = "common_cause"


SPC_TYPES: dict[str, tuple[str, str]] = {
    # point type: (category for the marker, legend text)
    "common_cause": ("spc-common", "Common cause variation"),
    "special_cause_improvement": ("spc-improvement", "Special cause: improvement"),
    "special_cause_concern": ("spc-concern", "Special cause: concern"),
    "special_cause_neutral_high": ("spc-high", "Special cause: high"),
    "special_cause_neutral_low": ("spc-low", "Special cause: low"),
}
SPC_STYLE: dict[str, tuple[str, str]] = {
    # marker: (fill, shape)
    "spc-common": ("#aeb7bd", "circle"),
    "spc-improvement": ("#41b6e6", "diamond"),
    "spc-concern": ("#ed8b00", "square"),
    "spc-high": ("#330072", "triangle-up"),
    "spc-low": ("#330072", "triangle-down"),
}


def spc_marker(kind: str, x: float, y: float, label: str = "", size: float = 5.5) -> str:
    fill, shape = SPC_STYLE[kind]
    tip = f"<title>{escape(label)}</title>" if label else ""
    common = f'fill="{fill}" stroke="{TEXT}" stroke-width="1" data-shape="{shape}"'
    if shape == "circle":
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(size - 1)}" {common}>{tip}</circle>'
    if shape == "square":
        return (
            f'<rect x="{_n(x - size)}" y="{_n(y - size)}" width="{_n(2 * size)}"'
            f' height="{_n(2 * size)}" {common}>{tip}</rect>'
        )
    if shape == "diamond":
        s = size * 1.35
        pts = f"{_n(x)},{_n(y - s)} {_n(x + s)},{_n(y)} {_n(x)},{_n(y + s)} {_n(x - s)},{_n(y)}"
        return f'<polygon points="{pts}" {common}>{tip}</polygon>'
    s = size * 1.25
    sign = -1 if shape == "triangle-up" else 1
    pts = (
        f"{_n(x)},{_n(y + sign * s)} {_n(x - s)},{_n(y - sign * s * 0.8)}"
        f" {_n(x + s)},{_n(y - sign * s * 0.8)}"
    )
    return f'<polygon points="{pts}" {common}>{tip}</polygon>'


def spc_chart(
    points: Sequence[SpcPoint],
    *,
    unit: str,
    title: str,
    chart_id: str = "chart-spc",
    width: int = 720,
    height_plot: int = 300,
) -> Chart:
    """An XmR chart: values joined by a line, the mean (solid) and the process limits (dashed),
    each point's special cause type by its shape and fill."""
    left, right, top = 70, width - 20, 20
    bottom = top + height_plot
    ys = []
    for p in points:
        ys += [p.value, p.mean, p.lpl, p.upl]
    ylo, yhi, ystep = nice_bounds(ys)
    n = len(points)
    x = Scale(0, max(n - 1, 1), left + 15, right - 15)
    y = Scale(ylo, yhi, bottom, top)
    kinds = [SPC_TYPES.get(p.point_type, SPC_TYPES["common_cause"])[0] for p in points]
    used = [k for k in SPC_STYLE if k in set(kinds)]
    labels = {v[0]: v[1] for v in SPC_TYPES.values()}
    items = [
        (_line(0, 0, 20, 0, width=2), "Mean"),
        (_line(0, 0, 20, 0, width=1.5, dash="6 4"), "Process limits"),
        *[(spc_marker(k, 10, 0), labels[k]) for k in used],
    ]
    label_every = max(1, math.ceil(n / 8))
    legend_top = bottom + 60
    height = int(legend_top + legend_height(items, width - 20) + 10)
    body: list[str] = []
    for tick in tick_values(ylo, yhi, ystep):
        ty = y(tick)
        body.append(_line(left, ty, right, ty, stroke=GRID))
        body.append(_text(left - 6, ty + 4, format_tick(tick, ystep), anchor="end", size=12))
    body.append(_line(left, bottom, right, bottom) + _line(left, top, left, bottom))
    for i, p in enumerate(points):
        if i % label_every == 0 or i == n - 1:
            tx = x(i)
            body.append(_line(tx, bottom, tx, bottom + 5))
            body.append(_text(tx, bottom + 18, str(p.period), anchor="middle", size=12))
    axis = f"Value ({unit})" if unit else "Value"
    body.append(
        _text(
            16,
            (top + bottom) / 2,
            axis,
            anchor="middle",
            extra=f' transform="rotate(-90 16 {_n((top + bottom) / 2)})"',
        )
    )
    body.append(_text((left + right) / 2, bottom + 40, "Period", anchor="middle"))
    for attr, dash, stroke_width in (("mean", "", 2), ("upl", "6 4", 1.5), ("lpl", "6 4", 1.5)):
        path = [
            (x(i), y(getattr(p, attr)))
            for i, p in enumerate(points)
            if getattr(p, attr) is not None
        ]
        if len(path) > 1:
            dashed = f' stroke-dasharray="{dash}"' if dash else ""
            coords = " ".join(f"{_n(px)},{_n(py)}" for px, py in path)
            body.append(
                f'<polyline points="{coords}" fill="none" stroke="{TEXT}"'
                f' stroke-width="{stroke_width}"{dashed} data-line="{attr}"/>'
            )
    series = [(x(i), y(p.value)) for i, p in enumerate(points) if p.value is not None]
    if len(series) > 1:
        coords = " ".join(f"{_n(px)},{_n(py)}" for px, py in series)
        body.append(
            f'<polyline points="{coords}" fill="none" stroke="#768692" stroke-width="1.5"/>'
        )
    for i, (p, kind) in enumerate(zip(points, kinds, strict=True)):
        if p.value is None:
            continue
        tip = f"{p.period}: {format_number(p.value)}, {labels[kind].lower()}"
        body.append(
            f'<g class="placeworks-chart-point" data-period="{escape(str(p.period))}">'
            + spc_marker(kind, x(i), y(p.value), label=tip)
            + "</g>"
        )
    body += _legend(10, legend_top, items, width - 20)
    special = [p for p, k in zip(points, kinds, strict=True) if k != "spc-common"]
    last = points[-1] if points else None
    desc = (
        f"Statistical process control chart of {n} periods"
        + (f" from {points[0].period} to {last.period}" if last else "")
        + (
            f". Mean {format_number(last.mean)}, process limits {format_number(last.lpl)} to"
            f" {format_number(last.upl)}"
            if last and last.mean is not None
            else ""
        )
        + f". {len(special)} points show special cause variation"
        + (
            ": " + "; ".join(f"{p.period} {format_number(p.value)}" for p in special)
            if special
            else ""
        )
        + "."
    )
    return Chart(
        chart_id, title, desc, _svg(chart_id, width, height, title, desc, body), width, height
    )


# --- choropleth map ------------------------------------------------------------------------


@dataclass(frozen=True)
class Projection:
    """Longitude/latitude to SVG: longitudes shrunk by cos(mid latitude), like a local grid."""

    lon0: float
    lat0: float
    scale: float
    left: float
    top: float
    kx: float

    @classmethod
    def fit(cls, bounds: tuple[float, float, float, float], width: float, height: float, pad=10):
        minx, miny, maxx, maxy = bounds
        kx = math.cos(math.radians((miny + maxy) / 2))
        span_x = max((maxx - minx) * kx, 1e-9)
        span_y = max(maxy - miny, 1e-9)
        scale = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y)
        return cls(minx, maxy, scale, pad, pad, kx)

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (
            self.left + (lon - self.lon0) * self.kx * self.scale,
            self.top + (self.lat0 - lat) * self.scale,
        )


def _ring_path(coords, project: Projection) -> str:
    pts = [project(lon, lat) for lon, lat, *_ in coords]
    if len(pts) < 3:
        return ""
    return "M" + " L".join(f"{_n(px)},{_n(py)}" for px, py in pts) + " Z"


def geometry_path(geometry, project: Projection) -> str:
    """An SVG path (even-odd holes) of a shapely Polygon or MultiPolygon."""
    polygons = getattr(geometry, "geoms", [geometry])
    parts = []
    for polygon in polygons:
        if polygon.geom_type != "Polygon" or polygon.is_empty:
            continue
        parts.append(_ring_path(polygon.exterior.coords, project))
        parts.extend(_ring_path(ring.coords, project) for ring in polygon.interiors)
    return " ".join(p for p in parts if p)


def _patterns(chart_id: str) -> str:
    defs = ["<defs>"]
    for name, pattern in PATTERNS.items():
        fill = CATEGORIES[name][0]
        pid = f"{chart_id}-{name}"
        inner = f'<rect width="8" height="8" fill="{fill}"/>'
        if pattern == "hatch":
            inner += (
                '<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="#ffffff" stroke-width="1.6"/>'
            )
        elif pattern == "dots":
            inner += '<circle cx="4" cy="4" r="1.6" fill="#ffffff"/>'
        elif pattern == "cross":
            inner += '<path d="M0,0 L8,8 M8,0 L0,8" stroke="#768692" stroke-width="0.8"/>'
        defs.append(
            f'<pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse">'
            f"{inner}</pattern>"
        )
    defs.append("</defs>")
    return "".join(defs)


# Light to dark blue for values with no comparison (NHS.UK blues and a light tint).
VALUE_COLOURS = ("#e8f1fa", "#b3d4f0", "#41b6e6", "#005eb8", "#003087")


def value_classes(values: Sequence[float], count: int = 5) -> list[tuple[float, float, str]]:
    """Equal-width classes ``(lo, hi, colour)`` over the values' range (fewer when the values
    are fewer), lightest first."""
    lo, hi = min(values), max(values)
    count = max(1, min(count, len(set(values))))
    if hi == lo:
        return [(lo, hi, VALUE_COLOURS[2])]
    step = (hi - lo) / count
    colours = VALUE_COLOURS if count == 5 else VALUE_COLOURS[: count - 1] + VALUE_COLOURS[-1:]
    return [(lo + i * step, lo + (i + 1) * step, colours[i]) for i in range(count)]


def class_colour(value: float | None, classes: Sequence[tuple[float, float, str]]) -> str | None:
    if value is None:
        return None
    for _lo, hi, colour in classes:
        if value <= hi + 1e-12:
            return colour
    return classes[-1][2]


def map_chart(
    areas: Mapping[str, object],
    estimates: Sequence[Estimate],
    *,
    title: str,
    outline=None,
    chart_id: str = "chart-map",
    width: int = 720,
    height_map: int = 520,
) -> Chart:
    """A map of the groups' areas (shapely geometries by group code), each filled and patterned
    by its significance category, with its name at a point inside it. When no group was
    compared (a score has no limits), the areas are shaded by their value in equal-width
    classes instead, each labelled with its value so that the shade is not the only cue."""
    by_code = {e.code: e for e in estimates}
    shown = [code for code in areas if code in by_code and not areas[code].is_empty]
    geometries = [areas[c] for c in shown] + ([outline] if outline is not None else [])
    if geometries:
        xs0, ys0, xs1, ys1 = zip(*(g.bounds for g in geometries), strict=True)
        bounds = (min(xs0), min(ys0), max(xs1), max(ys1))
    else:
        bounds = (0.0, 0.0, 1.0, 1.0)
    project = Projection.fit(bounds, width, height_map)
    used_height = (bounds[3] - bounds[1]) * project.scale + 2 * project.top
    map_height = min(height_map, math.ceil(used_height))
    compared = any(by_code[c].category != "none" for c in shown)
    values = [by_code[c].value for c in shown if by_code[c].value is not None]
    classes = [] if compared or not values else value_classes(values)
    if classes:
        items = [
            (
                f'<rect x="0" y="-8" width="20" height="16" fill="{colour}" stroke="{TEXT}"'
                ' stroke-width="1"/>',
                f"{format_number(lo)} to {format_number(hi)}",
            )
            for lo, hi, colour in classes
        ]
        if len(values) < len(shown):
            items.append(
                (
                    f'<rect x="0" y="-8" width="20" height="16" fill="url(#{chart_id}-none)"'
                    f' stroke="{TEXT}" stroke-width="1"/>',
                    "No value",
                )
            )
    else:
        items = [
            (
                f'<rect x="0" y="-8" width="20" height="16" fill="url(#{chart_id}-{n})"'
                f' stroke="{TEXT}" stroke-width="1"/>',
                category_label(n),
            )
            for n in CATEGORIES
            if n in {by_code[c].category for c in shown}
        ]
    legend_top = map_height + 24
    height = int(legend_top + legend_height(items, width - 20) + 10)
    body: list[str] = [_patterns(chart_id)]
    if outline is not None:
        body.append(
            f'<path d="{geometry_path(outline, project)}" fill="#f0f4f5" stroke="#768692"'
            ' stroke-width="1" fill-rule="evenodd"/>'
        )
    labels = []
    for code in shown:
        e = by_code[code]
        if classes:
            fill = class_colour(e.value, classes) or f"url(#{chart_id}-none)"
            tip = f"{e.name}: {format_number(e.value)}"
            label = f"{e.name} {format_number(e.value)}"
        else:
            fill = f"url(#{chart_id}-{e.category})"
            tip = f"{e.name}: {format_number(e.value)}, {category_label(e.category).lower()}"
            label = e.name
        body.append(
            f'<path d="{geometry_path(areas[code], project)}" fill="{fill}"'
            f' stroke="{TEXT}" stroke-width="1" fill-rule="evenodd" data-code="{escape(code)}"'
            f' data-category="{e.category}"><title>{escape(tip)}</title></path>'
        )
        point = areas[code].representative_point()
        px, py = project(point.x, point.y)
        labels.append(
            f'<text x="{_n(px)}" y="{_n(py)}" font-size="12" fill="{TEXT}" text-anchor="middle"'
            f' stroke="#ffffff" stroke-width="3" paint-order="stroke">{escape(label)}</text>'
        )
    body += labels
    body += _legend(10, legend_top, items, width - 20)
    missing = [e.name for e in estimates if e.code not in shown]
    if classes:
        desc = (
            f"Map of {len(shown)} areas shaded by their value, darker for higher, each labelled"
            " with its value: "
            + "; ".join(f"{by_code[c].name} {format_number(by_code[c].value)}" for c in shown)
        )
    else:
        desc = (
            f"Map of {len(shown)} areas shaded by whether each differs significantly from the"
            " benchmark: "
            + "; ".join(
                f"{by_code[c].name}, {category_label(by_code[c].category).lower()}" for c in shown
            )
        )
    desc += "." + (f" Not on the map: {', '.join(missing)}." if missing else "")
    return Chart(
        chart_id, title, desc, _svg(chart_id, width, height, title, desc, body), width, height
    )
