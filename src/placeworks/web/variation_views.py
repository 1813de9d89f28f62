"""The variation page: an indicator across an ICB's places, localities, districts, neighbourhoods
or PCNs, with its charts, and the same numbers as CSV.

Public like the ICB and allocation pages. Bad query parameters are said on the page (or, for the
CSV, on the page with status 400), never a server error.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from placeworks.data import DataValidationError
from placeworks.geography import DEFAULT_YEAR, IcbSummary, Level, icb_tree, icbs
from placeworks.geography.api import definition_for
from placeworks.web.variation_maps import map_areas
from placeworks.web.variation_presenters import (
    FormView,
    IndicatorChoice,
    VariationForm,
    VariationPage,
    build_result,
    stored_definition_note,
)
from placeworks.web.views import stored_definition

CSV = "text/csv; charset=utf-8"
PARENT_LEVELS = (Level.PLACE, Level.LOCALITY, Level.DISTRICT, Level.NEIGHBOURHOOD)


def _api():
    """The indicators' variation module, imported when first needed: it brings scipy and the
    engine, which the other pages do without, so loading the URLs stays quick."""
    from placeworks.indicators import variation

    return variation


def _summary(code: str) -> IcbSummary:
    summary = next((s for s in icbs(DEFAULT_YEAR) if s.code == code), None)
    if summary is None:
        raise Http404(f"There is no ICB with ODS code {code}.")
    return summary


def _parents(code: str) -> tuple[tuple[str, str], ...]:
    """The areas a grouping can be looked at within: places, localities, districts and
    neighbourhoods (for PCNs)."""
    tree = icb_tree(code, _api().TREE_YEAR)
    seen: dict[str, str] = {}
    for node in tree.walk():
        if node.level in PARENT_LEVELS and node.code not in seen:
            seen[node.code] = f"{node.name} ({node.level.value})"
    return tuple(seen.items())


def _form_view(code: str, form: VariationForm) -> FormView:
    api = _api()
    groupings = tuple(api.groupings())
    indicators = tuple(IndicatorChoice(d.id, d.name, tuple(d.groupings)) for d in api.catalogue())
    parents = _parents(code)
    errors = form.check(groupings=groupings, indicators=indicators, parents=parents)
    return FormView(form, groupings, indicators, parents, errors)


def _compute(code: str, view: FormView):
    """The Variation for a valid, submitted form, or the problem that stopped it."""
    form = view.form
    if not form.submitted or view.errors:
        return None, ()
    try:
        result = _api().variation(code, form.grouping, form.indicator, within=form.within or None)
    except (KeyError, ValueError, DataValidationError) as exc:
        message = exc.args[0] if exc.args else str(exc)
        return None, (f"These figures could not be made: {message}",)
    return result, ()


def _page(summary: IcbSummary, view: FormView, variation, problems) -> VariationPage:
    result = None
    if variation is not None:
        labels = dict(view.groupings)
        year = _api().TREE_YEAR
        definition = definition_for(summary.code, year)
        codes = [g.code for g in variation.groups]
        drawn = map_areas(summary.code, codes, definition, within=variation.within, year=year)
        result = build_result(
            variation,
            grouping_label=labels.get(variation.grouping, variation.grouping),
            within_name=variation.within_name,
            download_query=view.form.query(),
            areas=drawn.areas if drawn else None,
            outline=drawn.outline if drawn else None,
            parent_names=variation.parent_names,
            extra_notes=_definition_notes(summary),
        )
    return VariationPage(
        code=summary.code,
        name=summary.name,
        form=view,
        result=result,
        problems=tuple(problems),
    )


def _definition_notes(summary: IcbSummary) -> tuple[str, ...]:
    stored, _source = stored_definition(summary.code)
    return (stored_definition_note(summary.name),) if stored is not None else ()


def _redirect_upper(request: HttpRequest, name: str, code: str) -> HttpResponse:
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    return redirect(reverse(name, kwargs={"code": code.upper()}) + query)


@require_GET
def variation(request: HttpRequest, code: str) -> HttpResponse:
    if code != code.upper():
        return _redirect_upper(request, "variation", code)
    summary = _summary(code)
    view = _form_view(summary.code, VariationForm.from_query(request.GET))
    computed, problems = _compute(summary.code, view)
    page = _page(summary, view, computed, problems)
    return render(request, "variation.jinja", {"page": page})


@require_GET
def variation_csv(request: HttpRequest, code: str) -> HttpResponse:
    """The page's numbers as CSV: one row a group, with the indicator's source on every row."""
    if code != code.upper():
        return _redirect_upper(request, "variation_csv", code)
    summary = _summary(code)
    view = _form_view(summary.code, VariationForm.from_query(request.GET))
    if not view.form.submitted:
        return redirect(reverse("variation", kwargs={"code": summary.code}))
    computed, problems = _compute(summary.code, view)
    if computed is None:
        page = _page(summary, view, None, problems)
        return render(request, "variation.jinja", {"page": page}, status=400)
    frame = csv_frame(computed)
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    form = view.form
    parts = [summary.code, form.indicator, form.grouping, *([form.within] if form.within else [])]
    name = "placeworks-variation-" + "-".join(parts) + ".csv"
    response = HttpResponse(buffer.getvalue(), content_type=CSV)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def csv_frame(computed):
    """``to_frame()`` with the source attribution on each row."""
    frame = computed.to_frame()
    frame["source"] = computed.indicator.source
    return frame


def variation_url(code: str, **query: str) -> str:
    kept = {k: v for k, v in query.items() if v}
    return reverse("variation", kwargs={"code": code}) + (f"?{urlencode(kept)}" if kept else "")
