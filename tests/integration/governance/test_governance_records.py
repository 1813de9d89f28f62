"""The generic actions: validation with specific messages, all or nothing, history with who,
before and after, and optimistic concurrency that loses nothing."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError

from placeworks.governance import actions
from placeworks.governance.actions import EditConflict
from placeworks.governance.models import (
    Agreement,
    Delegation,
    Function,
    Membership,
    Organisation,
    Partnership,
    Post,
    ReadinessFramework,
    Versioned,
)
from placeworks.governance.models.base import recorded_models

pytestmark = pytest.mark.django_db

ICB_WIDE = {"icb_code": "QE1"}

D = datetime.date


def s75(register, by, **fields) -> Agreement:
    values = {
        "title": "Better Care Fund Section 75",
        "kind": "section_75",
        "legal_force": True,
        "place": register.lancs,
        "parties": [register.icb, register.county],
        "host": register.county,
    }
    values.update(fields)
    return actions.create(Agreement, by=by, **values)


# --- validation -------------------------------------------------------------------------------


def test_bad_input_gets_a_message_per_field_and_nothing_is_written(
    register, people, make_organisation
):
    before = Organisation.objects.count()
    with pytest.raises(ValidationError) as caught:
        make_organisation(
            people.icb_editor,
            "Southport and Ormskirk Hospital NHS Trust",
            "nhs_trust",
            "ods",
            "rvy",
            valid_from=D(2000, 1, 1),
            valid_to=D(1999, 1, 1),
        )
    messages = caught.value.message_dict["__all__"]
    assert "An ODS code is 3, 5 or 6 capitals or digits (RXN); a GSS code" in messages[0]
    assert "An organisation closes on or after the day it opens." in messages
    assert Organisation.objects.count() == before


def test_a_choice_outside_the_list_is_named(register, people, make_organisation):
    with pytest.raises(ValidationError) as caught:
        make_organisation(people.icb_editor, "Virgin Care", "charity", "none", "")
    assert caught.value.message_dict["kind"] == ["Value 'charity' is not a valid choice."]


def test_unknown_and_derived_fields_are_refused_by_name(register, people, make_organisation):
    with pytest.raises(ValueError, match="organisation has no field colour"):
        make_organisation(people.icb_editor, "X", "other", "none", "", colour="red")
    with pytest.raises(ValueError, match="a membership belongs where its partnership does"):
        actions.create(Membership, by=people.icb_editor, place=register.lancs)
    with pytest.raises(ValueError, match="version is kept by the register itself"):
        make_organisation(people.icb_editor, "X", "other", "none", "", version=7)


def test_many_to_many_rules_are_checked_and_nothing_is_half_saved(register, people):
    with pytest.raises(ValidationError) as caught:
        s75(register, people.icb_editor, parties=[register.icb])
    assert caught.value.message_dict == {
        "host": [
            "The host, Lancashire County Council (E10000017), must be one of the"
            " agreement's parties."
        ]
    }
    assert not Agreement.objects.exists()
    assert not Agreement.history.exists()
    assert not Agreement.parties.through.objects.exists()


def test_a_delegation_starts_as_proposed_and_its_status_is_not_edited(register, people):
    fields = {
        "place": register.lancs,
        "function": register.bcf,
        "delegator": register.icb,
        "delegate_post": register.director,
    }
    with pytest.raises(ValidationError, match="A delegation starts as proposed"):
        actions.create(Delegation, by=people.lancs_editor, status="effective", **fields)
    made = actions.create(Delegation, by=people.lancs_editor, **fields)
    with pytest.raises(ValueError, match="status changes only by a recorded decision"):
        actions.update(made, by=people.lancs_editor, status="effective")
    with pytest.raises(ValueError, match="stays where it was made"):
        actions.update(made, by=people.icb_editor, place=register.bpl)


def test_a_joint_posts_employer_is_one_of_its_organisations(register, people):
    with pytest.raises(ValidationError, match=r"The employer, .* is one of the post's"):
        actions.create(
            Post,
            by=people.lancs_editor,
            title="Integrated Place Leader",
            place=register.lancs,
            employer=register.west_lancs,
            organisations=[register.icb],
        )
    assert not Post.objects.filter(title="Integrated Place Leader").exists()


# --- history ----------------------------------------------------------------------------------


def test_every_change_is_kept_with_who_when_before_and_after(register, people):
    icp = actions.create(
        Partnership,
        by=people.lancs_editor,
        name="West Lancashire ICP/MCP",
        place=register.lancs,
        shadow=True,
    )
    actions.update(icp, by=people.icb_editor, name="West Lancashire ICP", shadow=False)
    assert icp.version == 2
    assert icp.name == "West Lancashire ICP"

    rows = list(icp.history.order_by("history_date", "history_id"))
    assert [(r.history_type, r.history_user.username, r.version) for r in rows] == [
        ("+", "lancs-editor", 1),
        ("~", "icb-editor", 2),
    ]
    history = actions.changes(icp, by=people.lancs_viewer)
    assert [(c.kind, c.by, c.version) for c in history] == [
        ("created", "lancs-editor", 1),
        ("changed", "icb-editor", 2),
    ]
    changed = {f.field: (f.before, f.after) for f in history[1].fields}
    assert changed == {
        "name": ("West Lancashire ICP/MCP", "West Lancashire ICP"),
        "shadow": (True, False),
    }
    created = {f.field: (f.before, f.after) for f in history[0].fields}
    assert created["name"] == (None, "West Lancashire ICP/MCP")


def test_many_to_many_changes_are_one_history_row_with_the_links(
    register, people, make_organisation
):
    agreement = s75(register, people.lancs_editor)
    assert agreement.history.count() == 1
    hospital = make_organisation(
        people.icb_editor, "Southport and Ormskirk", "nhs_trust", "ods", "RVY"
    )
    actions.update(
        agreement,
        by=people.lancs_editor,
        parties=[register.icb, register.county, hospital],
    )
    assert agreement.history.count() == 2
    history = actions.changes(agreement, by=people.lancs_editor)
    (parties,) = [f for f in history[1].fields if f.field == "parties"]
    assert parties.before == sorted([register.icb.pk, register.county.pk])
    assert parties.after == sorted([register.icb.pk, register.county.pk, hospital.pk])


def test_history_is_read_through_the_scope(register, people):
    icp = actions.create(Partnership, by=people.lancs_editor, name="ICP", place=register.lancs)
    with pytest.raises(PermissionDenied, match="bpl-editor cannot see partnership 'ICP'"):
        actions.changes(icp, by=people.bpl_editor)


# --- concurrency ------------------------------------------------------------------------------


def test_the_second_of_two_editors_is_refused_and_nothing_is_lost(register, people):
    icp = actions.create(Partnership, by=people.lancs_editor, name="ICP", place=register.lancs)
    mine = Partnership.objects.get(pk=icp.pk)
    theirs = Partnership.objects.get(pk=icp.pk)

    actions.update(theirs, by=people.icb_editor, aims="Better integration")
    with pytest.raises(EditConflict) as caught:
        actions.update(mine, by=people.lancs_editor, aims="Population health")

    conflict = caught.value
    assert str(conflict).startswith("Partnership 'ICP' was changed by icb-editor at ")
    assert "(now version 2) after you opened version 1. Your changes were not saved" in str(
        conflict
    )
    assert conflict.attempted == {"aims": "Population health"}
    assert (conflict.changed_by, conflict.current_version) == ("icb-editor", 2)
    stored = Partnership.objects.get(pk=icp.pk)
    assert (stored.aims, stored.version) == ("Better integration", 2)
    assert stored.history.count() == 2
    assert mine.aims == ""  # the refused edit is on the exception, not half-applied


def test_save_versioned_claims_the_version_in_one_statement(register, people):
    icp = actions.create(Partnership, by=people.lancs_editor, name="ICP", place=register.lancs)
    stale = Partnership.objects.get(pk=icp.pk)
    Partnership.objects.filter(pk=icp.pk).update(version=2, name="Changed behind its back")
    stale.name = "Mine"
    with pytest.raises(EditConflict) as caught:
        actions.save_versioned(stale, by=people.lancs_editor, expected_version=1)
    assert caught.value.attempted == {"name": "Mine"}
    assert Partnership.objects.get(pk=icp.pk).name == "Changed behind its back"


def test_an_explicit_version_is_checked_too(register, people):
    icp = actions.create(Partnership, by=people.lancs_editor, name="ICP", place=register.lancs)
    actions.update(icp, by=people.lancs_editor, version=1, aims="One")
    with pytest.raises(EditConflict):
        actions.update(icp, by=people.lancs_editor, version=1, aims="Two")
    actions.update(icp, by=people.lancs_editor, version=2, aims="Two")
    assert Partnership.objects.get(pk=icp.pk).aims == "Two"


def test_icb_wide_records_carry_their_icb(register, people):
    function = actions.create(
        Function,
        by=people.icb_editor,
        code="primary_care",
        name="Primary Care",
        **ICB_WIDE,
    )
    assert (function.icb_code, function.place_id) == ("QE1", None)


def test_every_register_model_is_versioned_and_keeps_history():
    models = [
        m
        for m in apps.get_app_config("governance").get_models()
        if not m.__name__.startswith("Historical")
    ]
    assert len(models) == 29
    for model in models:
        assert issubclass(model, Versioned), model
    assert set(recorded_models()) == set(models)


def test_a_framework_has_its_own_edition_and_is_edited_under_concurrency(register, people):
    framework = ReadinessFramework.objects.get(pk=register.framework.pk)
    stale = ReadinessFramework.objects.get(pk=framework.pk)
    actions.update(framework, by=people.icb_editor, edition="2024", description="Second edition")
    stored = ReadinessFramework.objects.get(pk=framework.pk)
    assert (stored.edition, stored.version) == ("2024", 2)
    with pytest.raises(EditConflict):
        actions.update(stale, by=people.icb_editor, description="From a stale copy")
