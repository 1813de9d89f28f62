"""A delegation's lifecycle: each transition a recorded decision; illegal ones refused whole."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from placeworks.governance import actions
from placeworks.governance.actions import EditConflict, IllegalTransition
from placeworks.governance.models import (
    Agreement,
    Decision,
    Delegation,
    DelegationTransition,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def bcf(register, people) -> Delegation:
    """The ICB's delegation of the Better Care Fund to the Director of Health and Care
    Integration, who uses the Lancashire Place Board: phase 1, by April 2024."""
    return actions.create(
        Delegation,
        by=people.lancs_editor,
        place=register.lancs,
        function=register.bcf,
        delegator=register.icb,
        delegate_post=register.director,
        via_body=register.place_board,
        legal_basis="NHS Act 2006, section 65Z5",
        phase=1,
        target_date=D(2024, 4, 1),
    )


SEPTEMBER = D(2023, 9, 1)


def assess(register, people, on=SEPTEMBER):
    return actions.assess_readiness(
        register.framework,
        register.lancs,
        register.bcf,
        by=people.lancs_editor,
        assessed_on=on,
        level="core",
        evidence="Place partners' self-assessment, September 2023",
    )


def move(delegation, to, people, register, on, **extra):
    values = {
        "by": people.lancs_editor,
        "decision_date": on,
        "maker_body": register.place_board,
        "reasons": "Ready",
        "evidence": "Board paper",
    }
    values.update(extra)
    return actions.transition_delegation(delegation, to, **values)


def snapshot():
    return (
        list(Delegation.objects.values_list("status", "version")),
        Decision.objects.count(),
        DelegationTransition.objects.count(),
        Decision.history.count(),
        Delegation.history.count(),
    )


def test_the_whole_lifecycle_is_a_trail_of_decisions(register, people, bcf):
    assess(register, people)
    s75 = actions.create(
        Agreement,
        by=people.lancs_editor,
        title="Delegation agreement",
        kind="delegation_agreement",
        legal_force=True,
        place=register.lancs,
    )
    move(bcf, "readiness_assessed", people, register, D(2023, 9, 1))
    step = move(
        bcf,
        "approved",
        people,
        register,
        D(2023, 11, 1),
        maker_body=None,
        maker_post=register.director,
    )
    assert step.decision.maker_post == register.director
    actions.update(bcf, by=people.lancs_editor, instrument=s75)
    move(bcf, "effective", people, register, D(2024, 4, 1))
    move(bcf, "varied", people, register, D(2024, 10, 1))
    move(bcf, "effective", people, register, D(2024, 10, 2))
    final = move(bcf, "revoked", people, register, D(2025, 3, 31), reasons="Re-scoped")

    assert (bcf.status, bcf.status_since) == ("revoked", D(2025, 3, 31))
    assert final.delegation is bcf
    trail = list(bcf.transitions.order_by("on", "id"))
    assert [(t.from_status, t.to_status) for t in trail] == [
        ("proposed", "readiness_assessed"),
        ("readiness_assessed", "approved"),
        ("approved", "effective"),
        ("effective", "varied"),
        ("varied", "effective"),
        ("effective", "revoked"),
    ]
    for t in trail:
        assert list(t.decision.delegations.all()) == [bcf]
        assert t.decision.made_on == t.on
        assert t.place_id == "QE1-LAN"
    assert final.decision.reasons == "Re-scoped"
    assert final.decision.title == "Better Care Fund, Lancashire: effective to revoked"
    reasons = [r.history_change_reason for r in bcf.history.order_by("history_date")]
    assert reasons[-1] == "Effective to revoked"


def test_an_illegal_transition_names_both_statuses_and_writes_nothing(register, people, bcf):
    before = snapshot()
    with pytest.raises(IllegalTransition) as caught:
        move(bcf, "effective", people, register, D(2023, 9, 1))
    assert str(caught.value) == (
        "The delegation of Better Care Fund to Director of Health and Care Integration (QE1-LAN)"
        " cannot go from 'proposed' to 'effective': from 'proposed' the next status is"
        " 'readiness assessed' or 'revoked'."
    )
    assert snapshot() == before
    assert bcf.status == "proposed"


def test_a_revoked_delegation_is_final(register, people, bcf):
    move(bcf, "revoked", people, register, D(2023, 9, 1))
    before = snapshot()
    with pytest.raises(IllegalTransition, match="'revoked' is final"):
        move(bcf, "proposed", people, register, D(2023, 10, 1))
    assert snapshot() == before


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"maker_body": None}, "maker", "name exactly one"),
        ({"maker_post": "director"}, "maker", "name exactly one"),
        ({"reasons": " "}, "reasons", "gives its reasons"),
    ],
)
def test_a_transition_needs_one_maker_and_reasons(register, people, bcf, extra, field, message):
    assess(register, people)
    if extra.get("maker_post") == "director":
        extra = {"maker_post": register.director}
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        move(bcf, "readiness_assessed", people, register, D(2023, 9, 1), **extra)
    assert message in caught.value.message_dict[field][0]
    assert snapshot() == before


def test_readiness_is_assessed_before_it_is_recorded_as_assessed(register, people, bcf):
    assess(register, people, on=D(2023, 9, 1))
    with pytest.raises(ValidationError, match="Lancashire has no readiness assessment for Better"):
        move(bcf, "readiness_assessed", people, register, D(2023, 8, 31))
    move(bcf, "readiness_assessed", people, register, D(2023, 9, 1))


def test_a_delegation_takes_effect_only_under_an_instrument(register, people, bcf):
    assess(register, people)
    move(bcf, "readiness_assessed", people, register, D(2023, 9, 1))
    move(bcf, "approved", people, register, D(2023, 9, 2))
    with pytest.raises(ValidationError, match="takes effect under an instrument"):
        move(bcf, "effective", people, register, D(2024, 4, 1))
    actions.update(bcf, by=people.lancs_editor, instrument_reference="ICB scheme, para 4.2")
    move(bcf, "effective", people, register, D(2024, 4, 1))


def test_decisions_are_recorded_in_date_order(register, people, bcf):
    assess(register, people)
    move(bcf, "readiness_assessed", people, register, D(2023, 9, 1))
    with pytest.raises(ValidationError, match="is before this delegation's last decision"):
        move(bcf, "approved", people, register, D(2023, 8, 1))


def test_transitions_go_through_the_scope(register, people, bcf):
    with pytest.raises(PermissionDenied):
        move(bcf, "revoked", people, register, D(2023, 9, 1), by=people.bpl_editor)
    with pytest.raises(PermissionDenied, match="they are a viewer there"):
        move(bcf, "revoked", people, register, D(2023, 9, 1), by=people.lancs_viewer)
    move(bcf, "revoked", people, register, D(2023, 9, 1), by=people.icb_editor)


def test_a_transition_on_a_stale_version_is_a_conflict(register, people, bcf):
    stale = Delegation.objects.get(pk=bcf.pk)
    actions.update(bcf, by=people.icb_editor, notes="Phase 1 confirmed")
    before = snapshot()
    with pytest.raises(EditConflict, match="was changed by icb-editor"):
        move(stale, "revoked", people, register, D(2023, 9, 1))
    assert snapshot() == before
