"""The deal register in the Django admin: every model listed, records and their history open,
and organisations are never deleted."""

import pytest
from django.contrib import admin
from django.urls import reverse

from placeworks.governance.models import Function, Organisation
from placeworks.governance.models.base import recorded_models

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"admin:governance_{name}", args=args)


def test_every_register_model_is_in_the_admin():
    assert recorded_models()  # sanity: the register's models are known
    missing = [
        model.__name__
        for model in recorded_models()
        if model._meta.app_label == "governance" and not admin.site.is_registered(model)
    ]
    assert missing == []


def test_the_admin_index_lists_the_governance_models(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    page = response.content.decode()
    for name in ("organisation", "delegation", "decision", "agreement", "risk", "place"):
        assert url(f"{name}_changelist") in page


def test_an_organisations_list_change_and_history_pages_open(admin_client, register):
    listing = admin_client.get(url("organisation_changelist"), {"q": "West Lancashire"})
    assert listing.status_code == 200
    assert "West Lancashire Borough Council" in listing.content.decode()

    change = admin_client.get(url("organisation_change", register.west_lancs.pk))
    assert change.status_code == 200

    history = admin_client.get(url("organisation_history", register.west_lancs.pk))
    assert history.status_code == 200
    assert "icb-editor" in history.content.decode()  # who made it


def test_every_register_list_opens(admin_client, register):
    for model in recorded_models():
        name = model._meta.model_name
        response = admin_client.get(url(f"{name}_changelist"))
        assert response.status_code == 200, name


def test_an_organisation_cannot_be_deleted_through_the_admin(admin_client, register):
    west_lancs = register.west_lancs
    assert admin_client.get(url("organisation_delete", west_lancs.pk)).status_code == 403
    assert (
        admin_client.post(url("organisation_delete", west_lancs.pk), {"post": "yes"}).status_code
        == 403
    )

    bulk = admin_client.post(
        url("organisation_changelist"),
        {"action": "delete_selected", "_selected_action": [west_lancs.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert Organisation.objects.filter(pk=west_lancs.pk).exists()

    change = admin_client.get(url("organisation_change", west_lancs.pk))
    assert url("organisation_delete", west_lancs.pk) not in change.content.decode()


def test_an_admin_edit_is_versioned_and_kept_in_the_history(admin_client, register):
    bcf = register.bcf
    response = admin_client.post(
        url("function_change", bcf.pk),
        {"name": "Better Care Fund (pooled)", "place": "", "description": "Section 75."},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    bcf.refresh_from_db()
    assert (bcf.name, bcf.code, bcf.icb_code, bcf.version) == (
        "Better Care Fund (pooled)",
        "better_care_fund",  # the code is locked once the function exists
        "QE1",
        2,
    )
    latest = bcf.history.latest()
    assert (latest.history_user.username, latest.name) == ("admin", "Better Care Fund (pooled)")


def test_a_new_icb_wide_record_names_its_icb(admin_client, register):
    response = admin_client.post(
        url("function_add"),
        {"code": "continuing_care", "name": "Continuing Healthcare", "icb": "QE1"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    added = Function.objects.get(code="continuing_care")
    assert (added.icb_code, added.place_id, added.version) == ("QE1", None, 1)
