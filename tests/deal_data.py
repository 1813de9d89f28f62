"""A small Lancashire and South Cumbria deal register for the web tests, made through the
governance actions: places, people with roles (password ``placeworks-demo``), a function with a
readiness assessment, a pooled fund with contributions, a risk category and risks."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from placeworks.governance import actions
from placeworks.governance.models import (
    Agreement,
    Body,
    Delegation,
    Function,
    Organisation,
    Place,
    PooledFund,
    Post,
    ReadinessFramework,
    Risk,
    RiskCategory,
    RiskMatrix,
    Role,
)

PASSWORD = "placeworks-demo"
D = datetime.date
ICB = {"icb_code": "QE1"}


@dataclass
class Deal:
    admin: object
    lancs_editor: object
    lancs_viewer: object
    bpl_editor: object
    outsider: object
    lancs: Place
    bpl: Place
    icb: Organisation
    county: Organisation
    director: Post
    place_board: Body
    bcf: Function
    primary_care: Function
    category: RiskCategory
    delegation: Delegation
    risk: Risk


def build_deal() -> Deal:
    users = get_user_model().objects
    make = lambda name: users.create_user(name, password=PASSWORD)  # noqa: E731
    admin = make("icb-admin")
    actions.grant_first_administrator(admin, "QE1")
    lancs = actions.create(Place, by=admin, code="QE1-LAN", name="Lancashire", icb_code="QE1")
    bpl = actions.create(Place, by=admin, code="QE1-BPL", name="Blackpool", icb_code="QE1")
    lancs_editor, lancs_viewer = make("lancs-editor"), make("lancs-viewer")
    bpl_editor, outsider = make("blackpool-editor"), make("outsider")
    actions.grant_role(lancs_editor, Role.Level.EDITOR, by=admin, place=lancs)
    actions.grant_role(lancs_viewer, Role.Level.VIEWER, by=admin, place=lancs)
    actions.grant_role(bpl_editor, Role.Level.EDITOR, by=admin, place=bpl)
    by = make("icb-editor")
    actions.grant_role(by, Role.Level.EDITOR, by=admin, icb_code="QE1")

    def org(name, kind, system, code, **scope):
        return actions.create(
            Organisation,
            by=by,
            name=name,
            kind=kind,
            code_system=system,
            code=code,
            **(scope or ICB),
        )

    icb = org("NHS Lancashire and South Cumbria ICB", "icb", "ods", "QE1")
    county = org("Lancashire County Council", "county_council", "gss", "E10000017")
    director = actions.create(
        Post,
        by=by,
        title="Director of Health and Care Integration",
        place=lancs,
        employer=county,
        organisations=[icb, county],
    )
    place_board = actions.create(
        Body, by=by, name="Lancashire Place Board", kind="place_board", place=lancs
    )
    bcf = actions.create(Function, by=by, code="better_care_fund", name="Better Care Fund", **ICB)
    primary_care = actions.create(Function, by=by, code="primary_care", name="Primary care", **ICB)
    framework = actions.create(
        ReadinessFramework,
        by=by,
        name="System readiness framework",
        levels=[{"code": "emerging", "name": "Emerging"}, {"code": "core", "name": "Core"}],
        criteria=[{"code": "finance", "name": "Finance"}],
        **ICB,
    )
    for function, level in ((bcf, "core"), (primary_care, "emerging")):
        actions.assess_readiness(
            framework,
            lancs,
            function,
            by=by,
            assessed_on=D(2024, 1, 15),
            level=level,
            evidence="Self-assessment to the Place Board",
        )
    agreement = actions.create(
        Agreement,
        by=by,
        title="Lancashire Better Care Fund Section 75",
        kind="section_75",
        legal_force=True,
        place=lancs,
        parties=[icb, county],
        host=county,
        start=D(2024, 4, 1),
    )
    fund = actions.create(
        PooledFund, by=by, name="Lancashire BCF pool", agreement=agreement, host=county
    )
    actions.record_contribution(fund, icb, "2024/25", "101234567.89", by=by)
    actions.record_contribution(fund, county, "2024/25", "25000000.01", by=by)
    matrix = actions.create(RiskMatrix, by=by, name="NPSA 5 x 5", **ICB)
    category = actions.create(
        RiskCategory, by=by, matrix=matrix, code="finance", name="Finance", appetite=8
    )
    risk = actions.create(
        Risk,
        by=by,
        place=lancs,
        reference="LAN-R01",
        title="Pooled budget overspend",
        category=category,
        owner=director,
        inherent_likelihood=4,
        inherent_impact=5,
        current_likelihood=4,
        current_impact=4,
        target_likelihood=2,
        target_impact=3,
        review_date=D(2030, 3, 31),
    )
    delegation = actions.create(
        Delegation,
        by=by,
        place=lancs,
        function=primary_care,
        delegator=icb,
        delegate_post=director,
        via_body=place_board,
        phase=1,
        target_date=D(2025, 4, 1),
    )
    return Deal(
        admin,
        lancs_editor,
        lancs_viewer,
        bpl_editor,
        outsider,
        lancs,
        bpl,
        icb,
        county,
        director,
        place_board,
        bcf,
        primary_care,
        category,
        delegation,
        risk,
    )
