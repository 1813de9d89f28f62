"""Tenancy: every read and write goes through the user's roles for a place or an ICB."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from placeworks.governance import actions
from placeworks.governance.models import Body, Function, Partnership, Place, Role
from placeworks.governance.scope import can_edit, require_edit, visible

pytestmark = pytest.mark.django_db

ICB_WIDE = {"icb_code": "QE1"}


@pytest.fixture
def partnerships(register, people):
    lancs = actions.create(
        Partnership,
        by=people.lancs_editor,
        name="Lancashire Place Partnership",
        place=register.lancs,
    )
    bpl = actions.create(
        Partnership, by=people.bpl_editor, name="Blackpool Place Partnership", place=register.bpl
    )
    icp = actions.create(
        Partnership, by=people.icb_editor, name="Lancashire and South Cumbria ICP", **ICB_WIDE
    )
    return lancs, bpl, icp


def names(user) -> list[str]:
    return sorted(p.name for p in visible(user, Partnership))


def test_a_blackpool_editor_cannot_edit_a_lancashire_record(partnerships, people):
    lancs, _, _ = partnerships
    assert not can_edit(people.bpl_editor, lancs)
    with pytest.raises(PermissionDenied) as caught:
        actions.update(lancs, by=people.bpl_editor, aims="Ours now")
    assert str(caught.value) == (
        "bpl-editor cannot see partnership 'Lancashire Place Partnership'."
    )
    assert Partnership.objects.get(pk=lancs.pk).aims == ""


def test_a_blackpool_editor_cannot_create_in_lancashire(register, people):
    with pytest.raises(PermissionDenied) as caught:
        actions.create(Partnership, by=people.bpl_editor, name="X", place=register.lancs)
    assert str(caught.value) == (
        "bpl-editor cannot change partnership 'X', a record of place QE1-LAN: they have no role"
        " there; it needs an editor role for QE1-LAN or an ICB-wide editor role for QE1."
    )
    assert not Partnership.objects.filter(name="X").exists()


def test_a_viewer_sees_but_cannot_edit(partnerships, people):
    lancs, _, _ = partnerships
    assert names(people.lancs_viewer) == [
        "Lancashire Place Partnership",
        "Lancashire and South Cumbria ICP",
    ]
    with pytest.raises(PermissionDenied, match="they are a viewer there; it needs an editor"):
        actions.update(lancs, by=people.lancs_viewer, aims="Mine")
    assert Partnership.objects.get(pk=lancs.pk).version == 1


def test_an_icb_wide_editor_can_edit_every_place(partnerships, people):
    lancs, bpl, icp = partnerships
    assert len(names(people.icb_editor)) == 3
    for record in (lancs, bpl, icp):
        actions.update(record, by=people.icb_editor, aims="Joined up")
    assert set(Partnership.objects.values_list("aims", flat=True)) == {"Joined up"}


def test_place_editors_see_icb_wide_records_but_only_icb_wide_editors_change_them(
    partnerships, people
):
    _, _, icp = partnerships
    assert "Lancashire and South Cumbria ICP" in names(people.bpl_editor)
    with pytest.raises(PermissionDenied, match="a record of the whole of QE1: they have no"):
        require_edit(people.bpl_editor, icp)


def test_people_without_roles_see_nothing(partnerships, people):
    assert names(people.outsider) == []
    assert names(AnonymousUser()) == []
    assert names(None) == []
    people.lancs_editor.is_active = False
    assert names(people.lancs_editor) == []


def test_another_icbs_role_gives_nothing_here(partnerships, people):
    other = people.outsider
    Role.objects.create(user=other, icb_code="QOP", level="administrator")
    assert names(other) == []
    assert not visible(other, Place).exists()


def test_superusers_get_no_implicit_access(partnerships, people):
    people.outsider.is_superuser = True
    people.outsider.save()
    assert names(people.outsider) == []


def test_places_are_seen_across_the_icb_and_changed_by_icb_wide_editors(register, people):
    assert [p.code for p in visible(people.lancs_viewer, Place)] == ["QE1-BPL", "QE1-LAN"]
    with pytest.raises(PermissionDenied, match="an ICB-wide editor role for QE1"):
        actions.update(register.lancs, by=people.lancs_editor, name="Lancs")
    actions.update(register.lancs, by=people.icb_editor, name="Lancashire Place")
    with pytest.raises(ValueError, match="place: code cannot be changed once made"):
        actions.update(register.lancs, by=people.icb_editor, code="QE1-LANCS")


def test_links_to_records_out_of_scope_are_refused(register, people):
    with pytest.raises(PermissionDenied, match="cannot link a body to a partnership they may"):
        actions.create(
            Body,
            by=people.bpl_editor,
            name="Blackpool Place Board",
            kind="place_board",
            place=register.bpl,
            partnership=actions.create(
                Partnership, by=people.lancs_editor, name="L", place=register.lancs
            ),
        )


def test_roles_are_granted_by_administrators_only(register, people):
    with pytest.raises(PermissionDenied, match="needs an administrator role for QE1-BPL"):
        actions.grant_role(people.outsider, "editor", by=people.bpl_editor, place=register.bpl)
    role = actions.grant_role(people.outsider, "viewer", by=people.admin, place=register.bpl)
    assert role.granted_by == people.admin
    assert [r.level for r in visible(people.outsider, Role)] == ["viewer"]
    assert visible(people.admin, Role).count() == 6
    actions.revoke_role(role, by=people.admin)
    assert not Role.objects.filter(user=people.outsider).exists()
    (gone,) = Role.history.filter(id=role.pk, history_type="-")
    assert gone.history_user == people.admin
    with pytest.raises(ValueError, match="QE1 already has an administrator"):
        actions.grant_first_administrator(people.outsider, "QE1")


def test_functions_are_icb_wide_data(register, people):
    with pytest.raises(PermissionDenied):
        actions.create(Function, by=people.lancs_editor, code="x", name="X", **ICB_WIDE)
    assert visible(people.lancs_viewer, Function).count() == 2


def test_only_register_models_have_a_scope(people):
    with pytest.raises(TypeError, match="User is not a record of the register"):
        visible(people.admin, type(people.admin))


def test_anonymous_users_are_named_as_such(register):
    with pytest.raises(PermissionDenied, match=r"^An anonymous user cannot change partnership"):
        require_edit(AnonymousUser(), Partnership(name="X", place=register.lancs))


def test_a_new_record_without_its_links_is_refused_with_a_message(register, people):
    from placeworks.governance.models import Delegation

    draft = Delegation(place=register.lancs, icb_code="QE1")  # no function or delegate yet
    with pytest.raises(PermissionDenied, match="cannot change a new delegation"):
        require_edit(people.bpl_editor, draft)
