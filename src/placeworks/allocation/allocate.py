"""Share a function's envelope between the groups of an ICB's practices.

``allocate(config)`` resolves the grouping, computes group totals (with an engine or the Python
reference), turns them into exact shares by the chosen method, and shares the envelope in whole
pence top-down along the grouping's levels, so that every level reconciles exactly.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from placeworks.allocation import convergence, nhse
from placeworks.allocation.baselines import Baseline
from placeworks.allocation.functions import Function, function
from placeworks.allocation.groupings import Grouping, resolve
from placeworks.allocation.inputs import MICRO, national_totals, practice_inputs
from placeworks.allocation.methods import Blend, Convergence, Historic, Method, Need, Population
from placeworks.allocation.money import largest_remainder, to_pence, to_pounds
from placeworks.allocation.totals import Totals
from placeworks.data import manifest

DEFAULT_SMALL_NUMBERS = 10_000


class AllocationError(ValueError):
    """The configuration cannot be computed (e.g. a method needs data the grouping lacks)."""


class Config(BaseModel):
    """Everything that determines an allocation, as data."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    icb: Annotated[str, Field(pattern=r"^Q[A-Z0-9]{2}$")]
    year: Annotated[str, Field(pattern=r"^20\d\d/\d\d$")]
    grouping: str
    function: str
    method: Method
    envelope: Annotated[Decimal, Field(gt=0, max_digits=16, decimal_places=2)]
    level: str | None = None
    small_numbers: Annotated[int, Field(ge=0)] = DEFAULT_SMALL_NUMBERS
    label: str | None = None


@dataclass(frozen=True)
class Row:
    group: str
    name: str
    parents: dict[str, str]
    practices: int
    registered_population: Decimal
    resident_population: int | None
    weighted_population: Decimal
    index_icb: Decimal
    index_england: Decimal
    share: Fraction
    amount: Decimal
    per_head: Decimal
    target: Decimal
    distance_from_target: Decimal | None  # per cent
    small_numbers: bool


@dataclass(frozen=True)
class Allocation:
    config: Config
    rows: tuple[Row, ...]
    inputs_hash: str
    vintage: dict
    warnings: tuple[str, ...] = ()
    path: tuple[tuple[Decimal, dict[str, Decimal]], ...] = ()  # convergence: (envelope, amounts)
    baseline: Baseline | None = None
    engine: str = "reference"
    levels: tuple[str, ...] = field(default=())

    @property
    def total(self) -> Decimal:
        return sum((row.amount for row in self.rows), Decimal(0))

    def amounts(self) -> dict[str, Decimal]:
        return {row.group: row.amount for row in self.rows}


