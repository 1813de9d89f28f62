"""The pages. Views fetch from the geography API, build presenters and render templates."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.timezone import localtime

from placeworks.data import DataValidationError
from placeworks.geography import (
    DEFAULT_YEAR,
    YEARS,
    IcbDefinition,
    icb_tree,
    icbs,
    shipped_definitions,
)
from placeworks.web.footprints.models import GeographyDefinition
from placeworks.web.presenters import DefinitionSource, IcbListPage, IcbPage, YearChoice


def _year(request: HttpRequest) -> YearChoice:
    return YearChoice.from_query(request.GET.get("year"), YEARS, DEFAULT_YEAR)


def index(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    page = IcbListPage.build(icbs(year.selected), year)
    return render(request, "index.jinja", {"page": page})


def icb(request: HttpRequest, code: str) -> HttpResponse:
    if code != code.upper():
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        return redirect(reverse("icb", kwargs={"code": code.upper()}) + query)
    year = _year(request)
    summary = next((s for s in icbs(year.selected) if s.code == code), None)
    if summary is None:
        raise Http404(f"There is no ICB with ODS code {code} in {year.selected}.")

    definition, source = stored_definition(code)
    try:
        tree = icb_tree(code, year.selected, definition=definition)
    except DataValidationError as exc:
        if definition is None:
            raise
        # The stored definition no longer fits the data (say, a district code changed): show
        # placeworks' own definition and say why.
        tree = icb_tree(code, year.selected)
        source = _fallback_source(code, problem=f"The stored definition could not be used: {exc}")
    page = IcbPage.build(tree, year, source, summary)
    return render(request, "icb.jinja", {"page": page})


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404 page in the NHS.UK style, saying what was not found when a view said so."""
    message = exception.args[0] if isinstance(exception, Http404) and exception.args else None
    context = {"message": message if isinstance(message, str) else None}
    return render(request, "404.html", context, status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """403 page in the NHS.UK style, saying which role would be needed when the scope said so."""
    message = exception.args[0] if exception.args else None
    context = {"message": message if isinstance(message, str) else None}
    return render(request, "403.html", context, status=403)


def stored_definition(code: str) -> tuple[IcbDefinition | None, DefinitionSource]:
    """The partnership's stored definition of the ICB's places, if there is a usable one."""
    stored = GeographyDefinition.objects.select_related("updated_by").filter(icb_code=code).first()
    if stored is None:
        return None, _fallback_source(code)
    try:
        definition = stored.parse()
    except DataValidationError as exc:
        problem = f"The stored definition could not be read: {exc}"
        return None, _fallback_source(code, problem=problem)
    who = stored.updated_by.get_username() if stored.updated_by else None
    return definition, DefinitionSource.stored(localtime(stored.updated_at), who)


def _fallback_source(code: str, problem: str | None = None) -> DefinitionSource:
    shipped = shipped_definitions().get(code)
    if shipped is not None:
        return DefinitionSource.shipped(shipped.source, problem=problem)
    return DefinitionSource.default(problem=problem)
