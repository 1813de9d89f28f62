"""Spec tests: the behaviour of placeworks' engines, written once and run on every engine.

Each test takes the `engine` fixture and so runs once per engine, `[duckdb]` and `[spark]`.

Which engines run
    DuckDB always. The Spark runs carry the `spark` marker and are *deselected* (pytest reports
    them as deselected, never as skipped) unless the run's marker expression names `spark`, so
    plain `pytest` needs no JVM and no extra, and CI runs the Spark half with
    `pytest -m spark tests/spec` after `uv sync --extra spark`. A hook, rather than
    `-m "not spark"` in addopts, keeps `-m` free for other uses: `-m "not browser"` does not
    pull the Spark runs in by accident.

Known gaps
    `@pytest.mark.engine_gap("spark", reason="...")` marks the runs on those engines as
    expected failures with that reason, strictly: once the gap closes the test fails until the
    mark goes.
"""

from __future__ import annotations

import pytest

from placeworks.engine import connect


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    spark_selected = "spark" in (config.option.markexpr or "")
    kept, deselected = [], []
    for item in items:
        if item.get_closest_marker("spark") and not spark_selected:
            deselected.append(item)
            continue
        kept.append(item)
        engine = item.callspec.params.get("engine") if hasattr(item, "callspec") else None
        for gap in item.iter_markers("engine_gap"):
            if engine in gap.args:
                reason = f"{engine}: {gap.kwargs['reason']}"
                item.add_marker(pytest.mark.xfail(reason=reason, strict=True))
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


SPARK = pytest.param(
    "spark",
    marks=[
        pytest.mark.spark,
        # PySpark leaves the socket it reads results from for the garbage collector to close
        # (`pyspark.util._load_from_socket`), which warns; only in the Spark runs.
        pytest.mark.filterwarnings("ignore:unclosed <socket.socket:ResourceWarning"),
    ],
)


@pytest.fixture(scope="session", params=["duckdb", SPARK])
def engine(request: pytest.FixtureRequest):
    """One engine per backend for the whole run (a Spark session takes seconds to start)."""
    with connect(request.param) as engine:
        yield engine
