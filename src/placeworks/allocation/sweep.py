"""Need allocations at national scale: every function, every grouping, every ICB, every year.

``allocate(config)`` computes one allocation with its full explanation. A *sweep* computes only
the pence, for many allocations at once, and is built for that:

* ``memberships(years, groupings)`` — every practice's group in every shipped grouping of every
  ICB (the slow, geography part: compute it once and reuse it, it is a plain data frame);
* ``need_sweep(membership)`` — one query for the group totals of every (year, ICB, grouping,
  group), on an engine or with pandas, then the need method's top-down largest-remainder shares
  in plain Python integers.

Each allocation shares an envelope of the ICB's registered persons times ``envelope_per_head``
(rounded half up to the penny) and gives, to the penny, the amounts ``allocate`` gives for the
same year, ICB, grouping and function with ``method=Need()`` and that envelope.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from itertools import groupby
from typing import TYPE_CHECKING

import pandas as pd

from placeworks.allocation.functions import Function, functions
from placeworks.allocation.groupings import SHIPPED, shipped
from placeworks.allocation.inputs import MICRO, UNIT_COLUMNS, practice_inputs
from placeworks.geography import icbs as all_icbs

if TYPE_CHECKING:
    from placeworks.engine import Engine

KEYS = ("year", "icb_code", "grouping")
MEMBERSHIP_COLUMNS = (*KEYS, "group", "practice_code")
TOTAL_COLUMNS = (*KEYS, "group", "practices", *UNIT_COLUMNS)
RESULT_COLUMNS = (*KEYS, "function", "group", "pence")


def memberships(
    years: Iterable[str], groupings: Iterable[str] = SHIPPED, icbs: Iterable[str] | None = None
) -> pd.DataFrame:
    """Every practice's finest group in each shipped grouping of each ICB (default: all of them).

    Columns: year, icb_code, grouping, group, practice_code, and path: the practice's group codes
    from the grouping's top level down to ``group`` (a tuple; any sequence is accepted back, so
    the frame can be stored and reloaded). One row per (year, grouping, practice).
    """
    groupings = tuple(groupings)
    records = []
    for year in years:
        codes = [s.code for s in all_icbs(year)] if icbs is None else list(icbs)
        for icb in codes:
            for name in groupings:
                paths = shipped(icb, year, name).paths
                records.extend(
                    (year, icb, name, path[-1], practice, path) for practice, path in paths.items()
                )
    return pd.DataFrame.from_records(records, columns=[*MEMBERSHIP_COLUMNS, "path"])


def need_sweep(
    membership: pd.DataFrame,
    *,
    totals_engine: Engine | None = None,
    envelope_per_head: Decimal = Decimal("1000"),
) -> pd.DataFrame:
    """Each function's need allocation for every (year, ICB, grouping) of ``membership``.

    Group totals come from one query on ``totals_engine`` (an ibis engine), or from pandas when
    it is ``None``. Columns: year, icb_code, grouping, function, group, pence (int); sorted by
    year, ICB and grouping, then functions in ``functions()`` order, then group.
    """
    years = sorted(set(membership["year"]))
    inputs = stacked_inputs(years)
    if totals_engine is None:
        totals = group_totals_pandas(membership, inputs)
    else:
        totals = group_totals_engine(membership, inputs, totals_engine)
    return shares(totals, group_paths(membership), icb_envelopes(inputs, envelope_per_head))


def stacked_inputs(years: Iterable[str]) -> pd.DataFrame:
    """``practice_inputs`` of every year, one under another, with a year column."""
    frames = []
    for year in years:
        frame = practice_inputs(year)[["practice_code", "icb_code", *UNIT_COLUMNS]]
        frames.append(frame.assign(year=year))
    return pd.concat(frames, ignore_index=True)


def icb_envelopes(inputs: pd.DataFrame, per_head: Decimal) -> dict[tuple[str, str], int]:
    """(year, ICB) -> the ICB's registered persons times ``per_head``, in pence (half up)."""
    per_head_pence = Fraction(per_head) * 100
    if per_head_pence <= 0:
        raise ValueError("the envelope per head must be positive")
    registered = inputs.groupby(["year", "icb_code"])["registered"].sum()
    num, den = per_head_pence.numerator, per_head_pence.denominator * MICRO
    return {key: (2 * int(micro) * num + den) // (2 * den) for key, micro in registered.items()}


def group_totals_pandas(membership: pd.DataFrame, inputs: pd.DataFrame) -> pd.DataFrame:
    """Practices and micro-unit sums by (year, ICB, grouping, group), with pandas."""
    joined = membership[list(MEMBERSHIP_COLUMNS)].merge(
        inputs, on=["year", "icb_code", "practice_code"], how="inner"
    )
    grouped = joined.groupby([*KEYS, "group"], sort=False)
    totals = grouped[list(UNIT_COLUMNS)].sum()
    totals.insert(0, "practices", grouped.size())
    return _tidy(totals.reset_index())


def group_totals_engine(
    membership: pd.DataFrame, inputs: pd.DataFrame, engine: Engine
) -> pd.DataFrame:
    """The same totals as ``group_totals_pandas``, in one query on an ibis engine."""
    practices = engine.table("sweep_inputs", inputs)
    groups = engine.table("sweep_membership", membership[list(MEMBERSHIP_COLUMNS)])
    joined = groups.join(practices, ["year", "icb_code", "practice_code"])
    aggregates = {"practices": joined.practice_code.count()}
    aggregates |= {c: joined[c].sum() for c in UNIT_COLUMNS}
    expr = joined.group_by([*KEYS, "group"]).aggregate(**aggregates)
    return _tidy(engine.execute(expr))


def _tidy(totals: pd.DataFrame) -> pd.DataFrame:
    """Plain int64 counts and sums (no nulls: every group has a practice), in key order."""
    counts = dict.fromkeys(("practices", *UNIT_COLUMNS), "int64")
    totals = totals[list(TOTAL_COLUMNS)].astype(counts)
    return totals.sort_values([*KEYS, "group"], ignore_index=True)


def group_paths(membership: pd.DataFrame) -> dict[tuple, tuple[str, ...]]:
    """(year, ICB, grouping, group) -> the group's path; refuses a group with two paths."""
    paths: dict[tuple, tuple[str, ...]] = {}
    columns = [membership[c].tolist() for c in (*KEYS, "group", "path")]
    for year, icb, grouping, group, path in zip(*columns, strict=True):
        key = (year, icb, grouping, group)
        path = tuple(path)
        if paths.setdefault(key, path) != path:
            raise ValueError(f"{key}: group {group} sits under both {paths[key]} and {path}")
    return paths


def integer_weights(fn: Function) -> dict[str, int]:
    """The function's component weights times their common denominator: whole numbers."""
    exact = {c: Fraction(w) for c, w in fn.need.items()}
    scale = math.lcm(*(w.denominator for w in exact.values()))
    return {c: int(w * scale) for c, w in exact.items()}


def shares(
    totals: pd.DataFrame,
    paths: dict[tuple, tuple[str, ...]],
    envelopes: dict[tuple[str, str], int],
) -> pd.DataFrame:
    """The money step: each function's envelope shared top-down along each grouping's levels.

    ``totals`` as ``group_totals_*`` give them (sorted by year, ICB, grouping, group), ``paths``
    as ``group_paths`` and ``envelopes`` as ``icb_envelopes``. Weights are the function's
    weighted population in micro-persons times a common denominator, so everything stays in
    Python integers; every split is the largest remainder method exactly as
    ``money.largest_remainder`` does it.
    """
    columns = [totals[c].tolist() for c in (*KEYS, "group")]
    units = {c: totals[c].tolist() for c in UNIT_COLUMNS}
    # Each function's weighted population for every group, whole numbers.
    weighted = {code: _weighted(integer_weights(fn), units) for code, fn in functions().items()}
    out: dict[str, list] = {c: [] for c in RESULT_COLUMNS}
    start = 0
    for key, block in groupby(zip(*columns, strict=True), key=lambda row: row[:3]):
        groups = [row[3] for row in block]
        end = start + len(groups)
        plan = _Plan([paths[(*key, g)] for g in groups])
        envelope = envelopes[key[:2]]
        count = len(groups) * len(weighted)
        for column, value in zip(KEYS, key, strict=True):
            out[column].extend([value] * count)
        for code, weights in weighted.items():
            out["function"].extend([code] * len(groups))
            out["group"].extend(groups)
            out["pence"].extend(plan.split(envelope, weights[start:end]))
        start = end
    result = pd.DataFrame(out)
    result["pence"] = result["pence"].astype("int64")
    return result


def _weighted(weights: dict[str, int], units: dict[str, list[int]]) -> list[int]:
    """sum(weight * component) for every row, in integers."""
    (first, k), *rest = weights.items()
    total = units[first] if k == 1 else [k * value for value in units[first]]
    for component, k in rest:
        total = [t + k * value for t, value in zip(total, units[component], strict=True)]
    return total


class _Plan:
    """One grouping's levels as indices: which node each finest group sits under, per level."""

    def __init__(self, paths: Sequence[tuple[str, ...]]) -> None:
        depth = {len(p) for p in paths}
        if len(depth) != 1:
            raise ValueError("a grouping's paths must all have the same number of levels")
        self.depth = depth.pop()
        # nodes[level]: the codes at that level; up[level][i]: finest group i's node there.
        self.nodes: list[list[str]] = []
        self.up: list[list[int]] = []
        for level in range(self.depth):
            codes = sorted({p[level] for p in paths})
            position = {code: n for n, code in enumerate(codes)}
            self.nodes.append(codes)
            self.up.append([position[p[level]] for p in paths])
        finest = self.up[-1]  # a permutation: the paths' last codes are distinct groups
        self.finest = finest
        self.in_order = finest == list(range(len(finest)))
        # children[level]: (node at level - 1, its nodes at ``level``, their codes).
        self.children: list[list[tuple[int, list[int], list[str]]]] = [[]]
        for level in range(1, self.depth):
            parent_of: dict[int, int] = {}
            for child, parent in zip(self.up[level], self.up[level - 1], strict=True):
                if parent_of.setdefault(child, parent) != parent:
                    code = self.nodes[level][child]
                    raise ValueError(f"group {code} sits under two groups of the level above")
            under: list[list[int]] = [[] for _ in self.nodes[level - 1]]
            for child in sorted(parent_of):
                under[parent_of[child]].append(child)
            codes = self.nodes[level]
            self.children.append(
                [
                    (parent, kids, [codes[c] for c in kids])
                    for parent, kids in enumerate(under)
                    if kids
                ]
            )

    def split(self, envelope: int, weights: list[int]) -> list[int]:
        """Pence per finest group (in the order of the paths), shared top-down."""
        level_weights = []
        for level in range(self.depth):
            if level == self.depth - 1 and self.in_order:
                level_weights.append(weights)
                continue
            summed = [0] * len(self.nodes[level])
            for node, weight in zip(self.up[level], weights, strict=True):
                summed[node] += weight
            level_weights.append(summed)
        if sum(level_weights[0]) == 0:
            raise ValueError("the need weights add up to zero for this grouping")
        pence = largest_remainder(envelope, self.nodes[0], level_weights[0])
        for level in range(1, self.depth):
            summed = level_weights[level]
            below = [0] * len(summed)
            for parent, children, codes in self.children[level]:
                child_weights = [summed[c] for c in children]
                if sum(child_weights) == 0:
                    child_weights = [1] * len(children)
                amounts = largest_remainder(pence[parent], codes, child_weights)
                for child, amount in zip(children, amounts, strict=True):
                    below[child] = amount
            pence = below
        if self.in_order:
            return pence
        return [pence[node] for node in self.finest]


def largest_remainder(total: int, keys: Sequence[str], weights: Sequence[int]) -> list[int]:
    """``money.largest_remainder`` for whole-number weights, in integers only.

    Each part gets the whole pence below ``total * weight / sum(weights)``; the pence left go to
    the largest remainders, ties to the earlier key. Returns the parts in the order of ``keys``.
    """
    if total < 0:
        raise ValueError("the total must not be negative")
    if not keys:
        raise ValueError("nothing to share between")
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    whole = sum(weights)
    if whole == 0:
        raise ValueError("the weights add up to zero")
    parts = []
    remainders = []
    for weight in weights:
        part, remainder = divmod(total * weight, whole)
        parts.append(part)
        remainders.append(remainder)
    left = total - sum(parts)
    if left:
        order = sorted(range(len(keys)), key=lambda i: (-remainders[i], keys[i]))
        for i in order[:left]:
            parts[i] += 1
    return parts


def allocation_count(result: pd.DataFrame) -> int:
    """How many allocations (year, ICB, grouping, function) a sweep's result holds."""
    return len(result.drop_duplicates([*KEYS, "function"]))


__all__ = [
    "RESULT_COLUMNS",
    "allocation_count",
    "group_paths",
    "group_totals_engine",
    "group_totals_pandas",
    "icb_envelopes",
    "largest_remainder",
    "memberships",
    "need_sweep",
    "shares",
    "stacked_inputs",
]
