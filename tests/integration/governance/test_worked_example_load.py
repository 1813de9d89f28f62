"""The Lancashire worked example, loaded into the register through its actions, and the demo
accounts' scopes."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.hashers import check_password
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from placeworks.governance import actions
from placeworks.governance.demo import (
    DEMO_PASSWORD,
    ensure_demo_accounts,
    load_worked_example,
)
from placeworks.governance.models import (
    Decision,
    Delegation,
    Membership,
    NeighbourhoodTeam,
    Organisation,
    Partnership,
    Place,
    PostHolding,
    ReadinessAssessment,
    Risk,
    Service,
    TeamRole,
)
from placeworks.governance.models.base import recorded_models
from placeworks.governance.scope import can_edit

pytestmark = pytest.mark.django_db

SIX_FUNCTIONS = {
    "better_care_fund",
    "population_health",
    "primary_care",
    "community_services",
    "continuing_health_care",
    "admission_avoidance_discharge",
}


@pytest.fixture
def loaded(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed
    accounts = ensure_demo_accounts()
    summary = load_worked_example(by=accounts["icb-admin"])
    return accounts, summary


def history_rows() -> int:
    return sum(model.history.count() for model in recorded_models())


def test_the_four_places_with_the_geography_codes(loaded):
    assert dict(Place.objects.values_list("code", "name")) == {
        "QE1-LAN": "Lancashire",
        "QE1-BWD": "Blackburn with Darwen",
        "QE1-BPL": "Blackpool",
        "QE1-SCU": "South Cumbria",
    }


def test_organisations_with_closures_and_successors(loaded):
    ccg = Organisation.objects.get(code="02G")
    icb = Organisation.objects.get(code="QE1")
    assert (ccg.valid_to, ccg.successor) == (datetime.date(2022, 6, 30), icb)
    assert icb.valid_from == datetime.date(2022, 7, 1)
    hospital = Organisation.objects.get(code="RVY")
    assert hospital.successor == Organisation.objects.get(code="RBN")
    assert hospital.valid_to == datetime.date(2023, 6, 30)


def test_lancashire_delegations_of_the_six_functions_phase_one_by_april_2024(loaded):
    found = Delegation.objects.filter(place_id="QE1-LAN", delegator__code="QE1")
    assert {d.function.code for d in found} == SIX_FUNCTIONS
    first = {d.function.code for d in found if d.phase == 1}
    assert first == {"better_care_fund", "population_health"}
    for delegation in found:
        assert delegation.status == "proposed"
        assert delegation.delegate_post.title == "Director of Health and Care Integration"
        assert delegation.via_body.name == "Lancashire Place Board"
        if delegation.phase == 1:
            assert delegation.target_date == datetime.date(2024, 4, 1)
        # The ICB Board's decision of 5 July 2023 is recorded and linked to each.
        decision = delegation.decisions.get()
        assert decision.made_on == datetime.date(2023, 7, 5)
        assert decision.maker_body.name == "NHS Lancashire and South Cumbria ICB Board"


def test_the_joint_post_held_on_secondment(loaded):
    holding = PostHolding.objects.get(post__title="Director of Health and Care Integration")
    assert holding.kind == PostHolding.Kind.SECONDMENT
    assert holding.seconded_from.code == "E10000017"
    assert holding.substantive_post.title.startswith("Executive Director of Adult Services")
    assert {o.code for o in holding.post.organisations.all()} == {"QE1", "E10000017"}
    assert holding.post.joint


def test_the_2019_partnership_has_eight_members_one_associate(loaded):
    icp = Partnership.objects.get(name__startswith="West Lancashire Integrated Care")
    members = Membership.objects.filter(partnership=icp)
    assert members.count() == 8
    assert [m.organisation.code for m in members.filter(level="associate")] == ["RVY"]
    assert icp.shadow
    assert icp.place_id == "QE1-LAN"


def test_three_illustrative_risks_people_finance_variation(loaded):
    risks = Risk.objects.all()
    assert sorted(r.category.code for r in risks) == ["finance", "people", "variation"]
    for risk in risks:
        assert "ILLUSTRATIVE" in risk.description
    finance = risks.get(category__code="finance")
    assert finance.category.appetite == 8  # "cautious" in the example's appetites
    assert (finance.current_likelihood, finance.current_impact) == (4, 4)
    assert finance.above_appetite


def test_illustrative_readiness_assessments(loaded):
    found = ReadinessAssessment.objects.filter(place_id="QE1-LAN")
    assert {a.function.code for a in found} == {
        "better_care_fund",
        "population_health",
        "continuing_health_care",
    }
    assert all(a.evidence.startswith("ILLUSTRATIVE") for a in found)
    assert found.get(function__code="continuing_health_care").level == "emerging"


def test_four_consultations_with_their_dates(loaded):
    found = Decision.objects.filter(kind=Decision.Kind.CONSULTATION)
    assert sorted((c.made_on, c.status) for c in found) == [
        (datetime.date(2023, 5, 11), "done"),
        (datetime.date(2023, 6, 8), "done"),
        (datetime.date(2023, 7, 6), "ongoing"),
        (datetime.date(2023, 7, 13), "planned"),
    ]


def test_the_council_services(loaded):
    services = Service.objects.filter(provider__code="E07000127")
    assert services.count() == 19
    assert set(services.values_list("area", flat=True)) == {
        "Housing and Inclusion",
        "Leisure and Environmental",
        "",
    }
    hubs = services.get(name="Leisure & Wellbeing Hubs")
    assert hubs.status == "planned"
    assert [p.code for p in hubs.partners.all()] == ["02G"]


def test_the_three_neighbourhood_teams(loaded):
    teams = NeighbourhoodTeam.objects.all()
    assert sorted(t.neighbourhood for t in teams) == ["QE1-WL-BURS", "QE1-WL-ORMS", "QE1-WL-SKEL"]
    assert all(t.place_id == "QE1-LAN" for t in teams)
    assert TeamRole.objects.count() == 27


def test_history_names_who_loaded(loaded):
    accounts, _ = loaded
    delegation = Delegation.objects.get(function__code="better_care_fund")
    assert [c.by for c in actions.changes(delegation, by=accounts["icb-admin"])] == ["icb-admin"]


def test_loading_twice_changes_nothing(loaded):
    accounts, first = loaded
    before = history_rows()
    again = load_worked_example(by=accounts["icb-admin"])
    ensure_demo_accounts()
    assert sum(again.created.values()) == 0
    assert again.counts() == first.counts()
    assert history_rows() == before


def test_the_command_loads_and_is_idempotent(settings, capsys):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_worked_example")
    before = history_rows()
    call_command("load_worked_example")
    out = capsys.readouterr().out
    assert "0 records created" in out
    assert "placeworks-demo" in out
    assert history_rows() == before


def test_demo_account_scopes(loaded):
    accounts, _ = loaded
    lancs = Delegation.objects.get(function__code="better_care_fund")
    bpl_service = actions.create(
        Service,
        by=accounts["blackpool-editor"],
        name="Blackpool demo service",
        provider=Organisation.objects.get(code="E06000009"),
        place=Place.objects.get(code="QE1-BPL"),
    )
    assert check_password(DEMO_PASSWORD, accounts["lancs-viewer"].password)
    assert can_edit(accounts["lancs-editor"], lancs)
    assert not can_edit(accounts["lancs-editor"], bpl_service)
    assert not can_edit(accounts["lancs-viewer"], lancs)
    assert not can_edit(accounts["lancs-viewer"], bpl_service)
    assert can_edit(accounts["icb-admin"], lancs)
    assert can_edit(accounts["icb-admin"], bpl_service)
    assert can_edit(accounts["blackpool-editor"], bpl_service)
    assert not can_edit(accounts["blackpool-editor"], lancs)
    # and through the actions themselves
    actions.update(lancs, by=accounts["lancs-editor"], notes="Edited by the Lancashire editor.")
    with pytest.raises(PermissionDenied):
        actions.update(bpl_service, by=accounts["lancs-editor"], description="no")
