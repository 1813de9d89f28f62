"""Readiness frameworks as data: ordered levels, criteria and assessments checked against them."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from placeworks.governance.readiness import FrameworkSpec

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


@pytest.fixture
def framework() -> FrameworkSpec:
    return FrameworkSpec(levels=LEVELS, criteria=CRITERIA)


def test_levels_are_ranked_least_ready_first(framework):
    assert [framework.rank(c) for c in ("emerging", "developing", "core", "advanced")] == [
        0,
        1,
        2,
        3,
    ]
    assert framework.level("core").name == "Core"
    with pytest.raises(ValueError, match="'mature' is not a level of this framework; its levels"):
        framework.rank("mature")


def test_a_place_is_as_ready_as_its_weakest_criterion(framework):
    assert framework.lowest({"leadership": "advanced", "finance": "developing"}).code == (
        "developing"
    )
    assert framework.lowest({}) is None


def test_assessments_name_known_levels_and_criteria(framework):
    framework.check_assessment("core", {"finance": "core"})
    with pytest.raises(ValueError, match="'workforce' is not a criterion of this framework"):
        framework.check_assessment("core", {"workforce": "core"})
    with pytest.raises(ValueError, match="criterion 'finance': 'great' is not a level"):
        framework.check_assessment("core", {"finance": "great"})
    with pytest.raises(ValueError, match="'great' is not a level"):
        framework.check_assessment("great", {})


@pytest.mark.parametrize(
    ("levels", "criteria", "message"),
    [
        (LEVELS[:1], CRITERIA, "at least 2 items"),
        (LEVELS, [], "at least 1 item"),
        ([*LEVELS, {"code": "core", "name": "Again"}], CRITERIA, "core repeat"),
        (LEVELS, [*CRITERIA, CRITERIA[0]], "each criterion code appears once"),
        ([{"code": "Core!", "name": "x"}, *LEVELS], CRITERIA, "String should match pattern"),
        ([{"code": "a", "name": " "}, *LEVELS], CRITERIA, "at least 1 character"),
    ],
)
def test_a_framework_is_validated_whole(levels, criteria, message):
    with pytest.raises(ValidationError, match=message):
        FrameworkSpec(levels=levels, criteria=criteria)
