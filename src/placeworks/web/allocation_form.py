"""The allocation page's form: the query string read, checked and turned into allocation configs.

Pure, like the presenters: no Django, no database. The form keeps every value as typed, so that it
can be shown again with its errors; each error names the input at fault by its id, which the
NHS.UK error summary links to.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, fields, replace
from decimal import Decimal, InvalidOperation

from pydantic import ValidationError

from placeworks.allocation import Blend, Config, Convergence, Historic, Method, Need, Population

SCENARIOS = 3
NO_SCENARIO = "none"
METHODS = ("population", "need", "historic", "blend", "convergence")
BASES = ("registered", "resident")
WEIGHTS = ("historic", "population", "need")
# Convergence bounds, as the method validates them, in per cent.
LOWEST_PERCENT = Decimal(-50)
HIGHEST_PERCENT = Decimal(100)
MOST_YEARS = 10
# The envelope is stored with 16 digits, two of them pence.
LARGEST_ENVELOPE = Decimal("99999999999999.99")
# No number anyone types is longer, or has more digits before or after the point; such a
# number (say 1e-999999) is refused before it is used.
LONGEST_NUMBER = 40


@dataclass(frozen=True)
class FieldError:
    field: str  # the id of the input at fault
    message: str


@dataclass(frozen=True)
class ScenarioFields:
    """One scenario's inputs, as typed."""

    number: int
    method: str = NO_SCENARIO
    basis: str = "registered"
    historic: str = ""
    population: str = ""
    need: str = ""
    years: str = ""
    uplift: str = ""
    floor: str = ""
    cap: str = ""

    def id(self, name: str) -> str:
        """The input's id and query name: ``s2-floor``."""
        return f"s{self.number}-{name}"

    @property
    def chosen(self) -> bool:
        return self.method != NO_SCENARIO


@dataclass(frozen=True)
class AllocationForm:
    """Every input of the allocation form, as typed. ``submitted``: the user asked for results."""

    year: str
    grouping: str
    function: str
    envelope: str
    baseline: str
    scenarios: tuple[ScenarioFields, ...]
    submitted: bool = False

    @classmethod
    def from_query(
        cls,
        query: Mapping[str, str],
        *,
        default_year: str,
        default_baseline: str = "",
    ) -> AllocationForm:
        """Read the form from a query string; without an envelope it has not been submitted.

        An unsubmitted form starts from the defaults: places, core services, one need scenario.
        """
        submitted = "envelope" in query

        def value(name: str, default: str = "") -> str:
            return str(query.get(name, default)).strip()

        scenarios = []
        for number in range(1, SCENARIOS + 1):
            blank = ScenarioFields(number)
            default_method = "need" if number == 1 and not submitted else NO_SCENARIO
            values = {
                f.name: value(blank.id(f.name), getattr(blank, f.name))
                for f in fields(ScenarioFields)
                if f.name != "number"
            }
            values["method"] = value(blank.id("method"), default_method) or NO_SCENARIO
            scenarios.append(replace(blank, **values))
        return cls(
            year=value("year", default_year),
            grouping=value("grouping", "places"),
            function=value("function", "core"),
            envelope=value("envelope"),
            baseline=value("baseline", default_baseline),
            scenarios=tuple(scenarios),
            submitted=submitted,
        )

    def query(self) -> dict[str, str]:
        """The form as query parameters (the chosen scenarios only)."""
        params = {
            "year": self.year,
            "grouping": self.grouping,
            "function": self.function,
            "envelope": self.envelope,
            "baseline": self.baseline,
        }
        for scenario in self.scenarios:
            if scenario.chosen:
                for f in fields(ScenarioFields):
                    if f.name != "number":
                        params[scenario.id(f.name)] = getattr(scenario, f.name)
        return params


@dataclass(frozen=True)
class Scenario:
    number: int
    method: Method

    @property
    def needs_baseline(self) -> bool:
        method = self.method
        return isinstance(method, Historic | Convergence) or (
            isinstance(method, Blend) and method.historic > 0
        )


@dataclass(frozen=True)
class AllocationRequest:
    """A checked form: what to allocate, and the scenarios to compare (the first is the base)."""

    year: str
    grouping: str
    function: str
    envelope: Decimal
    baseline: str | None
    scenarios: tuple[Scenario, ...]

    def config(self, icb: str, scenario: Scenario) -> Config:
        return Config(
            icb=icb,
            year=self.year,
            grouping=self.grouping,
            function=self.function,
            method=scenario.method,
            envelope=self.envelope,
        )


