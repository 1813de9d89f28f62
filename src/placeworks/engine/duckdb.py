"""The default engine: DuckDB, in memory, in this process."""

from __future__ import annotations

import ibis

from placeworks.engine.base import Engine


class DuckDBEngine(Engine):
    """An in-memory DuckDB database, private to this engine and gone when it closes."""

    name = "duckdb"

    def __init__(self) -> None:
        super().__init__(ibis.duckdb.connect())