def allocate(
    config: Config,
    *,
    totals: Totals | None = None,
    grouping: Grouping | None = None,
    baseline: Baseline | None = None,
) -> Allocation:
    """Compute an allocation. ``totals`` picks the engine (default: the Python reference)."""
    totals = totals or Totals()
    fn = function(config.function)
    grouping = grouping or resolve(config.grouping, config.icb, config.year)
    if grouping.icb != config.icb or grouping.year != config.year:
        raise AllocationError("the grouping is for another ICB or year")
    depth = grouping.level_index(config.level)
    frame = practice_inputs(config.year)
    frame = frame[frame["icb_code"] == config.icb]
    method = config.method
    if isinstance(method, Historic | Convergence) or (
        isinstance(method, Blend) and method.historic
    ):
        if baseline is None:
            raise AllocationError(f"the {method.method} method needs a historic baseline")
        _check_footprints(baseline, set(frame["footprint"]))
    per_level = []
    for level in range(depth + 1):
        membership = grouping.members(level)
        group_totals = totals.by_group(frame, membership)
        footprints = totals.by_footprint(frame, membership) if baseline else {}
        per_level.append((membership, group_totals, footprints))
    membership, finest, footprints = per_level[-1]
    icb_total = _sum_totals(finest)
    need = {g: _weighted(fn, t) for g, t in finest.items()}
    envelope = to_pence(config.envelope)
    warnings: list[str] = []
    path: tuple = ()
    if isinstance(method, Convergence):
        pence, path = _converge(method, fn, finest, footprints, baseline, envelope)
        warnings.append(
            f"convergence: amounts are year 1 of {method.years}; the path is in the results"
        )
    else:
        pence = _top_down(
            [_raw_weights(method, fn, t, f, baseline, grouping) for _, t, f in per_level],
            grouping,
            depth,
            envelope,
        )
    # Need targets are shared like any amount: to the penny, top-down, summing to the envelope.
    target_pence = _top_down(
        [_raw_weights(Need(), fn, t, f, baseline, grouping) for _, t, f in per_level],
        grouping,
        depth,
        envelope,
    )
    national = national_totals(config.year)
    rows = []
    need_total = sum(need.values())
    for group in sorted(finest):
        t = finest[group]
        registered = Decimal(t["registered"]) / MICRO
        target = Fraction(envelope) * need[group] / need_total
        amount = to_pounds(pence[group])
        small = registered < config.small_numbers
        rows.append(
            Row(
                group=group,
                name=grouping.names.get(group, group),
                parents={
                    grouping.levels[i]: grouping.paths[_first_member(membership, group)][i]
                    for i in range(depth)
                },
                practices=t["practices"],
                registered_population=registered.quantize(Decimal("0.1")),
                resident_population=grouping.resident.get(group),
                weighted_population=(
                    Decimal(need[group].numerator) / need[group].denominator / MICRO
                ).quantize(Decimal("0.1")),
                index_icb=_index(need[group], t["registered"], need_total, icb_total["registered"]),
                index_england=_index(
                    need[group], t["registered"], _weighted(fn, national), national["registered"]
                ),
                share=Fraction(pence[group], envelope),
                amount=amount,
                per_head=(amount / registered).quantize(Decimal("0.01"), ROUND_HALF_UP)
                if registered
                else Decimal(0),
                target=to_pounds(target_pence[group]),
                distance_from_target=_percent(Fraction(pence[group]) / target - 1)
                if target
                else None,
                small_numbers=small,
            )
        )
        if small:
            warnings.append(
                f"{group} has {registered:,.0f} registered patients, fewer than"
                f" {config.small_numbers:,}: its index may be unstable"
            )
    return Allocation(
        config=config,
        rows=tuple(rows),
        inputs_hash=inputs_hash(config, grouping, baseline),
        vintage=vintage(),
        warnings=tuple(warnings),
        path=tuple(
            (to_pounds(env), {g: to_pounds(p) for g, p in amounts.items()}) for env, amounts in path
        ),
        baseline=baseline,
        engine=totals.name,
        levels=grouping.levels[: depth + 1],
    )


def _first_member(membership: dict[str, str], group: str) -> str:
    return next(p for p, g in membership.items() if g == group)


def _sum_totals(group_totals: dict[str, dict]) -> dict[str, int]:
    keys = next(iter(group_totals.values())).keys()
    return {k: sum(t[k] for t in group_totals.values()) for k in keys}


def _weighted(fn: Function, t: dict) -> Fraction:
    """The function's weighted population (micro-persons) from component totals."""
    return sum((Fraction(weight) * t[c] for c, weight in fn.need.items()), Fraction(0))


def _index(group_wp: Fraction, group_pop: int, base_wp: Fraction, base_pop: int) -> Decimal:
    if not group_pop or not base_wp:
        return Decimal(0)
    value = (group_wp / group_pop) / (base_wp / base_pop)
    return _decimal(value).quantize(Decimal("0.001"), ROUND_HALF_UP)