def validate(
    form: AllocationForm,
    *,
    years: Collection[str],
    groupings: Collection[str],
    functions: Collection[str],
    baselines: Collection[str],
) -> tuple[AllocationRequest | None, tuple[FieldError, ...]]:
    """The request the form makes, or ``None`` and every error found, in the form's order."""
    errors: list[FieldError] = []
    if form.year not in years:
        errors.append(FieldError("year", f"Choose a financial year: {', '.join(years)}"))
    if form.grouping not in groupings:
        errors.append(FieldError("grouping", "Choose how to group the practices"))
    if form.function not in functions:
        errors.append(FieldError("function", "Choose a delegated function"))
    envelope = _envelope(form.envelope, errors)
    scenarios = []
    for fields_ in form.scenarios:
        if not fields_.chosen and fields_.number > 1:
            continue
        method = _method(fields_, errors)
        if method is not None:
            scenarios.append(Scenario(fields_.number, method))
    baseline = None
    needing = [s.number for s in scenarios if s.needs_baseline]
    if needing:
        if form.baseline in baselines:
            baseline = form.baseline
        else:
            which = _numbers(needing)
            verb = "needs" if len(needing) == 1 else "need"
            if not baselines:
                message = (
                    f"{which} {verb} a historic baseline: upload one below, or choose the"
                    " population or need method"
                )
            else:
                message = f"{which} {verb} a historic baseline: choose one"
            errors.append(FieldError("baseline", message))
    if errors:
        return None, tuple(sorted(errors, key=_position))
    request = AllocationRequest(
        year=form.year,
        grouping=form.grouping,
        function=form.function,
        envelope=envelope,
        baseline=baseline,
        scenarios=tuple(scenarios),
    )
    return request, ()


def scenario_error(exc: Exception, scenario: Scenario) -> FieldError:
    """An allocation that could not be computed, as an error on the input most to blame."""
    text = str(exc)
    prefix = f"Scenario {scenario.number}"
    method = scenario.method
    if "baseline" in text or "footprint" in text:
        return FieldError("baseline", f"{prefix}: the historic baseline does not fit: {text}")
    if isinstance(method, Convergence):
        field = "cap" if "cap" in text else "floor" if "floor" in text else "years"
        return FieldError(
            f"s{scenario.number}-{field}",
            f"{prefix}: convergence is not possible with these settings ({text}). Change the"
            " floor, the cap or the envelope.",
        )
    if "resident" in text:
        return FieldError(f"s{scenario.number}-basis", f"{prefix}: {text}")
    return FieldError(f"s{scenario.number}-method", f"{prefix}: {text}")


# --- reading values ---------------------------------------------------------------------------


def _number(text: str, *symbols: str) -> Decimal | None:
    """A finite decimal from text such as ``£1,250.50`` or ``3 %``; None if it is not one."""
    cleaned = text.replace(",", "").replace(" ", "")
    for symbol in symbols:
        cleaned = cleaned.replace(symbol, "")
    if len(cleaned) > LONGEST_NUMBER:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite() or not -LONGEST_NUMBER <= value.adjusted() <= LONGEST_NUMBER:
        return None
    return value


def _envelope(text: str, errors: list[FieldError]) -> Decimal:
    example = "for example 250,000,000 or 1,250.50"
    if not text:
        errors.append(FieldError("envelope", f"Enter the envelope in pounds, {example}"))
        return Decimal(0)
    value = _number(text, "£")
    if value is None:
        errors.append(
            FieldError("envelope", f"The envelope must be an amount in pounds, {example}")
        )
    elif value <= 0:
        errors.append(FieldError("envelope", "The envelope must be more than £0"))
    elif value > LARGEST_ENVELOPE:
        errors.append(FieldError("envelope", f"The envelope must be at most £{LARGEST_ENVELOPE:,}"))
    elif value != value.quantize(Decimal("0.01")):
        errors.append(FieldError("envelope", "The envelope must be in pounds and pence"))
    else:
        return value.quantize(Decimal("0.01"))
    return Decimal(0)


