"""What the variation page shows: the form with its errors, each group's value with its limits and
significance, and the charts (dot and whisker, funnel, map, SPC) beside the same numbers as tables.

Like the other presenters these are pure: no Django, no database, no I/O. They read a
:class:`placeworks.indicators.variation.Variation` by its attributes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from placeworks.web import charts
from placeworks.web.presenters import NOT_AVAILABLE

# the names a form field may take
FIELDS = ("grouping", "indicator", "within")


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


@dataclass(frozen=True)
class IndicatorChoice:
    """What the form needs of an indicator of the catalogue."""

    id: str
    name: str
    groupings: tuple[str, ...]


@dataclass(frozen=True)
class VariationForm:
    """The form as submitted: raw strings, checked by :meth:`check`."""

    grouping: str = ""
    indicator: str = ""
    within: str = ""
    submitted: bool = False

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> VariationForm:
        values = {name: (query.get(name) or "").strip() for name in FIELDS}
        return cls(**values, submitted=bool(values["grouping"] or values["indicator"]))

    def check(
        self,
        *,
        groupings: Sequence[tuple[str, str]],
        indicators: Sequence[IndicatorChoice],
        parents: Sequence[tuple[str, str]],
    ) -> tuple[FieldError, ...]:
        """The problems with the form, each naming its field; none when it can be computed."""
        if not self.submitted:
            return ()
        errors = []
        grouping_ids = [g for g, _ in groupings]
        if self.grouping not in grouping_ids:
            message = (
                f"“{self.grouping}” is not a grouping; choose one of the list"
                if self.grouping
                else "Choose what to compare"
            )
            errors.append(FieldError("grouping", message))
        chosen = next((i for i in indicators if i.id == self.indicator), None)
        if chosen is None:
            message = (
                f"There is no indicator “{self.indicator}”; choose one of the list"
                if self.indicator
                else "Choose an indicator"
            )
            errors.append(FieldError("indicator", message))
        elif self.grouping in grouping_ids and self.grouping not in chosen.groupings:
            labels = dict(groupings)
            offered = ", ".join(labels.get(g, g).lower() for g in chosen.groupings)
            errors.append(
                FieldError(
                    "indicator",
                    f"{chosen.name} is not available for {labels[self.grouping].lower()};"
                    f" it is available for {offered}",
                )
            )
        if self.within and self.within not in {code for code, _ in parents}:
            errors.append(
                FieldError("within", f"“{self.within}” is not an area of this ICB; choose one")
            )
        return tuple(errors)

    def query(self) -> str:
        """The query string of this form, ``?``-prefixed (empty fields left out)."""
        kept = {k: getattr(self, k) for k in FIELDS if getattr(self, k)}
        return f"?{urlencode(kept)}" if kept else ""


@dataclass(frozen=True)
class FormView:
    form: VariationForm
    groupings: tuple[tuple[str, str], ...]
    indicators: tuple[IndicatorChoice, ...]
    parents: tuple[tuple[str, str], ...]
    errors: tuple[FieldError, ...] = ()

    def error(self, field_id: str) -> str | None:
        return next((e.message for e in self.errors if e.field == field_id), None)

    def _select(self, field_id, label, items, value, hint=None) -> dict:
        params: dict[str, Any] = {
            "id": field_id,
            "name": field_id,
            "label": {"text": label},
            "items": [{"value": v, "text": t, "selected": v == value} for v, t in items],
        }
        if hint:
            params["hint"] = {"text": hint}
        message = self.error(field_id)
        if message:
            params["errorMessage"] = {"text": message}
        return params

    def grouping_params(self) -> dict:
        items = [("", "Choose what to compare"), *self.groupings]
        return self._select("grouping", "Compare", items, self.form.grouping)

    def indicator_params(self) -> dict:
        labels = dict(self.groupings)
        items = [("", "Choose an indicator")]
        for choice in self.indicators:
            where = ", ".join(labels.get(g, g).lower() for g in choice.groupings)
            items.append((choice.id, f"{choice.name} ({where})" if where else choice.name))
        return self._select("indicator", "Indicator", items, self.form.indicator)

    def within_params(self) -> dict:
        items = [("", "The whole ICB"), *self.parents]
        return self._select(
            "within",
            "Within (optional)",
            items,
            self.form.within,
            hint="Only the groups inside this area, still compared with the ICB's average.",
        )


# --- formatting ------------------------------------------------------------------------------


def _finite(value) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def format_value(value, unit: str) -> str:
    """A value in its unit to one decimal: ``12.345, "%"`` -> ``"12.3%"``."""
    number = _finite(value)
    if number is None:
        return NOT_AVAILABLE
    return f"{number:,.1f}%" if unit == "%" else f"{number:,.1f}"


def format_interval(lower, upper, unit: str) -> str:
    if _finite(lower) is None or _finite(upper) is None:
        return NOT_AVAILABLE
    return f"{format_value(lower, unit)} to {format_value(upper, unit)}"


def format_number(value) -> str:
    number = _finite(value)
    if number is None:
        return NOT_AVAILABLE
    return f"{number:,.0f}" if number == round(number) else f"{number:,.1f}"


# --- rows --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupRow:
    code: str
    name: str
    parent: str
    numerator: str
    denominator: str
    value: str
    limits95: str
    limits998: str
    significance: str
    category: str
    funnel: str = ""


def estimates(variation) -> tuple[charts.Estimate, ...]:
    """The groups as the charts draw them."""
    benchmark = _finite(variation.benchmark)
    out = []
    for g in variation.groups:
        value = _finite(g.value)
        direction = 0
        if value is not None and benchmark is not None and value != benchmark:
            direction = 1 if value > benchmark else -1
        out.append(
            charts.Estimate(
                code=g.code,
                name=g.name,
                value=value,
                lower95=_finite(g.lower95),
                upper95=_finite(g.upper95),
                lower998=_finite(g.lower998),
                upper998=_finite(g.upper998),
                category=charts.category(g.significance),
                denominator=_finite(g.denominator),
                direction=direction,
            )
        )
    return tuple(out)


def group_rows(variation, parent_names: Mapping[str, str] | None = None) -> tuple[GroupRow, ...]:
    """The table's rows; a group's parent is named unless it is the ICB itself."""
    unit = variation.indicator.unit
    names = parent_names or {}
    return tuple(
        GroupRow(
            code=g.code,
            name=g.name,
            parent=names.get(g.parent, g.parent) if g.parent and g.parent != variation.icb else "",
            numerator=format_number(g.numerator),
            denominator=format_number(g.denominator),
            value=format_value(g.value, unit),
            limits95=format_interval(g.lower95, g.upper95, unit),
            limits998=format_interval(g.lower998, g.upper998, unit),
            significance=g.significance or "Not compared",
            category=charts.category(g.significance),
            funnel=getattr(g, "funnel_significance", None) or "",
        )
        for g in variation.groups
    )


# --- SPC ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpcRow:
    period: str
    value: str
    mean: str
    limits: str
    point: str


@dataclass(frozen=True)
class SpcView:
    code: str
    name: str
    chart: charts.Chart
    rows: tuple[SpcRow, ...]


def _column(frame, name):
    return frame[name].tolist() if name in frame.columns else [None] * len(frame)


def spc_views(variation, title: str) -> tuple[SpcView, ...]:
    """One XmR chart for each group with a time series, in the order of the groups."""
    series = variation.series
    if series is None or len(series) == 0:
        return ()
    unit = variation.indicator.unit
    order = [g.code for g in variation.groups]
    codes = list(dict.fromkeys(series["code"].tolist()))
    codes.sort(key=lambda c: order.index(c) if c in order else len(order))
    labels = {k: v[1] for k, v in charts.SPC_TYPES.items()}
    views = []
    for i, code in enumerate(codes):
        frame = series[series["code"] == code]
        if "period" in frame.columns:
            frame = frame.sort_values("period", kind="stable")
        name = str(frame["name"].iloc[0]) if "name" in frame.columns else code
        points = tuple(
            charts.SpcPoint(
                period=str(period),
                value=_finite(value),
                mean=_finite(mean),
                lpl=_finite(lpl),
                upl=_finite(upl),
                point_type=str(kind) if isinstance(kind, str) else "common_cause",
            )
            for period, value, mean, lpl, upl, kind in zip(
                _column(frame, "period"),
                _column(frame, "value"),
                _column(frame, "mean"),
                _column(frame, "lpl"),
                _column(frame, "upl"),
                _column(frame, "point_type"),
                strict=True,
            )
        )
        chart = charts.spc_chart(
            points, unit=unit, title=f"{title}: {name} over time", chart_id=f"chart-spc-{i + 1}"
        )
        rows = tuple(
            SpcRow(
                period=p.period,
                value=format_value(p.value, unit),
                mean=format_value(p.mean, unit),
                limits=format_interval(p.lpl, p.upl, unit),
                point=labels.get(p.point_type, p.point_type.replace("_", " ")),
            )
            for p in points
        )
        views.append(SpcView(code, name, chart, rows))
    return tuple(views)


# --- the page ----------------------------------------------------------------------------------


def funnel_lines(funnel) -> tuple[charts.FunnelLine, ...]:
    if funnel is None or len(funnel) == 0:
        return ()
    return tuple(
        charts.FunnelLine(
            denominator=float(d),
            lower998=_finite(a),
            lower95=_finite(b),
            upper95=_finite(c),
            upper998=_finite(e),
        )
        for d, a, b, c, e in zip(
            funnel["denominator"],
            funnel["lower998"],
            funnel["lower95"],
            funnel["upper95"],
            funnel["upper998"],
            strict=True,
        )
        if _finite(d) is not None
    )


def describe_sii(sii: Mapping | None, unit: str) -> str | None:
    """The slope index of inequality in a sentence, when there is one."""
    if not sii:
        return None
    value = _finite(sii.get("sii"))
    if value is None:
        return None
    units = sii.get("unit") or unit
    text = f"Slope index of inequality: {value:,.2f} {units}"
    lower, upper = _finite(sii.get("sii_lower95")), _finite(sii.get("sii_upper95"))
    if lower is not None and upper is not None:
        text += f" (95% confidence interval {lower:,.2f} to {upper:,.2f})"
    reading = sii.get("reading")
    text += f": {reading}." if reading else "."
    quantiles = sii.get("quantiles")
    return text + (f" Deciles: {quantiles}." if quantiles else "")


@dataclass(frozen=True)
class Result:
    """What was computed: the indicator, the rows, the charts and the notes."""

    indicator_name: str
    period: str
    source: str
    polarity: str
    unit: str
    benchmark: str
    benchmark_label: str
    grouping_label: str
    rows: tuple[GroupRow, ...]
    intervals: charts.Chart
    funnel: charts.Chart | None
    map: charts.Chart | None
    map_missing: tuple[str, ...]
    spc: tuple[SpcView, ...]
    sii: str | None
    notes: tuple[str, ...]
    download_query: str
    summary: tuple[tuple[str, str], ...] = ()

    @property
    def has_funnel_column(self) -> bool:
        return any(row.funnel for row in self.rows)


def build_result(
    variation,
    *,
    grouping_label: str,
    within_name: str | None,
    download_query: str,
    areas: Mapping[str, Any] | None = None,
    outline=None,
    parent_names: Mapping[str, str] | None = None,
    extra_notes: Sequence[str] = (),
) -> Result:
    indicator = variation.indicator
    unit = indicator.unit
    where = within_name or variation.icb_name
    title = f"{indicator.name}, {grouping_label.lower()} of {where}, {indicator.period}"
    points = estimates(variation)
    benchmark = _finite(variation.benchmark)
    intervals = charts.interval_chart(
        points, benchmark=benchmark, unit=unit, title=f"{title}: values with limits"
    )
    funnel = None
    lines = funnel_lines(variation.funnel)
    if lines and any(p.denominator is not None for p in points):
        funnel = charts.funnel_chart(
            points,
            lines,
            benchmark=benchmark,
            unit=unit,
            title=f"{title}: funnel plot",
            denominator_label=(
                "Registered patients (denominator)"
                if indicator.kind == "proportion"
                else "Denominator"
            ),
        )
    map_chart = None
    missing: tuple[str, ...] = ()
    if areas:
        map_chart = charts.map_chart(areas, points, title=f"{title}: map", outline=outline)
        missing = tuple(p.name for p in points if p.code not in areas)
    counts: dict[str, int] = {}
    for p in points:
        counts[p.category] = counts.get(p.category, 0) + 1
    summary = tuple(
        (charts.category_label(name), str(counts[name]))
        for name in charts.CATEGORIES
        if name in counts
    )
    return Result(
        indicator_name=indicator.name,
        period=indicator.period,
        source=indicator.source,
        polarity=indicator.polarity,
        unit=unit,
        benchmark=format_value(benchmark, unit),
        benchmark_label=f"{variation.icb_name} average",
        grouping_label=grouping_label,
        rows=group_rows(variation, parent_names),
        intervals=intervals,
        funnel=funnel,
        map=map_chart,
        map_missing=missing,
        spc=spc_views(variation, title),
        sii=describe_sii(variation.sii, unit),
        notes=(*extra_notes, *variation.notes),
        download_query=download_query,
        summary=summary,
    )


@dataclass(frozen=True)
class VariationPage:
    code: str
    name: str
    form: FormView
    result: Result | None = None
    problems: tuple[str, ...] = field(default=())

    @property
    def title(self) -> str:
        return f"Variation, {self.name}"

    @property
    def errors(self) -> list[dict]:
        """The error summary's list: each field error linking to its field, then problems."""
        listed = [{"text": e.message, "href": f"#{e.field}"} for e in self.form.errors]
        return listed + [{"text": p} for p in self.problems]


def stored_definition_note(icb_name: str) -> str:
    """Said when the partnership has stored its own places: the figures do not follow them."""
    return (
        f"{icb_name} has its own definition of places stored here, which the ICB page follows;"
        " these figures group the practices and areas by placeworks' shipped definition"
        " instead."
    )
