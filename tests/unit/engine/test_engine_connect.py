"""Choosing an engine: the default, unknown names, and Spark without its extra."""

from __future__ import annotations

import subprocess
import sys
from importlib.util import find_spec

import pandas as pd
import pytest

from placeworks import engine as engines
from placeworks.engine import spark as spark_engine


def test_duckdb_is_the_default_and_always_available():
    assert "duckdb" in engines.available_backends()
    with engines.connect() as engine:
        assert engine.name == "duckdb"
        t = engine.table("t", pd.DataFrame({"a": [1, 2]}))
        assert engine.execute(t.a.sum()).iat[0, 0] == 3


def test_spark_is_available_exactly_when_pyspark_is_installed():
    assert ("spark" in engines.available_backends()) == (find_spec("pyspark") is not None)


def test_an_unknown_backend_names_the_known_ones():
    with pytest.raises(ValueError, match=r"unknown backend 'postgres': choose one of"):
        engines.connect("postgres")


def test_spark_without_pyspark_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    # Bypass the process-wide session cache, which a Spark run may already hold.
    monkeypatch.setattr(spark_engine, "session", spark_engine.session.__wrapped__)
    with pytest.raises(engines.EngineUnavailable, match=r"placeworks\[spark\].*--extra spark"):
        engines.connect("spark")


def test_importing_the_engines_does_not_import_pyspark():
    code = "import sys, placeworks.engine, placeworks.engine.spark; print('pyspark' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
