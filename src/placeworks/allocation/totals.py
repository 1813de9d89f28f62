"""Group totals computed by an engine (ibis: DuckDB by default, Spark optionally)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from placeworks.allocation import reference
from placeworks.allocation.inputs import UNIT_COLUMNS


class Totals:
    """Computes sums by group, with an engine or with the Python reference."""

    def __init__(self, engine=None):
        self.engine = engine  # None: the reference implementation

    @property
    def name(self) -> str:
        return "reference" if self.engine is None else self.engine.name

    def by_group(self, frame: pd.DataFrame, membership: Mapping[str, str]) -> dict[str, dict]:
        if self.engine is None:
            return reference.group_totals(frame.to_dict("records"), membership)
        joined = self._joined(frame, membership)
        aggregates = {"practices": joined.practice_code.count()}
        aggregates |= {c: joined[c].sum() for c in UNIT_COLUMNS}
        result = self.engine.execute(joined.group_by("group").aggregate(**aggregates))
        return {
            row["group"]: {"practices": int(row["practices"])}
            | {c: int(row[c]) for c in UNIT_COLUMNS}
            for row in result.to_dict("records")
        }

    def by_footprint(self, frame: pd.DataFrame, membership: Mapping[str, str]) -> dict:
        if self.engine is None:
            return reference.footprint_totals(frame.to_dict("records"), membership)
        joined = self._joined(frame, membership)
        expr = joined.group_by(["group", "footprint"]).aggregate(registered=joined.registered.sum())
        result = self.engine.execute(expr)
        return {
            (r["group"], r["footprint"]): int(r["registered"]) for r in result.to_dict("records")
        }

    def _joined(self, frame: pd.DataFrame, membership: Mapping[str, str]):
        practices = self.engine.table("practices", frame)
        groups = self.engine.table(
            "membership",
            pd.DataFrame({"practice_code": list(membership), "group": list(membership.values())}),
        )
        return practices.join(groups, "practice_code")
