"""The register's invariants are the database's: writes that skip every Python check are still
refused by PostgreSQL and SQLite alike."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from placeworks.governance.models import (
    Agreement,
    Body,
    Contribution,
    Decision,
    Delegation,
    Membership,
    Milestone,
    Organisation,
    Partnership,
    Place,
    PooledFund,
    PostHolding,
    ReportingLine,
    Risk,
    RiskCategory,
    RiskMatrix,
    Role,
    Workstream,
)
from placeworks.governance.models.organisation import PermanentRecord

pytestmark = pytest.mark.django_db

D = datetime.date


def refused(make):
    """``make()`` is refused by the database, and leaves nothing behind."""
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def org(**fields) -> Organisation:
    values = {
        "name": "A trust",
        "kind": "nhs_trust",
        "code_system": "ods",
        "code": "RXN",
        "icb_code": "QE1",
    }
    values.update(fields)
    return Organisation.objects.create(**values)


def test_place_codes_begin_with_their_icb(db):
    refused(lambda: Place.objects.create(code="QE1-LAN", name="Lancashire", icb_code="QOP"))
    refused(lambda: Place.objects.create(code="lancs", name="Lancashire", icb_code="QE1"))
    refused(lambda: Place.objects.create(code="QE1-LAN", name="", icb_code="QE1"))
    Place.objects.create(code="QE1-LAN", name="Lancashire", icb_code="QE1")
    refused(lambda: Place.objects.create(code="QE1-LAN", name="Again", icb_code="QE1"))


def test_a_record_is_in_its_places_icb(register):
    refused(lambda: org(icb_code="QOP", place=register.lancs))
    refused(lambda: org(icb_code="qe1"))
    assert org(place=register.lancs).icb_code == "QE1"


@pytest.mark.parametrize(
    ("system", "code"),
    [("ods", "RX"), ("ods", "RXN1"), ("ods", "rxn"), ("gss", "E0700012"), ("none", "RXN")],
)
def test_organisation_codes_match_their_system(register, system, code):
    refused(lambda: org(code_system=system, code=code))


def test_organisation_codes_are_unique_but_many_have_none(register):
    refused(lambda: org(code_system="gss", code="E10000017"))
    org(name="A voluntary body", code_system="none", code="")
    org(name="Another voluntary body", code_system="none", code="")


def test_organisations_close_after_they_open_and_only_closed_ones_have_successors(register):
    refused(lambda: org(valid_from=D(2022, 7, 1), valid_to=D(2022, 6, 30)))
    refused(lambda: org(successor=register.icb))
    ccg = org(name="NHS West Lancashire CCG", code="02G", valid_to=D(2022, 6, 30))
    refused(lambda: Organisation.objects.filter(pk=ccg.pk).update(successor=ccg))
    Organisation.objects.filter(pk=ccg.pk).update(successor=register.icb)


def test_an_organisation_is_never_deleted(register):
    with pytest.raises(PermanentRecord, match="is never deleted: close it with an end date"):
        register.west_lancs.delete()
    with pytest.raises(PermanentRecord, match="Organisations are never deleted"):
        Organisation.objects.filter(pk=register.west_lancs.pk).delete()
    assert Organisation.objects.filter(pk=register.west_lancs.pk).exists()


def test_referenced_records_are_protected(register):
    ReportingLine.objects.create(
        source=register.place_board, kind="decides_for", target=register.icb_board
    )
    with pytest.raises(ProtectedError):
        register.place_board.delete()
    with pytest.raises(ProtectedError):
        register.lancs.delete()


def test_one_open_membership_per_organisation_and_dates_in_order(register):
    icp = Partnership.objects.create(name="West Lancashire ICP", place=register.lancs)
    refused(
        lambda: Membership.objects.create(
            partnership=icp,
            organisation=register.county,
            level="full",
            start=D(2019, 7, 1),
            end=D(2019, 6, 1),
        )
    )
    Membership.objects.create(partnership=icp, organisation=register.county, level="full")
    refused(
        lambda: Membership.objects.create(
            partnership=icp, organisation=register.county, level="associate"
        )
    )
    Membership.objects.create(
        partnership=icp, organisation=register.county, level="observer", end=D(2019, 1, 1)
    )
    assert {m.place_id for m in Membership.objects.all()} == {"QE1-LAN"}


def test_holdings_one_open_of_each_kind_and_secondments_name_their_employer(register):
    post = register.director
    refused(lambda: PostHolding.objects.create(post=post, holder="A", kind="secondment"))
    refused(
        lambda: PostHolding.objects.create(
            post=post, holder="A", kind="acting", seconded_from=register.county
        )
    )
    PostHolding.objects.create(
        post=post, holder="A", kind="secondment", seconded_from=register.county
    )
    refused(
        lambda: PostHolding.objects.create(
            post=post, holder="B", kind="secondment", seconded_from=register.county
        )
    )
    PostHolding.objects.create(post=post, holder="B", kind="acting")


def test_reporting_lines_join_two_bodies_once(register):
    board = register.place_board
    refused(lambda: ReportingLine.objects.create(source=board, kind="advises", target=board))
    ReportingLine.objects.create(source=board, kind="decides_for", target=register.icb_board)
    refused(
        lambda: ReportingLine.objects.create(
            source=board, kind="decides_for", target=register.icb_board
        )
    )


def delegation(register, **fields) -> Delegation:
    values = {
        "place": register.lancs,
        "function": register.bcf,
        "delegator": register.icb,
        "delegate_post": register.director,
    }
    values.update(fields)
    return Delegation.objects.create(**values)


def test_a_delegation_has_one_delegate_a_place_and_no_negative_limit(register):
    refused(lambda: delegation(register, delegate_body=register.place_board))
    refused(lambda: delegation(register, delegate_post=None))
    refused(lambda: delegation(register, place=None, icb_code="QE1"))
    refused(lambda: delegation(register, financial_limit=Decimal("-1")))
    refused(lambda: delegation(register, phase=0))
    refused(lambda: delegation(register, status="live"))


def test_one_live_delegation_of_a_function_per_place_and_delegator(register):
    first = delegation(register)
    refused(lambda: delegation(register, delegate_post=None, delegate_body=register.place_board))
    Delegation.objects.filter(pk=first.pk).update(status="revoked")
    delegation(register)
    delegation(register, place=register.bpl)


def agreement(register, **fields) -> Agreement:
    values = {
        "title": "Better Care Fund Section 75",
        "kind": "section_75",
        "legal_force": True,
        "place": register.lancs,
    }
    values.update(fields)
    return Agreement.objects.create(**values)


def test_agreements_binding_by_kind_and_dates_in_order(register):
    refused(lambda: agreement(register, legal_force=False))
    refused(lambda: agreement(register, kind="mou", legal_force=True))
    refused(lambda: agreement(register, start=D(2024, 4, 1), end=D(2024, 3, 31)))
    refused(lambda: agreement(register, start=D(2024, 4, 1), review_date=D(2024, 1, 1)))
    refused(lambda: agreement(register, end=D(2025, 3, 31), notice_date=D(2025, 6, 30)))
    refused(lambda: agreement(register, status="in_force"))
    agreement(register, kind="mou", legal_force=False)


def test_contributions_are_whole_pence_never_negative_once_per_partner_year(register):
    fund = PooledFund.objects.create(
        name="BCF pool", agreement=agreement(register), host=register.county
    )

    def give(amount, year="2024/25"):
        return Contribution.objects.create(
            fund=fund, partner=register.county, financial_year=year, amount=Decimal(amount)
        )

    refused(lambda: give("-0.01"))
    refused(lambda: give("1.00", year="2024-25"))
    give("1.00")
    refused(lambda: give("2.00"))
    assert Contribution.objects.get().place_id == "QE1-LAN"


def test_risk_scores_stay_on_the_matrix(register):
    matrix = RiskMatrix.objects.create(name="NPSA", icb_code="QE1")
    people = RiskCategory.objects.create(matrix=matrix, code="people", name="People", appetite=8)
    scores = dict.fromkeys(
        (f"{s}_{x}" for s in ("inherent", "current", "target") for x in ("likelihood", "impact")),
        3,
    )

    def risk(**changes):
        return Risk.objects.create(
            reference="R1",
            title="Staff alignment",
            category=people,
            icb_code="QE1",
            **{**scores, **changes},
        )

    refused(lambda: risk(current_impact=6))
    refused(lambda: risk(target_likelihood=0))
    refused(lambda: risk(current_likelihood=4, inherent_likelihood=3))
    refused(lambda: RiskCategory.objects.create(matrix=matrix, code="x", name="X", appetite=0))
    made = risk()
    assert (made.likelihood_levels, made.impact_levels) == (5, 5)
    refused(lambda: Risk.objects.filter(pk=made.pk).update(current_impact=6))


def test_decisions_have_one_maker_and_made_decisions_give_reasons(register):
    def decide(**fields):
        values = {
            "kind": "decision",
            "made_on": D(2023, 7, 5),
            "maker_body": register.icb_board,
            "title": "Delegate to places",
            "outcome": "Agreed",
            "reasons": "Readiness",
            "icb_code": "QE1",
        }
        values.update(fields)
        return Decision.objects.create(**values)

    refused(lambda: decide(maker_post=register.director))
    refused(lambda: decide(maker_body=None))
    refused(lambda: decide(reasons=""))
    decide(kind="consultation", reasons="")
    decide(status="planned", reasons="")


def test_milestones_are_done_exactly_when_completed(register):
    stream = Workstream.objects.create(name="Finance", place=register.lancs)
    refused(lambda: Milestone.objects.create(workstream=stream, title="MoU", status="done"))
    refused(
        lambda: Milestone.objects.create(workstream=stream, title="MoU", completed_on=D(2019, 6, 1))
    )
    refused(lambda: Workstream.objects.create(name="Comms", place=register.lancs, status="closed"))
    Milestone.objects.create(
        workstream=stream, title="MoU", status="done", completed_on=D(2019, 6, 1)
    )


def test_roles_once_per_place_and_once_icb_wide(people, register):
    user = people.outsider
    Role.objects.create(user=user, place=register.lancs, level="viewer")
    refused(lambda: Role.objects.create(user=user, place=register.lancs, level="editor"))
    Role.objects.create(user=user, icb_code="QE1", level="viewer")
    refused(lambda: Role.objects.create(user=user, icb_code="QE1", level="editor"))
    refused(lambda: Role.objects.create(user=user, place=register.bpl, level="owner"))
    refused(
        lambda: Role.objects.create(user=user, icb_code="QOP", place=register.bpl, level="viewer")
    )


def test_bodies_end_after_they_start(register):
    refused(
        lambda: Body.objects.create(
            name="Shadow board",
            kind="place_board",
            place=register.lancs,
            established=D(2023, 1, 1),
            dissolved=D(2022, 1, 1),
        )
    )
