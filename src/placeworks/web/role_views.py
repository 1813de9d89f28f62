"""Who has which role for a place: seen by the place's administrators (and, for their own role,
by anyone), granted, changed and revoked by them through the role actions.

A role is for one place or across the whole ICB; an ICB-wide role can be granted only by an
ICB-wide administrator. Every grant, change and revocation is kept in the role's history.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from placeworks.governance import actions
from placeworks.governance.models import Place, Role
from placeworks.governance.scope import can_edit, visible
from placeworks.web.deal_forms import RegisterForm, of_place
from placeworks.web.register_views import open_place

WHOLE_ICB = "icb"


class RoleForm(RegisterForm):
    username = forms.CharField(max_length=150, label="Username")
    level = forms.ChoiceField(choices=Role.Level.choices, widget=forms.RadioSelect)
    scope = forms.ChoiceField(label="For", widget=forms.RadioSelect)

    def __init__(self, *args, place: Place, icb_wide: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(place.code, f"{place.name} only")]
        if icb_wide:
            choices.append((WHOLE_ICB, f"Every place of {place.icb_code} (ICB-wide)"))
        self.fields["scope"].choices = choices
        self.fields["scope"].initial = place.code

    def clean_username(self):
        name = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=name, is_active=True).first()
        if user is None:
            raise ValidationError(f"There is no active account called {name}.")
        return user


def _roles_of(request: HttpRequest, place: Place):
    return (
        of_place(request.user, Role, place)
        .select_related("user", "granted_by", "place")
        .order_by("user__username", "place")
    )


@login_required
@require_http_methods(["GET", "POST"])
def roles(request: HttpRequest, code: str) -> HttpResponse:
    found = open_place(request, code)
    may_grant = can_edit(request.user, Role(place=found, icb_code=found.icb_code))
    icb_wide = can_edit(request.user, Role(place=None, icb_code=found.icb_code))
    form = RoleForm(place=found, icb_wide=icb_wide)
    if request.method == "POST":
        if not may_grant:
            raise PermissionDenied(
                f"{request.user.get_username()} cannot grant roles for {found}: that needs an"
                f" administrator role for {found.code} or across {found.icb_code}."
            )
        form = RoleForm(request.POST, place=found, icb_wide=icb_wide)
        if form.is_valid():
            data = form.cleaned_data
            place = None if data["scope"] == WHOLE_ICB else found
            held = (
                visible(request.user, Role)
                .filter(user=data["username"], place=place, icb_code=found.icb_code)
                .first()
            )
            try:
                if held is None:
                    actions.grant_role(
                        data["username"],
                        data["level"],
                        by=request.user,
                        place=place,
                        icb_code=found.icb_code,
                    )
                else:
                    actions.update(held, by=request.user, level=data["level"])
            except ValidationError as exc:
                form.add_domain_errors(exc)
            else:
                return redirect(reverse("roles", kwargs={"code": found.code}))
    rows = [
        {
            "pk": role.pk,
            "user": role.user.get_username(),
            "level": role.get_level_display(),
            "scope": role.place.name if role.place_id else f"All of {role.icb_code}",
            "granted_by": role.granted_by.get_username() if role.granted_by else "The register",
            "can_revoke": can_edit(request.user, role),
        }
        for role in _roles_of(request, found)
    ]
    context = {"place": found, "rows": rows, "form": form, "may_grant": may_grant}
    return render(request, "deal/roles.jinja", context)


@login_required
@require_http_methods(["POST"])
def revoke(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    found = open_place(request, code)
    role = _roles_of(request, found).filter(pk=pk).first()
    if role is None:
        raise Http404(f"{found.name} has no role numbered {pk} that you may see.")
    actions.revoke_role(role, by=request.user)
    return redirect(reverse("roles", kwargs={"code": found.code}))
