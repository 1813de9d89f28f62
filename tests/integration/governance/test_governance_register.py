"""The rest of the register through its actions: pooled funds, readiness, risks, posts,
services and teams, workstreams."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from placeworks.governance import actions
from placeworks.governance.models import (
    Agreement,
    Body,
    BodyMembership,
    Contribution,
    Decision,
    Membership,
    Milestone,
    NeighbourhoodTeam,
    Nomination,
    Partnership,
    PooledFund,
    Post,
    PostHolding,
    ReadinessFramework,
    ReportingLine,
    Risk,
    RiskCategory,
    RiskMatrix,
    Service,
    TeamRole,
    Workstream,
)

pytestmark = pytest.mark.django_db

D = datetime.date
ICB_WIDE = {"icb_code": "QE1"}


# --- pooled funds -----------------------------------------------------------------------------


@pytest.fixture
def fund(register, people) -> PooledFund:
    agreement = actions.create(
        Agreement,
        by=people.lancs_editor,
        title="Lancashire Better Care Fund Section 75",
        kind="section_75",
        legal_force=True,
        place=register.lancs,
        parties=[register.icb, register.county],
        host=register.county,
        start=D(2024, 4, 1),
        status="in_force",
    )
    return actions.create(
        PooledFund,
        by=people.lancs_editor,
        name="Lancashire BCF pool",
        agreement=agreement,
        host=register.county,
        pool_manager=register.director,
    )


def test_pooled_fund_totals_reconcile_to_the_penny(register, people, fund):
    by = people.lancs_editor
    actions.record_contribution(fund, register.icb, "2024/25", "101,234,567.89", by=by)
    actions.record_contribution(fund, register.county, "2024/25", Decimal("25000000.01"), by=by)
    actions.record_contribution(fund, register.icb, "2025/26", "£104,000,000.10", by=by)
    totals = actions.pooled_fund_totals(fund, by=people.lancs_viewer)
    assert dict(totals.by_year) == {
        "2024/25": Decimal("126234567.90"),
        "2025/26": Decimal("104000000.10"),
    }
    assert dict(totals.by_partner) == {
        register.icb: Decimal("205234567.99"),
        register.county: Decimal("25000000.01"),
    }
    assert totals.total == Decimal("230234568.00")
    assert sum(totals.by_year.values()) == sum(totals.by_partner.values()) == totals.total


@pytest.mark.parametrize(
    ("partner", "year", "amount", "field", "message"),
    [
        ("icb", "2024/26", "1", "financial_year", "2024 is followed by 25"),
        ("icb", "2024/25", 1.5, "amount", "a float cannot hold pence exactly"),
        ("icb", "2024/25", "ten", "amount", "'ten' is not an amount of pounds"),
        ("icb", "2024/25", "1.001", "amount", "no more than 2 decimal places"),
        ("icb", "2024/25", "-1", "__all__", "A contribution is zero or more."),
        ("west_lancs", "2024/25", "1", "partner", "is not a party to"),
    ],
)
def test_bad_contributions_are_refused_by_field(
    register, people, fund, partner, year, amount, field, message
):
    with pytest.raises(ValidationError) as caught:
        actions.record_contribution(
            fund, getattr(register, partner), year, amount, by=people.lancs_editor
        )
    assert any(message in text for text in caught.value.message_dict[field])
    assert not Contribution.objects.exists()


def test_a_partner_contributes_once_a_year(register, people, fund):
    actions.record_contribution(fund, register.icb, "2024/25", "1", by=people.lancs_editor)
    with pytest.raises(ValidationError, match="already has a contribution to this fund for this"):
        actions.record_contribution(fund, register.icb, "2024/25", "2", by=people.lancs_editor)


def test_a_pooled_fund_rests_on_a_section_75_or_256_hosted_by_a_party(register, people):
    mou = actions.create(
        Agreement,
        by=people.lancs_editor,
        title="MoU",
        kind="mou",
        legal_force=False,
        place=register.lancs,
        parties=[register.west_lancs],
    )
    with pytest.raises(ValidationError, match="rests on a Section 75 or Section 256 agreement"):
        actions.create(
            PooledFund, by=people.lancs_editor, name="Pool", agreement=mou, host=register.county
        )


def test_fund_totals_go_through_the_scope(register, people, fund):
    with pytest.raises(PermissionDenied, match="bpl-editor cannot see pooled fund"):
        actions.pooled_fund_totals(fund, by=people.bpl_editor)


# --- readiness --------------------------------------------------------------------------------


def test_the_readiness_matrix_shows_each_places_latest_level(register, people):
    by = people.icb_editor
    fw = register.framework
    for place, function, on, level in [
        (register.lancs, register.bcf, D(2023, 9, 1), "developing"),
        (register.lancs, register.bcf, D(2024, 1, 15), "core"),
        (register.bpl, register.population_health, D(2023, 10, 1), "emerging"),
    ]:
        actions.assess_readiness(
            fw, place, function, by=by, assessed_on=on, level=level, evidence="Self-assessment"
        )
    places = [register.lancs, register.bpl]
    functions = [register.bcf, register.population_health]
    matrix = actions.readiness_matrix(places, functions, by=people.icb_editor)
    grid = {
        (p.code, c.function.code): c.level.name if c.level else None
        for p, cells in matrix.rows()
        for c in cells
    }
    assert grid == {
        ("QE1-LAN", "better_care_fund"): "Core",
        ("QE1-LAN", "population_health"): None,
        ("QE1-BPL", "better_care_fund"): None,
        ("QE1-BPL", "population_health"): "Emerging",
    }
    earlier = actions.readiness_matrix(places, functions, by=by, on=D(2023, 12, 31))
    assert earlier.cell(register.lancs, register.bcf).level.code == "developing"
    assert earlier.cell(register.lancs, register.bcf).rank == 1
    with pytest.raises(PermissionDenied, match="cannot see the records of Blackpool"):
        actions.readiness_matrix(places, functions, by=people.lancs_viewer)
    mine = actions.readiness_matrix([register.lancs], functions, by=people.lancs_viewer)
    assert mine.cell(register.lancs, register.bcf).assessment.evidence == "Self-assessment"


def test_assessments_use_the_frameworks_levels_and_criteria(register, people):
    def assess(**fields):
        values = {
            "by": people.lancs_editor,
            "assessed_on": D(2023, 9, 1),
            "level": "core",
            "evidence": "Self-assessment",
        }
        values.update(fields)
        return actions.assess_readiness(register.framework, register.lancs, register.bcf, **values)

    with pytest.raises(ValidationError) as caught:
        assess(level="mature")
    assert caught.value.message_dict["level"][0].startswith(
        "'mature' is not a level of this framework; its levels are emerging, developing"
    )
    with pytest.raises(ValidationError, match="'workforce' is not a criterion"):
        assess(criteria={"workforce": "core"})
    with pytest.raises(ValidationError, match="'evidence': \\['This field cannot be blank"):
        assess(evidence="")
    assess(criteria={"finance": "developing", "leadership": "core"})


def test_frameworks_are_validated_and_frozen_once_used(register, people):
    with pytest.raises(ValidationError) as caught:
        actions.create(
            ReadinessFramework,
            by=people.icb_editor,
            name="Bad",
            levels=[{"code": "only", "name": "Only"}],
            criteria=[],
            **ICB_WIDE,
        )
    assert caught.value.message_dict["levels"][0].startswith(
        "levels: Tuple should have at least 2 items after validation, not 1; criteria:"
    )
    actions.assess_readiness(
        register.framework,
        register.lancs,
        register.bcf,
        by=people.icb_editor,
        assessed_on=D(2023, 9, 1),
        level="core",
        evidence="x",
    )
    with pytest.raises(ValidationError, match="publish a new edition"):
        actions.update(
            register.framework, by=people.icb_editor, levels=register.framework.levels[:2]
        )


# --- risks ------------------------------------------------------------------------------------


@pytest.fixture
def categories(people):
    matrix = actions.create(RiskMatrix, by=people.icb_editor, name="NPSA 5 x 5", **ICB_WIDE)
    found = {}
    for code, name, appetite in [("people", "People", 8), ("finance", "Finance", 6)]:
        found[code] = actions.create(
            RiskCategory,
            by=people.icb_editor,
            matrix=matrix,
            code=code,
            name=name,
            appetite=appetite,
        )
    return found


def risk(people, register, category, reference, current, **other) -> Risk:
    values = {
        "reference": reference,
        "title": reference,
        "category": category,
        "place": register.lancs,
        "owner": register.director,
        "inherent_likelihood": 5,
        "inherent_impact": 5,
        "current_likelihood": current[0],
        "current_impact": current[1],
        "target_likelihood": 1,
        "target_impact": 2,
    }
    values.update(other)
    return actions.create(Risk, by=people.lancs_editor, **values)


def test_risks_above_appetite_are_flagged(register, people, categories):
    staff = risk(people, register, categories["people"], "LAN-R01", (3, 3))
    money = risk(people, register, categories["finance"], "LAN-R02", (2, 3))
    assert (staff.score(), staff.band(), staff.above_appetite) == (9, "High", True)
    assert (money.score(), money.band(), money.above_appetite) == (6, "Moderate", False)
    assert [r.reference for r in actions.risks_above_appetite(people.lancs_viewer)] == ["LAN-R01"]
    assert list(actions.risks_above_appetite(people.bpl_editor)) == []


def test_which_risks_are_rising(register, people, categories):
    staff = risk(people, register, categories["people"], "LAN-R01", (3, 3))
    assert actions.risk_trend(staff, by=people.lancs_viewer) == "new"
    actions.update(staff, by=people.lancs_editor, current_likelihood=4)
    assert actions.risk_trend(staff, by=people.lancs_viewer) == "rising"
    actions.update(staff, by=people.lancs_editor, controls="Culture programme")
    assert actions.risk_trend(staff, by=people.lancs_viewer) == "rising"
    actions.update(staff, by=people.lancs_editor, current_impact=2)
    assert actions.risk_trend(staff, by=people.lancs_viewer) == "falling"


def test_risk_scores_are_checked_against_their_matrix(register, people, categories):
    with pytest.raises(ValidationError) as caught:
        risk(people, register, categories["people"], "LAN-R01", (6, 1))
    assert caught.value.message_dict["current_likelihood"] == [
        "The current likelihood 6 is not between 1 and 5 on NPSA 5 x 5 (5 × 5)."
    ]
    with pytest.raises(ValidationError, match=r"An appetite is a score between 1 and 25, not 30\."):
        actions.create(
            RiskCategory,
            by=people.icb_editor,
            matrix=categories["people"].matrix,
            code="variation",
            name="Variation",
            appetite=30,
        )


def test_a_bad_matrix_is_refused_whole(people):
    with pytest.raises(ValidationError) as caught:
        actions.create(
            RiskMatrix,
            by=people.icb_editor,
            name="Wrong",
            bands=[{"name": "Low", "max_score": 10}],
            **ICB_WIDE,
        )
    assert (
        "the last band ends at 10 but the highest score of a 5 by 5 matrix is 25"
        in (caught.value.message_dict["bands"][0])
    )
    assert not RiskMatrix.objects.exists()


# --- posts, services, teams, workstreams ------------------------------------------------------


def test_a_post_is_held_by_one_secondee_at_a_time(register, people):
    by = people.lancs_editor
    actions.create(
        PostHolding,
        by=by,
        post=register.director,
        holder="Executive Director of Adult Services",
        kind="secondment",
        seconded_from=register.county,
        start=D(2023, 7, 1),
        end=D(2025, 6, 30),
    )
    with pytest.raises(ValidationError, match="holds this post \\(secondment\\) from 1 July"):
        actions.create(
            PostHolding,
            by=by,
            post=register.director,
            holder="Someone else",
            kind="secondment",
            seconded_from=register.county,
            start=D(2024, 1, 1),
        )
    actions.create(
        PostHolding,
        by=by,
        post=register.director,
        holder="Deputy",
        kind="acting",
        start=D(2024, 1, 1),
    )
    assert register.director.holdings.count() == 2
    assert PostHolding.objects.get(kind="acting").place_id == "QE1-LAN"


def test_services_name_their_provider_partners_and_neighbourhoods(register, people):
    by = people.lancs_editor
    with pytest.raises(ValidationError, match="Not neighbourhood codes: 'skelmersdale'"):
        actions.create(
            Service,
            by=by,
            name="Disabled Facilities Grants",
            provider=register.west_lancs,
            place=register.lancs,
            neighbourhoods=["skelmersdale"],
        )
    grants = actions.create(
        Service,
        by=by,
        name="Disabled Facilities Grants",
        area="Housing and Inclusion",
        provider=register.west_lancs,
        partners=[register.county],
        place=register.lancs,
        neighbourhoods=["QE1-WL-SKEL", "QE1-WL-BURS", "QE1-WL-ORMS"],
    )
    assert list(grants.partners.all()) == [register.county]


def test_neighbourhood_teams_and_their_roles(register, people):
    by = people.lancs_editor
    with pytest.raises(ValidationError, match="is not a neighbourhood of QE1"):
        actions.create(
            NeighbourhoodTeam, by=by, name="X", neighbourhood="QOP-X", place=register.lancs
        )
    team = actions.create(
        NeighbourhoodTeam,
        by=by,
        name="Skelmersdale and Up Holland team",
        neighbourhood="QE1-WL-SKEL",
        place=register.lancs,
    )
    for role in ("GP", "Pharmacist", "District nurse", "Community geriatrician"):
        actions.create(TeamRole, by=by, team=team, role=role)
    with pytest.raises(ValidationError, match=r"The team already has this role\."):
        actions.create(TeamRole, by=by, team=team, role="GP")
    assert team.roles.count() == 4


def test_workstreams_and_milestones(register, people):
    by = people.lancs_editor
    finance = actions.create(
        Workstream,
        by=by,
        name="Finance",
        place=register.lancs,
        lead_organisation=register.west_lancs,
        started=D(2019, 2, 1),
    )
    mou = actions.create(Milestone, by=by, workstream=finance, title="MoUs drawn up")
    with pytest.raises(ValidationError, match="done exactly when it has a completion date"):
        actions.update(mou, by=by, status="done")
    actions.update(mou, by=by, status="done", completed_on=D(2019, 9, 1))
    assert Milestone.objects.get().status == "done"


# --- partnerships, bodies and decisions -------------------------------------------------------


def test_the_2019_partnership_its_members_leads_and_decision(register, people, make_organisation):
    by = people.lancs_editor
    protocol = actions.create(
        Agreement,
        by=by,
        title="West Lancashire Borough Council Partnership Protocol",
        kind="partnership_protocol",
        legal_force=False,
        place=register.lancs,
        parties=[register.west_lancs],
    )
    icp = actions.create(
        Partnership,
        by=by,
        name="West Lancashire Integrated Care Partnership",
        also_known_as="Multi-Speciality Community Provider",
        shadow=True,
        place=register.lancs,
    )
    hospital = make_organisation(
        people.icb_editor, "Southport and Ormskirk Hospital NHS Trust", "nhs_trust", "ods", "RVY"
    )
    actions.create(
        Membership,
        by=by,
        partnership=icp,
        organisation=register.west_lancs,
        level="full",
        start=D(2019, 7, 1),
        agreement=protocol,
    )
    actions.create(Membership, by=by, partnership=icp, organisation=hospital, level="associate")
    with pytest.raises(ValidationError, match="already has an open membership"):
        actions.create(Membership, by=by, partnership=icp, organisation=hospital, level="full")
    officer = actions.create(
        Post,
        by=by,
        title="Director of Leisure and Environment Services",
        place=register.lancs,
        employer=register.west_lancs,
        organisations=[register.west_lancs],
    )
    actions.create(
        Nomination,
        by=by,
        partnership=icp,
        organisation=register.west_lancs,
        role="lead_officer",
        post=officer,
        authority="To progress and confirm membership, consulting the portfolio holder.",
    )
    with pytest.raises(ValidationError, match="names a post, a person or both"):
        actions.create(
            Nomination,
            by=by,
            partnership=icp,
            organisation=register.west_lancs,
            role="lead_member",
        )
    leaders = actions.create(
        Body,
        by=by,
        name="Key system leaders",
        kind="system_leaders",
        partnership=icp,
        cadence="monthly",
        place=register.lancs,
    )
    actions.create(
        BodyMembership,
        by=by,
        body=leaders,
        post=officer,
        role="attendee",
    )
    cabinet = actions.create(
        Body,
        by=by,
        name="West Lancashire Borough Council Cabinet",
        kind="cabinet",
        organisation=register.west_lancs,
        place=register.lancs,
    )
    actions.create(ReportingLine, by=by, source=leaders, kind="reports_to", target=cabinet)
    decision = actions.create(
        Decision,
        by=by,
        kind="decision",
        made_on=D(2019, 6, 12),
        maker_body=cabinet,
        title="Join the West Lancashire ICP/MCP",
        outcome="Join and endorse the partnership; nominate a lead member and a lead officer.",
        reasons="Residents may otherwise get poorer services and outcomes.",
        options_rejected=["Not take an active part"],
        place=register.lancs,
        partnerships=[icp],
        agreements=[protocol],
        organisations=[register.west_lancs, hospital],
    )
    assert list(icp.decisions.all()) == [decision]
    assert set(decision.organisations.all()) == {register.west_lancs, hospital}
    with pytest.raises(ValidationError, match="Options rejected are a list of descriptions"):
        actions.update(decision, by=by, options_rejected="none")
    assert {m.place_id for m in icp.memberships.all()} == {"QE1-LAN"}


def test_a_matrix_with_risks_is_not_resized(register, people, categories):
    risk(people, register, categories["people"], "LAN-R01", (3, 3))
    matrix = categories["people"].matrix
    with pytest.raises(ValidationError, match="make a new matrix to resize"):
        actions.update(
            matrix,
            by=people.icb_editor,
            likelihood=["Low", "Medium", "High"],
            bands=[{"name": "All", "max_score": 15}],
        )
    actions.update(matrix, by=people.icb_editor, name="NPSA")
    assert RiskMatrix.objects.get().likelihood_levels == 5
