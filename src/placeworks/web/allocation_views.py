"""The allocation page: a GET form, its results and Excel download, and a baseline upload.

Every scenario computed is recorded as a run (:func:`placeworks.web.runs.actions.record_run`),
so any figure shown or downloaded can be computed again and checked to the penny.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from placeworks.allocation import (
    SHIPPED_GROUPINGS,
    Allocation,
    Baseline,
    Comparison,
    Grouping,
    allocate,
    compare,
    functions,
    resolve,
)
from placeworks.allocation.excel import write_workbook
from placeworks.data import DataValidationError
from placeworks.geography import DEFAULT_YEAR, YEARS, IcbSummary, icbs
from placeworks.governance.scope import edits_in_icb
from placeworks.web.allocation_form import (
    AllocationForm,
    AllocationRequest,
    FieldError,
    Scenario,
    scenario_error,
    validate,
)
from placeworks.web.allocation_presenters import AllocationPage, FormView, UploadView
from placeworks.web.baselines import options as baseline_options
from placeworks.web.baselines.actions import NAME_LENGTH, import_baseline
from placeworks.web.baselines.options import BaselineOption
from placeworks.web.runs.actions import record_run
from placeworks.web.views import stored_definition

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ANONYMOUS = "anonymous web user"
LARGEST_UPLOAD = 5 * 1024 * 1024  # bytes; a baseline has a row per former CCG


@dataclass
class Outcome:
    """What a submitted form gave: the checked request, the allocations, or the errors."""

    form: FormView
    request: AllocationRequest | None = None
    results: list[tuple[Scenario, Allocation]] = field(default_factory=list)
    grouping: Grouping | None = None
    baseline: BaselineOption | None = None
    run_ids: list[str] = field(default_factory=list)

    @property
    def comparison(self) -> Comparison | None:
        return compare([a for _, a in self.results]) if len(self.results) > 1 else None


@require_GET
def allocation(request: HttpRequest, code: str) -> HttpResponse:
    if code != code.upper():
        return _redirect_upper(request, "allocation", code)
    summary = _summary(code, request.GET.get("year"))
    outcome = _run(request, summary.code, request.GET)
    page = _page(request, summary, outcome)
    context = {"page": page, "can_upload": edits_in_icb(request.user, summary.code)}
    return render(request, "allocation.jinja", context)


@require_GET
def allocation_workbook(request: HttpRequest, code: str) -> HttpResponse:
    """The same allocation as the page's, as an Excel workbook; the page with errors if none."""
    if code != code.upper():
        return _redirect_upper(request, "allocation_workbook", code)
    summary = _summary(code, request.GET.get("year"))
    outcome = _run(request, summary.code, request.GET)
    if not outcome.results:
        if not outcome.form.errors:
            return redirect(reverse("allocation", kwargs={"code": summary.code}))
        page = _page(request, summary, outcome)
        return render(request, "allocation.jinja", {"page": page}, status=400)
    buffer = io.BytesIO()
    allocations = [a for _, a in outcome.results]
    write_workbook(
        outcome.comparison or allocations,
        buffer,
        run_by=_who(request),
        run_ids=outcome.run_ids,
    )
    checked = outcome.request
    name = f"placeworks-allocation-{summary.code}-{checked.year.replace('/', '-')}"
    name += f"-{checked.function}-{checked.grouping}.xlsx"
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
def upload_baseline(request: HttpRequest, code: str) -> HttpResponse:
    """Store an uploaded baseline for the ICB, or show the page again saying what is wrong."""
    query = QueryDict(request.POST.get("query", ""))
    summary = _summary(code, query.get("year"))
    if not request.user.is_authenticated:
        target = reverse("allocation", kwargs={"code": summary.code})
        return redirect(f"{reverse('sign_in')}?{urlencode({'next': target + '#upload'})}")
    if not edits_in_icb(request.user, summary.code):
        raise PermissionDenied(
            f"{request.user.get_username()} cannot upload a baseline for {summary.code}: that"
            f" needs an editor role across {summary.code} or for one of its places."
        )
    upload = request.FILES.get("baseline-file")
    name = request.POST.get("baseline-name", "").strip()
    illustrative = request.POST.get("baseline-illustrative") == "yes"
    errors = []
    if upload is None:
        errors.append(FieldError("baseline-file", "Choose a CSV or Excel file to upload"))
    elif upload.size > LARGEST_UPLOAD:
        errors.append(
            FieldError(
                "baseline-file", "The file must be smaller than 5 MB; check it is a baseline"
            )
        )
    if len(name) > NAME_LENGTH:
        errors.append(
            FieldError("baseline-name", f"The name must be {NAME_LENGTH} characters or fewer")
        )
    stored = None
    if not errors:
        try:
            stored = import_baseline(
                upload.name,
                upload.read(),
                icb_code=summary.code,
                name=name,
                by=request.user,
                illustrative=illustrative,
            )
        except DataValidationError as exc:
            errors.append(FieldError("baseline-file", f"The baseline was not stored: {exc}"))
    if stored is None:
        form = _form_view(summary.code, query, ())
        page = AllocationPage.build(
            code=summary.code,
            name=summary.name,
            region=summary.region_name,
            form=form,
            upload=UploadView(name=name, illustrative=illustrative, errors=tuple(errors)),
        )
        return render(request, "allocation.jinja", {"page": page, "can_upload": True})
    label = " (ILLUSTRATIVE)" if stored.illustrative else ""
    messages.success(
        request,
        f"Baseline “{stored.name}”{label} stored from {stored.source_filename}: "
        f"{stored.amounts.count()} former CCG areas. It is chosen below.",
    )
    kept = {k: v for k, v in query.items() if k != "baseline"}
    target = reverse("allocation", kwargs={"code": summary.code})
    return redirect(f"{target}?{urlencode({**kept, 'baseline': stored.pk})}")


