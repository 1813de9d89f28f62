"""Analytics engines: ibis expressions evaluated on DuckDB (default) or PySpark (optional).

Public API::

    connect(backend="duckdb") -> Engine   an engine; "spark" needs the `placeworks[spark]` extra
    available_backends() -> tuple[str]    the backends whose packages are installed
    Engine.table(name, frame)             load a pandas frame as a table (replacing one)
    Engine.execute(expr)                  evaluate an ibis expression into a pandas frame

Money is held as integer micro-units (int64 millionths of a pound) so sums are exact and the
same on every engine.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from placeworks.engine.base import Engine, EngineUnavailable

# Each backend: the module and class of its engine, and the package it needs beyond the core.
_BACKENDS = {
    "duckdb": ("placeworks.engine.duckdb", "DuckDBEngine", "duckdb"),
    "spark": ("placeworks.engine.spark", "SparkEngine", "pyspark"),
}

BACKENDS = tuple(_BACKENDS)


def available_backends() -> tuple[str, ...]:
    """The backends that can be connected here (their packages are installed)."""
    return tuple(name for name, (*_, package) in _BACKENDS.items() if find_spec(package))


def connect(backend: str = "duckdb") -> Engine:
    """A new engine on `backend`; close it (or use it as a context manager) when done."""
    try:
        module, cls, _ = _BACKENDS[backend]
    except KeyError:
        raise ValueError(f"unknown backend {backend!r}: choose one of {BACKENDS}") from None
    return getattr(import_module(module), cls)()


__all__ = ["BACKENDS", "Engine", "EngineUnavailable", "available_backends", "connect"]
