"""The reference implementation: plain Python, obviously correct, slow. The oracle for engines.

Group totals are sums of integer micro-units over the practices of each group; nothing else.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from placeworks.allocation.inputs import UNIT_COLUMNS


def group_totals(rows: Iterable[Mapping], membership: Mapping[str, str]) -> dict[str, dict]:
    """Sum each unit column, and count practices, by group."""
    totals: dict[str, dict] = {}
    for row in rows:
        group = membership.get(row["practice_code"])
        if group is None:
            continue
        entry = totals.setdefault(group, {"practices": 0, **dict.fromkeys(UNIT_COLUMNS, 0)})
        entry["practices"] += 1
        for column in UNIT_COLUMNS:
            entry[column] += int(row[column])
    return totals


def footprint_totals(rows: Iterable[Mapping], membership: Mapping[str, str]) -> dict:
    """Registered micro-persons by (group, footprint)."""
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        group = membership.get(row["practice_code"])
        if group is not None:
            totals[(group, row["footprint"])] += int(row["registered"])
    return dict(totals)