# --- helpers ---------------------------------------------------------------------------------


def _redirect_upper(request: HttpRequest, name: str, code: str) -> HttpResponse:
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    return redirect(reverse(name, kwargs={"code": code.upper()}) + query)


def _summary(code: str, year: str | None) -> IcbSummary:
    year = year if year in YEARS else DEFAULT_YEAR
    summary = next((s for s in icbs(year) if s.code == code), None)
    if summary is None:
        raise Http404(f"There is no ICB with ODS code {code} in {year}.")
    return summary


def _who(request: HttpRequest) -> str:
    return request.user.get_username() if request.user.is_authenticated else ANONYMOUS


def _form_view(code: str, query, errors: tuple[FieldError, ...], form=None) -> FormView:
    offered = baseline_options.options(code)
    default_baseline = offered[0].value if offered else ""
    if form is None:
        form = AllocationForm.from_query(
            query, default_year=DEFAULT_YEAR, default_baseline=default_baseline
        )
    return FormView(
        form=form,
        errors=errors,
        years=tuple(YEARS),
        groupings=tuple(SHIPPED_GROUPINGS),
        functions=tuple(functions().values()),
        baselines=offered,
    )


def _run(request: HttpRequest, code: str, query) -> Outcome:
    """Check the form and, if it was submitted and is valid, compute and record each scenario."""
    view = _form_view(code, query, ())
    form = view.form
    if not form.submitted:
        return Outcome(view)
    checked, errors = validate(
        form,
        years=YEARS,
        groupings=SHIPPED_GROUPINGS,
        functions=functions(),
        baselines=[o.value for o in view.baselines],
    )
    if checked is None:
        return Outcome(_form_view(code, query, errors, form))
    option = next((o for o in view.baselines if o.value == checked.baseline), None)
    baseline: Baseline | None = None
    if option is not None:
        try:
            baseline = baseline_options.load(code, option.value)
        except LookupError as exc:  # pragma: no cover - it was offered a moment ago
            error = FieldError("baseline", f"The baseline could not be loaded: {exc}")
            return Outcome(_form_view(code, query, (error,), form))
    definition, _source = stored_definition(code)
    try:
        try:
            grouping = resolve(checked.grouping, code, checked.year, definition)
        except DataValidationError:
            if definition is None:
                raise
            # The stored definition no longer fits the data: use placeworks' own, as the ICB
            # page does.
            grouping = resolve(checked.grouping, code, checked.year)
    except (KeyError, DataValidationError) as exc:
        message = exc.args[0] if exc.args else str(exc)
        error = FieldError("grouping", f"This grouping cannot be made for {code}: {message}")
        return Outcome(_form_view(code, query, (error,), form))
    results = []
    problems = []
    for scenario in checked.scenarios:
        try:
            allocation = allocate(
                checked.config(code, scenario),
                grouping=grouping,
                baseline=baseline if scenario.needs_baseline else None,
            )
        except (ValueError, DataValidationError) as exc:  # AllocationError, infeasible, ...
            problems.append(scenario_error(exc, scenario))
            continue
        results.append((scenario, allocation))
    if problems:
        return Outcome(_form_view(code, query, tuple(problems), form))
    who = _who(request)
    user = request.user if request.user.is_authenticated else None
    run_ids = [str(record_run(a, by=who, user=user).pk) for _, a in results]
    used = option if any(s.needs_baseline for s, _ in results) else None
    return Outcome(view, checked, results, grouping, used, run_ids)


def _page(request: HttpRequest, summary: IcbSummary, outcome: Outcome) -> AllocationPage:
    checked = outcome.request
    function = functions().get(checked.function if checked else outcome.form.form.function)
    return AllocationPage.build(
        code=summary.code,
        name=summary.name,
        region=summary.region_name,
        form=outcome.form,
        function=function,
        results=outcome.results,
        comparison=outcome.comparison,
        names=outcome.grouping.names if outcome.grouping else None,
        baseline=outcome.baseline,
        notices=[str(m) for m in messages.get_messages(request)],
    )
