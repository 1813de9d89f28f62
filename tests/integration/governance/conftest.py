"""A small register for Lancashire and South Cumbria: two places, people with roles, and the
records the Lancashire Place Integration Deal starts from."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model

from placeworks.governance import actions
from placeworks.governance.models import (
    Body,
    Function,
    Organisation,
    Place,
    Post,
    ReadinessFramework,
    Role,
)

ICB_WIDE = {"icb_code": "QE1"}
LEVELS = [
    {"code": "emerging", "name": "Emerging"},
    {"code": "developing", "name": "Developing"},
    {"code": "core", "name": "Core"},
    {"code": "advanced", "name": "Advanced"},
]
CRITERIA = [
    {"code": "leadership", "name": "Leadership and governance"},
    {"code": "finance", "name": "Finance"},
]


@dataclass
class People:
    admin: object  # ICB-wide administrator of QE1
    icb_editor: object  # ICB-wide editor of QE1
    lancs_editor: object  # editor of Lancashire
    bpl_editor: object  # editor of Blackpool
    lancs_viewer: object  # viewer of Lancashire
    outsider: object  # no role at all


@dataclass
class Register:
    lancs: Place
    bpl: Place
    icb: Organisation
    county: Organisation
    west_lancs: Organisation
    director: Post
    place_board: Body
    icb_board: Body
    bcf: Function
    population_health: Function
    framework: ReadinessFramework


def make_user(name: str):
    return get_user_model().objects.create_user(name)  # no password: hashing is slow


def organisation(by, name, kind, system, code, place=None, **other) -> Organisation:
    scope = {"place": place} if place is not None else ICB_WIDE
    return actions.create(
        Organisation,
        by=by,
        name=name,
        kind=kind,
        code_system=system,
        code=code,
        **scope,
        **other,
    )


@pytest.fixture
def people(db) -> People:
    admin = make_user("icb-admin")
    actions.grant_first_administrator(admin, "QE1")
    actions.create(Place, by=admin, code="QE1-LAN", name="Lancashire", icb_code="QE1")
    actions.create(Place, by=admin, code="QE1-BPL", name="Blackpool", icb_code="QE1")
    lancs, bpl = Place.objects.get(code="QE1-LAN"), Place.objects.get(code="QE1-BPL")
    found = People(
        admin=admin,
        icb_editor=make_user("icb-editor"),
        lancs_editor=make_user("lancs-editor"),
        bpl_editor=make_user("bpl-editor"),
        lancs_viewer=make_user("lancs-viewer"),
        outsider=make_user("outsider"),
    )
    actions.grant_role(found.icb_editor, Role.Level.EDITOR, by=admin, icb_code="QE1")
    actions.grant_role(found.lancs_editor, Role.Level.EDITOR, by=admin, place=lancs)
    actions.grant_role(found.bpl_editor, Role.Level.EDITOR, by=admin, place=bpl)
    actions.grant_role(found.lancs_viewer, Role.Level.VIEWER, by=admin, place=lancs)
    return found


@pytest.fixture
def register(people) -> Register:
    by = people.icb_editor
    lancs = Place.objects.get(code="QE1-LAN")
    bpl = Place.objects.get(code="QE1-BPL")
    icb = organisation(
        by,
        "NHS Lancashire and South Cumbria ICB",
        "icb",
        "ods",
        "QE1",
        valid_from=datetime.date(2022, 7, 1),
    )
    county = organisation(by, "Lancashire County Council", "county_council", "gss", "E10000017")
    west_lancs = organisation(
        by, "West Lancashire Borough Council", "district_council", "gss", "E07000127", lancs
    )
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
    icb_board = actions.create(
        Body, by=by, name="ICB Board", kind="icb_board", organisation=icb, **ICB_WIDE
    )
    bcf = actions.create(
        Function, by=by, code="better_care_fund", name="Better Care Fund", **ICB_WIDE
    )
    population_health = actions.create(
        Function, by=by, code="population_health", name="Population Health", **ICB_WIDE
    )
    framework = actions.create(
        ReadinessFramework,
        by=by,
        name="System readiness framework",
        levels=LEVELS,
        criteria=CRITERIA,
        **ICB_WIDE,
    )
    return Register(
        lancs=lancs,
        bpl=bpl,
        icb=icb,
        county=county,
        west_lancs=west_lancs,
        director=director,
        place_board=place_board,
        icb_board=icb_board,
        bcf=bcf,
        population_health=population_health,
        framework=framework,
    )


@pytest.fixture
def make_organisation():
    """``make_organisation(by, name, kind, code system, code, place=None, **other)``."""
    return organisation
