"""Every engine agrees with a plain Python oracle on grouped integer sums of random frames."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

# Amounts up to £10bn in micro-units: sums pass 2**53 but stay far inside int64.
AMOUNT = st.integers(min_value=-(10**16), max_value=10**16)
ROWS = st.lists(
    st.tuples(st.sampled_from(["A", "B", "C", None]), st.none() | AMOUNT),
    max_size=40,
)


def oracle(rows: list[tuple[str | None, int | None]]) -> dict[str | None, int | None]:
    """Each group's sum of its known amounts; None for a group with none known."""
    totals: dict[str | None, int | None] = {}
    for key, amount in rows:
        totals.setdefault(key, None)
        if amount is not None:
            totals[key] = (totals[key] or 0) + amount
    return totals


@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
)
@given(rows=ROWS)
def test_grouped_sums_match_the_oracle(engine, rows):
    frame = pd.DataFrame(
        {
            "key": pd.Series([key for key, _ in rows], dtype="str"),
            "amount": pd.array([amount for _, amount in rows], dtype="Int64"),
        }
    )
    t = engine.table("random", frame)
    result = engine.execute(t.group_by("key").aggregate(total=t.amount.sum()))
    found = {
        (None if pd.isna(key) else key): (None if pd.isna(total) else int(total))
        for key, total in zip(result["key"], result["total"], strict=True)
    }
    assert found == oracle(rows)
