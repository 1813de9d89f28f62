"""Stored geography definitions: the model's constraints, the import action and the admin."""

from __future__ import annotations

import pytest
from django.db import DataError, IntegrityError, transaction

from placeworks.data import DataValidationError
from placeworks.web.footprints.actions import import_definition
from placeworks.web.footprints.models import GeographyDefinition

pytestmark = pytest.mark.django_db

MANCHESTER = """\
icb: QOP
places:
  - code: QOP-MAN
    name: Manchester
    districts: [E08000003]
"""


def rows() -> list[tuple]:
    return list(GeographyDefinition.objects.values_list("icb_code", "yaml", "updated_by_id"))


# --- constraints -----------------------------------------------------------------------------


def test_one_definition_per_icb():
    GeographyDefinition.objects.create(icb_code="QE1", yaml="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        GeographyDefinition.objects.create(icb_code="QE1", yaml="b")
    assert rows() == [("QE1", "a", None)]


@pytest.mark.parametrize("code", ["qe1", "XE1", "Q1", "QE12", "Q-1", ""])
def test_icb_code_must_be_an_ods_code(code):
    # PostgreSQL refuses a fourth character by the column's length (DataError); SQLite, which
    # does not enforce lengths, by the check constraint.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        GeographyDefinition.objects.create(icb_code=code, yaml="x")
    assert rows() == []


@pytest.mark.parametrize("code", ["QE1", "QOP", "Q12"])
def test_ods_codes_are_accepted(code):
    GeographyDefinition.objects.create(icb_code=code, yaml="x")
    assert GeographyDefinition.objects.get().icb_code == code


def test_deleting_the_user_keeps_the_definition(user, qe1_yaml):
    import_definition(qe1_yaml, by=user)
    user.delete()
    assert rows() == [("QE1", qe1_yaml, None)]


# --- the import action -----------------------------------------------------------------------


def test_import_stores_the_text_for_the_icb_it_names(user, qe1_yaml):
    stored = import_definition(qe1_yaml, by=user)
    assert rows() == [("QE1", qe1_yaml, user.pk)]
    assert stored.parse().icb == "QE1"
    assert stored.created_at is not None


def test_import_again_replaces_the_definition(user, qe1_yaml):
    first = import_definition(qe1_yaml, by=None)
    second = import_definition(qe1_yaml + "\n# revised\n", by=user)
    assert second.pk == first.pk
    assert rows() == [("QE1", qe1_yaml + "\n# revised\n", user.pk)]
    assert second.updated_at >= first.updated_at
    assert second.created_at == first.created_at


def test_import_keeps_icbs_apart(user, qe1_yaml):
    import_definition(qe1_yaml, by=user)
    import_definition(MANCHESTER, by=user)
    assert [r[0] for r in rows()] == ["QE1", "QOP"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("icb: QE1\nplaces: [\n", "upload.yaml, row 3: not valid YAML"),
        ("icb: QE1\nplaces: []\n", "upload.yaml, field 'places'"),
        (
            MANCHESTER.replace("E08000003", "Manchester"),
            "upload.yaml, field 'places.0.districts.0'",
        ),
        (MANCHESTER.replace("icb: QOP", "icb: Q0PX"), "upload.yaml, field 'icb'"),
    ],
)
def test_invalid_import_writes_nothing_and_names_the_field(user, qe1_yaml, text, message):
    import_definition(qe1_yaml, by=None)
    before = rows()
    with pytest.raises(DataValidationError) as caught:
        import_definition(text, by=user, file="upload.yaml")
    assert str(caught.value).startswith(message)
    assert rows() == before


def test_invalid_replacement_leaves_the_stored_definition_unchanged(user, qe1_yaml):
    import_definition(qe1_yaml, by=None)
    broken = qe1_yaml.replace("E06000009", "E0600000X")
    with pytest.raises(DataValidationError, match="E0600000X"):
        import_definition(broken, by=user)
    assert rows() == [("QE1", qe1_yaml, None)]


# --- the admin -------------------------------------------------------------------------------

ADD_URL = "/admin/footprints/geographydefinition/add/"


def test_admin_adds_through_the_action(admin_client_as, qe1_yaml):
    response = admin_client_as.post(ADD_URL, {"yaml": qe1_yaml})
    assert response.status_code == 302
    assert rows() == [("QE1", qe1_yaml, admin_client_as.user.pk)]  # as written, comments and all


def test_admin_refuses_an_invalid_definition(admin_client_as):
    response = admin_client_as.post(ADD_URL, {"yaml": "icb: QE1\nplaces: []\n"})
    assert response.status_code == 200
    assert "this definition, field &#x27;places&#x27;" in response.content.decode()
    assert rows() == []


def test_admin_refuses_a_second_definition_of_the_same_icb(admin_client_as, qe1_yaml):
    import_definition(qe1_yaml, by=None)
    response = admin_client_as.post(ADD_URL, {"yaml": qe1_yaml + "# again\n"})
    assert response.status_code == 200
    assert "A definition of QE1 is already stored" in response.content.decode()
    assert rows() == [("QE1", qe1_yaml, None)]


def test_admin_change_cannot_switch_icb(admin_client_as, qe1_yaml):
    stored = import_definition(qe1_yaml, by=None)
    url = f"/admin/footprints/geographydefinition/{stored.pk}/change/"
    response = admin_client_as.post(url, {"yaml": MANCHESTER})
    assert response.status_code == 200
    assert "This record is for QE1 but the definition names QOP" in response.content.decode()
    assert rows() == [("QE1", qe1_yaml, None)]
