"""People and roles for a place: administrators grant, change and revoke; nobody else can."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from tests.integration.web.test_deal_views import signed_in, text

from placeworks.governance.models import Role

pytestmark = pytest.mark.django_db


def test_an_administrator_grants_changes_and_revokes_a_role(example):
    newcomer = get_user_model().objects.create_user("jdoe", password="not-a-real-password-42")
    admin = signed_in(example["icb-admin"])
    assert signed_in(newcomer).get("/place/QE1-LAN/").status_code == 403

    granted = admin.post(
        "/place/QE1-LAN/roles/", {"username": "jdoe", "level": "viewer", "scope": "QE1-LAN"}
    )
    assert granted.status_code == 302
    role = Role.objects.get(user=newcomer)
    assert (role.level, role.place_id, role.granted_by) == (
        "viewer",
        "QE1-LAN",
        example["icb-admin"],
    )
    assert signed_in(newcomer).get("/place/QE1-LAN/").status_code == 200
    assert "Add a workstream" not in text(signed_in(newcomer).get("/place/QE1-LAN/workstreams/"))

    admin.post("/place/QE1-LAN/roles/", {"username": "jdoe", "level": "editor", "scope": "QE1-LAN"})
    role.refresh_from_db()
    assert (role.level, role.version) == ("editor", 2)
    assert "Add a workstream" in text(signed_in(newcomer).get("/place/QE1-LAN/workstreams/"))
    page = text(admin.get("/place/QE1-LAN/roles/"))
    assert "jdoe Editor Lancashire icb-admin" in page

    assert admin.post(f"/place/QE1-LAN/roles/{role.pk}/revoke/").status_code == 302
    assert not Role.objects.filter(user=newcomer).exists()
    assert signed_in(newcomer).get("/place/QE1-LAN/").status_code == 403


def test_only_administrators_grant_and_a_name_must_exist(example):
    editor = signed_in(example["lancs-editor"])
    page = text(editor.get("/place/QE1-LAN/roles/"))
    assert "Grant or change a role" not in page
    assert "lancs-editor Editor Lancashire" in page  # their own role
    assert "lancs-viewer" not in page  # not an administrator: sees only their own
    refused = editor.post(
        "/place/QE1-LAN/roles/",
        {"username": "lancs-editor", "level": "administrator", "scope": "QE1-LAN"},
    )
    assert refused.status_code == 403
    assert Role.objects.get(user=example["lancs-editor"]).level == "editor"
    admin = signed_in(example["icb-admin"])
    unknown = text(
        admin.post(
            "/place/QE1-LAN/roles/", {"username": "nobody", "level": "viewer", "scope": "QE1-LAN"}
        )
    )
    assert "There is no active account called nobody." in unknown
    lancs_role = Role.objects.get(user=example["lancs-viewer"])
    assert editor.post(f"/place/QE1-LAN/roles/{lancs_role.pk}/revoke/").status_code == 404
    assert Role.objects.filter(pk=lancs_role.pk).exists()
