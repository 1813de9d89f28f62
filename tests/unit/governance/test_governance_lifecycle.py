"""The delegation lifecycle table: what it allows, what it refuses and how it says so."""

from __future__ import annotations

import pytest

from placeworks.governance.lifecycle import (
    INITIAL,
    STATUSES,
    TRANSITIONS,
    IllegalTransition,
    allowed_next,
    check_transition,
    reachable,
)

ALLOWED = [(frm, to) for frm, nexts in TRANSITIONS.items() for to in nexts]
REFUSED = [(frm, to) for frm in STATUSES for to in STATUSES if to not in TRANSITIONS[frm]]


def test_the_table_is_the_documented_one():
    assert dict(TRANSITIONS) == {
        "proposed": ("readiness_assessed", "revoked"),
        "readiness_assessed": ("approved", "proposed", "revoked"),
        "approved": ("effective", "revoked"),
        "effective": ("varied", "revoked"),
        "varied": ("effective", "revoked"),
        "revoked": (),
    }


def test_every_status_has_a_row_and_every_target_is_a_status():
    assert set(TRANSITIONS) == set(STATUSES)
    assert {to for nexts in TRANSITIONS.values() for to in nexts} <= set(STATUSES)


def test_every_status_is_reachable_from_proposed_and_only_revoked_is_final():
    assert reachable(INITIAL) == set(STATUSES)
    assert [s for s, nexts in TRANSITIONS.items() if not nexts] == ["revoked"]
    for status in STATUSES:
        assert "revoked" in reachable(status)


def test_nothing_moves_to_where_it_is():
    for status, nexts in TRANSITIONS.items():
        assert status not in nexts


@pytest.mark.parametrize(("frm", "to"), ALLOWED)
def test_allowed_moves_pass(frm, to):
    check_transition(frm, to)


@pytest.mark.parametrize(("frm", "to"), REFUSED)
def test_refused_moves_name_both_statuses_and_what_may_follow(frm, to):
    with pytest.raises(IllegalTransition) as caught:
        check_transition(frm, to)
    message = str(caught.value)
    assert f"'{STATUSES[frm].lower()}'" in message
    assert f"'{STATUSES[to].lower()}'" in message
    for nxt in TRANSITIONS[frm]:
        assert f"'{STATUSES[nxt].lower()}'" in message
    assert caught.value.allowed == TRANSITIONS[frm]


def test_the_messages_read_well():
    with pytest.raises(IllegalTransition) as caught:
        check_transition("approved", "varied")
    assert str(caught.value) == (
        "A delegation cannot go from 'approved' to 'varied': from 'approved' the next status is"
        " 'effective' or 'revoked'."
    )
    with pytest.raises(IllegalTransition) as caught:
        check_transition("revoked", "effective", what="The delegation of BCF")
    assert str(caught.value) == (
        "The delegation of BCF cannot go from 'revoked' to 'effective': 'revoked' is final:"
        " no status follows it."
    )
    with pytest.raises(IllegalTransition, match="is already 'effective'"):
        check_transition("effective", "effective")
    with pytest.raises(IllegalTransition, match="has no status 'live'; the statuses are"):
        check_transition("effective", "live")


def test_unknown_starting_statuses_are_errors():
    with pytest.raises(ValueError, match="'live' is not a delegation status"):
        check_transition("live", "revoked")
    with pytest.raises(ValueError, match="'live' is not a delegation status"):
        allowed_next("live")
    assert allowed_next("varied") == ("effective", "revoked")
