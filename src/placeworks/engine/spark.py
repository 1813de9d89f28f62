"""The scale-out engine: PySpark in local mode (the `spark` extra).

PySpark is imported only when a Spark engine is made. Every Spark engine in a process shares one
session (starting a JVM takes seconds); an engine's tables are temporary views in that session,
dropped when the engine closes.
"""

from __future__ import annotations

import atexit
import functools
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import ibis
import pandas as pd
import pyarrow as pa

from placeworks.engine.base import Engine, EngineUnavailable

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

INSTALL_HINT = (
    "the spark engine needs PySpark: install the extra `placeworks[spark]` "
    "(in a checkout: `uv sync --extra spark`)"
)

# Local mode on a small machine: two cores, few shuffle partitions, no web UI or progress bars.
CONFIG = {
    "spark.master": "local[2]",
    "spark.app.name": "placeworks",
    "spark.sql.shuffle.partitions": "4",
    "spark.default.parallelism": "4",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    # Timestamps without a time zone stay without one, as on DuckDB.
    "spark.sql.timestampType": "TIMESTAMP_NTZ",
    # Errors only from the JVM's logging.
    "spark.driver.extraJavaOptions": (
        f"-Dlog4j2.configurationFile=file:{Path(__file__).with_name('log4j2.properties')}"
    ),
}


@functools.cache
def _warehouse() -> tempfile.TemporaryDirectory:
    """Where Spark would write managed tables; removed at exit."""
    directory = tempfile.TemporaryDirectory(prefix="placeworks-spark-")
    atexit.register(directory.cleanup)
    return directory


@functools.cache
def session() -> SparkSession:
    """The process's Spark session, started on first use."""
    try:
        from pyspark.sql import SparkSession
    except ModuleNotFoundError as error:
        raise EngineUnavailable(INSTALL_HINT) from error
    # Local mode talks to itself: bind to the loopback address before the JVM starts.
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = SparkSession.builder.config("spark.sql.warehouse.dir", _warehouse().name)
    for key, value in CONFIG.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


class SparkEngine(Engine):
    """PySpark local mode behind the same interface as DuckDB."""

    name = "spark"

    def __init__(self) -> None:
        self.session = session()
        super().__init__(ibis.pyspark.connect(self.session))
        self._views: set[str] = set()

    def table(self, name: str, frame: pd.DataFrame) -> ibis.Table:
        # From Arrow, not pandas: PySpark's pandas path turns nullable integers into floats.
        arrow = pa.Table.from_pandas(frame, preserve_index=False)
        self.session.createDataFrame(arrow).createOrReplaceTempView(name)
        self._views.add(name)
        return self.connection.table(name)

    def to_arrow(self, expr: ibis.Table) -> pa.Table:
        # ibis's PySpark backend collects through pandas (floats for nullable integers);
        # Spark 4 collects straight to Arrow. Cast to the types ibis declares, as it does on
        # DuckDB (Spark's rank is an int32, ibis's an int64).
        self.connection._run_pre_execute_hooks(expr)  # registers in-memory tables
        arrow = self.session.sql(self.connection.compile(expr)).toArrow()
        return arrow.cast(expr.schema().to_pyarrow())

    def close(self) -> None:
        # The session is shared by every Spark engine in the process: drop only this one's views.
        for name in self._views:
            self.session.catalog.dropTempView(name)
        self._views.clear()
