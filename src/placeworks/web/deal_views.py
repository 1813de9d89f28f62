"""The deal register's pages: a place's deal at a glance, its delegations and its risks.

Every page needs a signed-in user, every read goes through ``governance.scope.visible`` (or an
action that does) and every write through an action, which checks the user's role again. A user
without a role for the place gets 403; a viewer sees no edit buttons and their POSTs are refused.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.timezone import localdate
from django.views.decorators.http import require_http_methods

from placeworks.governance import actions
from placeworks.governance.models import (
    Agreement,
    Decision,
    Delegation,
    DelegationTransition,
    Function,
    Place,
    PooledFund,
    Risk,
)
from placeworks.governance.scope import (
    access,
    can_edit,
    require_edit,
    require_place_view,
    visible,
)
from placeworks.web.deal_forms import DecisionForm, of_place
from placeworks.web.deal_presenters import (
    DelegationPage,
    PlacePage,
)
from placeworks.web.register_views import history_of, open_place

RECENT_DECISIONS = 10


def _may_edit(user, place: Place) -> bool:
    return can_edit(user, Delegation(place=place))


def _delegations(user, place: Place):
    return (
        visible(user, Delegation)
        .filter(place=place)
        .select_related("function", "delegate_post", "delegate_body")
    )


def _risks(user, place: Place):
    return (
        visible(user, Risk)
        .filter(place=place)
        .select_related("category", "category__matrix", "owner")
        .order_by("reference")
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Where signing in leads: the place a user works on (their highest place role), else the
    ICB they hold a role across, else the list of ICBs."""
    found = access(request.user)
    if found.places:
        code = min(found.places, key=lambda place: (-found.places[place], place))
        return redirect(reverse("place", kwargs={"code": code}))
    if found.icbs:
        return redirect(reverse("icb", kwargs={"code": min(found.icbs)}))
    return redirect(reverse("index"))


@login_required
def place(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    found = open_place(request, code)
    seen_places = [
        p
        for p in visible(user, Place).filter(icb_code=found.icb_code)
        if p.code == found.code or _sees_records(user, p)
    ]
    seen_places.sort(key=lambda p: (p.code != found.code, p.name))
    functions = visible(user, Function).filter(
        Q(place__isnull=True, icb_code=found.icb_code) | Q(place=found)
    )
    readiness = actions.readiness_matrix(seen_places, functions, by=user)
    funds = [
        (fund, actions.pooled_fund_totals(fund, by=user))
        for fund in visible(user, PooledFund).filter(place=found).order_by("name")
    ]
    decisions = (
        visible(user, Decision)
        .filter(place=found)
        .select_related("maker_body", "maker_post")
        .order_by("-made_on", "-id")[:RECENT_DECISIONS]
    )
    page = PlacePage.build(
        found,
        can_edit=_may_edit(user, found),
        delegations=list(_delegations(user, found)),
        readiness=readiness,
        funds=funds,
        risks=list(_risks(user, found)),
        decisions=list(decisions),
        today=localdate(),
        agreements=of_place(user, Agreement, found),
    )
    return render(request, "deal/place.jinja", {"page": page})


def _sees_records(user, place: Place) -> bool:
    try:
        require_place_view(user, place)
    except PermissionDenied:
        return False
    return True


def _delegation(request: HttpRequest, found: Place, pk: int) -> Delegation:
    delegation = (
        visible(request.user, Delegation)
        .filter(place=found, pk=pk)
        .select_related(
            "place", "function", "delegator", "delegate_post", "delegate_body", "via_body"
        )
        .first()
    )
    if delegation is None:
        raise Http404(f"{found.name} has no delegation numbered {pk}.")
    return delegation


def _delegation_page(request: HttpRequest, delegation: Delegation) -> DelegationPage:
    transitions = (
        visible(request.user, DelegationTransition)
        .filter(delegation=delegation)
        .select_related("decision", "decision__maker_body", "decision__maker_post")
        .order_by("on", "id")
    )
    return DelegationPage.build(
        delegation, transitions, can_edit=can_edit(request.user, delegation)
    )


@login_required
def delegation(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    found = open_place(request, code)
    record = _delegation(request, found, pk)
    page = _delegation_page(request, record)
    context = {"page": page, "place": found, "history": history_of(request, record)}
    return render(request, "deal/delegation.jinja", context)


@login_required
@require_http_methods(["GET", "POST"])
def delegation_decision(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    found = open_place(request, code)
    record = _delegation(request, found, pk)
    require_edit(request.user, record)
    page = _delegation_page(request, record)
    kwargs = {"user": request.user, "place": found, "allowed": page.next_statuses}
    refusal = None
    if request.method == "POST":
        form = DecisionForm(request.POST, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.transition_delegation(
                    record,
                    data["to_status"],
                    by=request.user,
                    decision_date=data["decision_date"],
                    maker_body=data["maker_body"],
                    maker_post=data["maker_post"],
                    reasons=data["reasons"],
                    evidence=data["evidence"] or "",
                    version=data["version"],
                )
            except actions.IllegalTransition as exc:
                refusal = str(exc)
            except actions.EditConflict as exc:
                refusal = str(exc)
            except ValidationError as exc:
                form.add_domain_errors(exc, aliases={"status": "to_status", "maker": "maker_body"})
            else:
                return redirect(reverse("delegation", kwargs={"code": found.code, "pk": pk}))
    else:
        form = DecisionForm(initial={"version": record.version}, **kwargs)
    context = {"place": found, "page": page, "form": form, "refusal": refusal}
    return render(request, "deal/decision_form.jinja", context)