def _method(scenario: ScenarioFields, errors: list[FieldError]) -> Method | None:
    prefix = f"Scenario {scenario.number}"
    if scenario.method not in METHODS:
        errors.append(FieldError(scenario.id("method"), f"{prefix}: choose a method"))
        return None
    before = len(errors)
    if scenario.method in ("population", "blend") and scenario.basis not in BASES:
        errors.append(
            FieldError(scenario.id("basis"), f"{prefix}: choose registered patients or residents")
        )
    if scenario.method == "population":
        arguments = {"basis": scenario.basis}
    elif scenario.method == "blend":
        arguments = _blend(scenario, errors) | {"basis": scenario.basis}
    elif scenario.method == "convergence":
        arguments = _convergence(scenario, errors)
    else:
        arguments = {}
    if len(errors) > before:
        return None
    try:
        return _build(scenario.method, arguments)
    except ValidationError as exc:  # pragma: no cover - the checks above match the method's
        message = "; ".join(e["msg"] for e in exc.errors())
        errors.append(FieldError(scenario.id("method"), f"{prefix}: {message}"))
        return None


def _build(method: str, arguments: dict) -> Method:
    kinds = {
        "population": Population,
        "need": Need,
        "historic": Historic,
        "blend": Blend,
        "convergence": Convergence,
    }
    return kinds[method](**arguments)


def _blend(scenario: ScenarioFields, errors: list[FieldError]) -> dict[str, Decimal]:
    prefix = f"Scenario {scenario.number}"
    weights: dict[str, Decimal] = {}
    for name in WEIGHTS:
        text = getattr(scenario, name)
        value = Decimal(0) if not text else _number(text)
        if value is None or not 0 <= value <= 1:
            errors.append(
                FieldError(
                    scenario.id(name),
                    f"{prefix}: the {name} weight must be a number from 0 to 1, like 0.5",
                )
            )
        else:
            weights[name] = value
    if len(weights) == len(WEIGHTS):
        total = sum(weights.values())
        if total != 1:
            errors.append(
                FieldError(
                    scenario.id("historic"),
                    f"{prefix}: the blend weights add up to {_plain(total)}; they must add up to 1",
                )
            )
    return weights


def _convergence(scenario: ScenarioFields, errors: list[FieldError]) -> dict:
    prefix = f"Scenario {scenario.number}"
    arguments: dict = {}
    years = scenario.years
    if years.isdigit() and 1 <= int(years) <= MOST_YEARS:
        arguments["years"] = int(years)
    else:
        errors.append(
            FieldError(
                scenario.id("years"),
                f"{prefix}: enter the number of years, a whole number from 1 to {MOST_YEARS}",
            )
        )
    labels = {"uplift": "uplift", "floor": "floor", "cap": "cap"}
    for name, label in labels.items():
        text = getattr(scenario, name)
        value = _number(text, "%") if text else None
        if value is None or not LOWEST_PERCENT <= value <= HIGHEST_PERCENT:
            errors.append(
                FieldError(
                    scenario.id(name),
                    f"{prefix}: enter the {label} as a percentage from {LOWEST_PERCENT} to"
                    f" {HIGHEST_PERCENT}, like 3",
                )
            )
        else:
            arguments[name] = value / 100
    if "floor" in arguments and "cap" in arguments and arguments["floor"] > arguments["cap"]:
        errors.append(
            FieldError(
                scenario.id("cap"),
                f"{prefix}: the cap ({_plain(arguments['cap'] * 100)}%) must be at least the"
                f" floor ({_plain(arguments['floor'] * 100)}%)",
            )
        )
    return arguments


# --- messages ---------------------------------------------------------------------------------

# The order of the inputs on the page, for the error summary.
_ORDER = ("year", "grouping", "function", "envelope", "baseline")
_SCENARIO_ORDER = ("method", "basis", *WEIGHTS, "years", "uplift", "floor", "cap")


def _position(error: FieldError) -> tuple[int, int, int]:
    if error.field in _ORDER:
        return (0, _ORDER.index(error.field), 0)
    number, _, name = error.field.partition("-")
    if number[1:].isdigit() and name in _SCENARIO_ORDER:
        return (1, int(number[1:]), _SCENARIO_ORDER.index(name))
    return (2, 0, 0)


def _numbers(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"Scenario {numbers[0]}"
    return "Scenarios " + ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"


def _plain(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros: ``Decimal("0.90")`` -> ``"0.9"``."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
