"""The allocation form: the query read, checked and turned into configs (no database)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from placeworks.allocation import Blend, Convergence, Historic, Need, Population
from placeworks.web.allocation_form import (
    AllocationForm,
    FieldError,
    Scenario,
    scenario_error,
    validate,
)

YEARS = ("2023/24", "2024/25", "2025/26")
GROUPINGS = ("places", "localities", "pcns")
FUNCTIONS = ("core", "population_health")


def form(**query: str) -> AllocationForm:
    return AllocationForm.from_query(query, default_year="2025/26", default_baseline="example")


def submitted(**query: str) -> dict[str, str]:
    return {"envelope": "1,000,000", "s1-method": "need"} | query


def check(baselines=("example", "7"), **query: str):
    return validate(
        form(**submitted(**query)),
        years=YEARS,
        groupings=GROUPINGS,
        functions=FUNCTIONS,
        baselines=baselines,
    )


def errors_of(**query: str) -> dict[str, str]:
    request, errors = check(**query)
    assert request is None
    return {e.field: e.message for e in errors}


# --- reading the query -----------------------------------------------------------------------


class TestFromQuery:
    def test_an_empty_query_is_the_unsubmitted_defaults(self):
        empty = form()
        assert not empty.submitted
        assert (empty.year, empty.grouping, empty.function) == ("2025/26", "places", "core")
        assert (empty.envelope, empty.baseline) == ("", "example")
        assert [s.method for s in empty.scenarios] == ["need", "none", "none"]
        assert [s.number for s in empty.scenarios] == [1, 2, 3]

    def test_a_year_alone_keeps_it_unsubmitted(self):
        assert not form(year="2024/25").submitted
        assert form(year="2024/25").year == "2024/25"

    def test_values_are_read_and_trimmed(self):
        read = form(
            envelope=" £2,000 ",
            grouping="localities",
            **{"s2-method": "blend", "s2-historic": " 0.5 ", "s2-basis": "resident"},
        )
        assert read.submitted
        assert read.envelope == "£2,000"
        assert read.grouping == "localities"
        second = read.scenarios[1]
        assert (second.method, second.historic, second.basis) == ("blend", "0.5", "resident")
        assert second.id("floor") == "s2-floor"

    def test_submitted_without_a_first_method_has_none(self):
        assert form(envelope="1").scenarios[0].method == "none"

    def test_query_keeps_only_the_chosen_scenarios(self):
        query = form(**submitted(**{"s3-method": "historic", "s2-floor": "4"})).query()
        assert query["s1-method"] == "need"
        assert query["s3-method"] == "historic"
        assert "s2-method" not in query
        assert "s2-floor" not in query
        assert query["envelope"] == "1,000,000"
        assert form(**query).query() == query


# --- checking it -----------------------------------------------------------------------------


class TestValidate:
    def test_a_need_scenario_needs_no_baseline(self):
        request, errors = check(baseline="")
        assert errors == ()
        assert request.envelope == Decimal("1000000.00")
        assert request.baseline is None
        assert request.scenarios == (Scenario(1, Need()),)

    def test_need_against_historic(self):
        request, errors = check(**{"s2-method": "historic", "baseline": "7"})
        assert errors == ()
        assert [s.method for s in request.scenarios] == [Need(), Historic()]
        assert [s.needs_baseline for s in request.scenarios] == [False, True]
        assert request.baseline == "7"

    def test_every_method_is_built_from_its_fields(self):
        request, errors = check(
            **{
                "s1-method": "population",
                "s1-basis": "resident",
                "s2-method": "blend",
                "s2-historic": "0.25",
                "s2-need": "0.75",
                "s3-method": "convergence",
                "s3-years": "5",
                "s3-uplift": "3",
                "s3-floor": "-1.5%",
                "s3-cap": "6",
            }
        )
        assert errors == ()
        population, blend, converge = (s.method for s in request.scenarios)
        assert population == Population(basis="resident")
        assert blend == Blend(historic=Decimal("0.25"), need=Decimal("0.75"))
        assert converge == Convergence(
            years=5,
            uplift=Decimal("0.03"),
            floor=Decimal("-0.015"),
            cap=Decimal("0.06"),
        )

    def test_a_blend_without_history_needs_no_baseline(self):
        request, errors = check(
            baseline="", **{"s1-method": "blend", "s1-population": "0.5", "s1-need": "0.5"}
        )
        assert errors == ()
        assert not request.scenarios[0].needs_baseline

    def test_config_is_the_allocation_s(self):
        request, _ = check(grouping="localities", function="population_health")
        config = request.config("QE1", request.scenarios[0])
        assert (config.icb, config.year, config.grouping) == ("QE1", "2025/26", "localities")
        assert (config.function, config.envelope, config.method) == (
            "population_health",
            Decimal("1000000.00"),
            Need(),
        )

    @pytest.mark.parametrize(
        ("envelope", "message"),
        [
            ("", "Enter the envelope in pounds"),
            ("a lot", "The envelope must be an amount in pounds"),
            ("1e400", "The envelope must be an amount in pounds"),
            ("1e20", "The envelope must be at most £99,999,999,999,999.99"),
            ("NaN", "The envelope must be an amount in pounds"),
            ("0", "The envelope must be more than £0"),
            ("-5", "The envelope must be more than £0"),
            ("10.001", "The envelope must be in pounds and pence"),
            ("100,000,000,000,000", "The envelope must be at most £99,999,999,999,999.99"),
        ],
    )
    def test_an_invalid_envelope_is_named(self, envelope, message):
        assert errors_of(envelope=envelope)["envelope"].startswith(message)

    @pytest.mark.parametrize("envelope", ["£1,234.50", "1234.5", " 1 234.50 "])
    def test_an_envelope_may_be_written_as_people_do(self, envelope):
        request, errors = check(envelope=envelope)
        assert errors == ()
        assert request.envelope == Decimal("1234.50")

    def test_year_grouping_and_function_must_be_offered(self):
        errors = errors_of(year="2019/20", grouping="wards", function="dentistry")
        assert errors == {
            "year": "Choose a financial year: 2023/24, 2024/25, 2025/26",
            "grouping": "Choose how to group the practices",
            "function": "Choose a delegated function",
        }

    def test_the_first_scenario_needs_a_method(self):
        assert errors_of(**{"s1-method": "none"}) == {"s1-method": "Scenario 1: choose a method"}
        assert errors_of(**{"s2-method": "magic"}) == {"s2-method": "Scenario 2: choose a method"}

    def test_blend_weights_must_add_up_to_one(self):
        errors = errors_of(**{"s2-method": "blend", "s2-historic": "0.5", "s2-need": "0.4"})
        assert errors["s2-historic"] == (
            "Scenario 2: the blend weights add up to 0.9; they must add up to 1"
        )

    def test_blend_weights_are_numbers_from_zero_to_one(self):
        errors = errors_of(
            **{"s1-method": "blend", "s1-historic": "half", "s1-need": "1.5", "s1-basis": "x"}
        )
        assert errors == {
            "s1-basis": "Scenario 1: choose registered patients or residents",
            "s1-historic": "Scenario 1: the historic weight must be a number from 0 to 1, like 0.5",
            "s1-need": "Scenario 1: the need weight must be a number from 0 to 1, like 0.5",
        }

    def test_convergence_settings_are_each_checked(self):
        errors = errors_of(
            **{
                "s3-method": "convergence",
                "s3-years": "11",
                "s3-uplift": "",
                "s3-floor": "-60",
                "s3-cap": "lots",
            }
        )
        assert errors == {
            "s3-years": "Scenario 3: enter the number of years, a whole number from 1 to 10",
            "s3-uplift": "Scenario 3: enter the uplift as a percentage from -50 to 100, like 3",
            "s3-floor": "Scenario 3: enter the floor as a percentage from -50 to 100, like 3",
            "s3-cap": "Scenario 3: enter the cap as a percentage from -50 to 100, like 3",
        }

    def test_absurdly_long_numbers_are_refused(self):
        errors = errors_of(
            envelope="1" + "0" * 50,
            **{"s2-method": "blend", "s2-need": "1e-999999", "s2-historic": "1"},
        )
        assert errors["envelope"].startswith("The envelope must be an amount in pounds")
        assert errors["s2-need"].startswith("Scenario 2: the need weight must be a number")

    def test_the_floor_cannot_be_above_the_cap(self):
        errors = errors_of(
            **{
                "s2-method": "convergence",
                "s2-years": "3",
                "s2-uplift": "2",
                "s2-floor": "5",
                "s2-cap": "1.5",
            }
        )
        assert errors == {"s2-cap": "Scenario 2: the cap (1.5%) must be at least the floor (5%)"}

    def test_a_historic_scenario_needs_an_offered_baseline(self):
        assert errors_of(**{"s2-method": "historic", "baseline": "99"}) == {
            "baseline": "Scenario 2 needs a historic baseline: choose one"
        }

    def test_without_any_baseline_the_message_says_to_upload_one(self):
        request, errors = check(
            baselines=(), **{"s1-method": "historic", "s3-method": "historic", "baseline": ""}
        )
        assert request is None
        assert errors == (
            FieldError(
                "baseline",
                "Scenarios 1 and 3 need a historic baseline: upload one below, or choose the"
                " population or need method",
            ),
        )

    def test_errors_are_in_the_order_of_the_form(self):
        _, errors = check(
            envelope="x",
            year="1999",
            **{"s2-method": "blend", "s1-method": "nothing", "s2-need": "2"},
        )
        assert [e.field for e in errors] == ["year", "envelope", "s1-method", "s2-need"]


# --- allocations that cannot be computed -----------------------------------------------------


class TestScenarioError:
    def converge(self) -> Scenario:
        method = Convergence(years=3, uplift=Decimal("0.03"), floor=Decimal(0), cap=Decimal("0.05"))
        return Scenario(2, method)

    def test_an_unaffordable_floor_is_put_on_the_floor(self):
        error = scenario_error(
            ValueError("year 1: the floor (0.00% growth) needs 3,000.00 but the envelope is 1.00"),
            self.converge(),
        )
        assert error.field == "s2-floor"
        assert error.message.startswith("Scenario 2: convergence is not possible")
        assert "Change the floor, the cap or the envelope." in error.message

    def test_a_cap_that_cannot_take_the_envelope_is_put_on_the_cap(self):
        error = scenario_error(
            ValueError("year 2: the cap (5.00% growth) allows only"), self.converge()
        )
        assert error.field == "s2-cap"

    def test_other_convergence_problems_are_put_on_the_years(self):
        error = scenario_error(ValueError("no group with a need target"), self.converge())
        assert error.field == "s2-years"

    def test_a_resident_basis_on_practices_is_put_on_the_basis(self):
        error = scenario_error(
            ValueError("resident population needs a grouping made of areas; pcns is made of"),
            Scenario(1, Population(basis="resident")),
        )
        assert error == FieldError(
            "s1-basis",
            "Scenario 1: resident population needs a grouping made of areas; pcns is made of",
        )

    def test_a_baseline_that_does_not_fit_is_put_on_the_baseline(self):
        error = scenario_error(
            ValueError("b.csv: no baseline for footprints 00T of this ICB"), Scenario(3, Historic())
        )
        assert error.field == "baseline"
        assert error.message == (
            "Scenario 3: the historic baseline does not fit: b.csv: no baseline for footprints"
            " 00T of this ICB"
        )

    def test_anything_else_is_put_on_the_method(self):
        error = scenario_error(ValueError("weights add up to zero"), Scenario(1, Need()))
        assert error == FieldError("s1-method", "Scenario 1: weights add up to zero")