def _percent(value: Fraction) -> Decimal:
    """A ratio as a percentage to two decimals, half up, never "-0.00"."""
    result = (_decimal(value) * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return result + 0 if result else Decimal("0.00")


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def _check_footprints(baseline: Baseline, present: set[str]) -> None:
    missing = sorted(present - set(baseline.amounts))
    if missing:
        raise AllocationError(
            f"{baseline.source}: no baseline for footprints {', '.join(missing)} of this ICB"
        )
    unknown = sorted(set(baseline.amounts) - present)
    if unknown:
        raise AllocationError(
            f"{baseline.source}: footprints {', '.join(unknown)} have no practices in this ICB"
        )


def _historic_weights(footprints: dict, baseline: Baseline) -> dict[str, Fraction]:
    """Each footprint's budget spread over its groups by registered population."""
    by_footprint: dict[str, int] = {}
    for (_, footprint), registered in footprints.items():
        by_footprint[footprint] = by_footprint.get(footprint, 0) + registered
    weights: dict[str, Fraction] = {}
    for (group, footprint), registered in footprints.items():
        budget = Fraction(baseline.amounts[footprint])
        weights[group] = (
            weights.get(group, Fraction(0)) + budget * registered / by_footprint[footprint]
        )
    return weights


def _shares(weights: dict[str, Fraction]) -> dict[str, Fraction]:
    total = sum(weights.values())
    if total == 0:
        raise AllocationError("the method's weights add up to zero for this grouping")
    return {g: w / total for g, w in weights.items()}


def _raw_weights(method, fn, group_totals, footprints, baseline, grouping) -> dict[str, Fraction]:
    """Each group's exact share of the envelope under ``method`` (shares sum to 1)."""
    if isinstance(method, Need):
        return _shares({g: _weighted(fn, t) for g, t in group_totals.items()})
    if isinstance(method, Population):
        return _shares(_population(method.basis, group_totals, grouping))
    if isinstance(method, Historic):
        return _shares(_historic_weights(footprints, baseline))
    if isinstance(method, Blend):
        parts = []
        if method.need:
            parts.append(
                (method.need, _shares({g: _weighted(fn, t) for g, t in group_totals.items()}))
            )
        if method.population:
            parts.append(
                (method.population, _shares(_population(method.basis, group_totals, grouping)))
            )
        if method.historic:
            parts.append((method.historic, _shares(_historic_weights(footprints, baseline))))
        return {g: sum((Fraction(w) * s[g] for w, s in parts), Fraction(0)) for g in group_totals}
    raise AllocationError(f"{method.method} cannot be shared top-down")


def _population(basis: str, group_totals: dict, grouping: Grouping) -> dict[str, Fraction]:
    if basis == "registered":
        return {g: Fraction(t["registered"]) for g, t in group_totals.items()}
    resident = {g: grouping.resident.get(g) for g in group_totals}
    if any(v is None for v in resident.values()):
        raise AllocationError(
            f"resident population needs a grouping made of areas; {grouping.name} is made of"
            " practices (use the registered population)"
        )
    return {g: Fraction(v) for g, v in resident.items()}


def _top_down(levels, grouping: Grouping, depth: int, envelope: int) -> dict[str, int]:
    """Share the envelope at the top level, then each group's amount among its children."""
    pence = largest_remainder(envelope, levels[0])
    for level in range(1, depth + 1):
        weights = levels[level]
        parent_of = {path[level]: path[level - 1] for path in grouping.paths.values()}
        next_pence: dict[str, int] = {}
        for parent, amount in pence.items():
            children = {c: weights[c] for c in weights if parent_of[c] == parent}
            if sum(children.values()) == 0:
                children = dict.fromkeys(children, 1)
            next_pence |= largest_remainder(amount, children)
        pence = next_pence
    return pence


def _converge(method: Convergence, fn, group_totals, footprints, baseline, envelope):
    """Year 0 is the historic baseline itself, spread over the groups; year 1 has the envelope.

    The returned amounts are year 1's; the path holds every year's envelope and amounts.
    """
    historic = _historic_weights(footprints, baseline)
    start = largest_remainder(to_pence(baseline.total), historic)
    need_shares = _shares({g: _weighted(fn, t) for g, t in group_totals.items()})
    path = convergence.path(
        start,
        need_shares,
        envelope,
        method.years,
        Fraction(method.uplift),
        Fraction(method.floor),
        Fraction(method.cap),
    )
    try:
        first = path[0][1]
    except IndexError:  # pragma: no cover - years >= 1 is validated
        raise AllocationError("no convergence years") from None
    return first, path


def vintage() -> dict:
    """What data an allocation used: the weighted populations table and its sources."""
    entry = manifest()["tables"]["weighted_populations"]
    return {
        "table": "weighted_populations",
        "sha256": entry["sha256"],
        "sources": {s["path"]: s["vintage"] for s in entry["sources"]},
    }


def inputs_hash(config: Config, grouping: Grouping, baseline: Baseline | None) -> str:
    """sha256 of everything an allocation depends on, so a re-run can be checked to the penny."""
    payload = {
        "config": config.model_dump(mode="json"),
        "paths": sorted((p, list(path)) for p, path in grouping.paths.items()),
        "baseline": None
        if baseline is None
        else sorted((k, str(v)) for k, v in baseline.amounts.items()),
        "vintage": vintage()["sha256"],
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


__all__ = ["Allocation", "AllocationError", "Config", "Row", "allocate", "nhse"]
