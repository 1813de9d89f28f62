"""Loading tables and reading results: the same types back from every engine."""

from __future__ import annotations

import datetime as dt

import ibis
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal


def test_loading_a_table_replaces_one_of_the_same_name(engine):
    engine.table("replaced", pd.DataFrame({"a": [1, 2, 3]}))
    t = engine.table("replaced", pd.DataFrame({"b": ["x"]}))
    assert t.columns == ("b",)
    assert_frame_equal(engine.execute(t), pd.DataFrame({"b": ["x"]}))


def test_an_empty_frame_loads_with_its_types(engine):
    frame = pd.DataFrame({"n": pd.Series([], dtype="Int64"), "s": pd.Series([], dtype="str")})
    t = engine.table("empty", frame)
    assert t.schema() == ibis.schema({"n": "int64", "s": "string"})
    assert engine.execute(t.count()).iat[0, 0] == 0


def test_results_have_the_types_ibis_declares(engine):
    """Integers and booleans come back as pandas' nullable dtypes; window ranks are int64."""
    frame = pd.DataFrame(
        {
            "n": pd.array([3, None, 1], dtype="Int64"),
            "small": pd.array([1, 2, None], dtype="Int8"),
            "flag": pd.array([True, None, False], dtype="boolean"),
            "x": [0.5, None, 2.0],
            "day": [dt.date(2025, 4, 1), None, dt.date(2026, 3, 31)],
            "at": pd.to_datetime(["2025-04-01 09:30", None, "2026-03-31 17:00"]),
        }
    )
    t = engine.table("typed", frame)
    result = engine.execute(t.mutate(rank=ibis.rank().over(order_by=t.x)).order_by("x"))
    assert result.dtypes.astype(str).to_dict() == {
        "n": "Int64",
        "small": "Int8",
        "flag": "boolean",
        "x": "float64",
        "day": "object",
        "at": "datetime64[us]",
        "rank": "Int64",
    }
    assert result["day"].tolist()[:2] == [dt.date(2025, 4, 1), dt.date(2026, 3, 31)]


@pytest.mark.engine_gap("spark", reason="Spark has no unsigned integer types")
def test_unsigned_integers_load(engine):
    t = engine.table("unsigned", pd.DataFrame({"u": pd.array([1, 2, None], dtype="UInt32")}))
    assert engine.execute(t.u.sum()).iat[0, 0] == 3
