"""The engine base class: an ibis connection with the few operations placeworks needs."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Self

import pandas as pd
import pyarrow as pa

if TYPE_CHECKING:
    from types import TracebackType

    import ibis
    from ibis.backends import BaseBackend

# Arrow types read back as pandas' nullable dtypes, so a null never turns exact integers into
# floats (float64 holds integers exactly only up to 2**53, about £9bn in micro-units).
_NULLABLE = {
    pa.int8(): pd.Int8Dtype(),
    pa.int16(): pd.Int16Dtype(),
    pa.int32(): pd.Int32Dtype(),
    pa.int64(): pd.Int64Dtype(),
    pa.uint8(): pd.UInt8Dtype(),
    pa.uint16(): pd.UInt16Dtype(),
    pa.uint32(): pd.UInt32Dtype(),
    pa.uint64(): pd.UInt64Dtype(),
    pa.bool_(): pd.BooleanDtype(),
}


class EngineUnavailable(RuntimeError):
    """An engine whose optional dependencies are not installed."""


class Engine:
    """Evaluates ibis expressions on one backend.

    Subclasses set `name`, make the connection and override only what their backend does
    differently. Results always come back through Arrow, so every engine returns the same pandas
    dtypes for the same expression.
    """

    name: ClassVar[str]

    def __init__(self, connection: BaseBackend) -> None:
        self.connection = connection

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"

    def table(self, name: str, frame: pd.DataFrame) -> ibis.Table:
        """Load `frame` as the table `name`, replacing any table of that name."""
        return self.connection.create_table(name, frame, overwrite=True)

    def execute(self, expr: ibis.Expr) -> pd.DataFrame:
        """Evaluate `expr` (a table, column or scalar) into a data frame.

        Integer and boolean columns use pandas' nullable dtypes (`Int64`, `boolean`).
        """
        return self.to_arrow(expr.as_table()).to_pandas(types_mapper=_NULLABLE.get)

    def to_arrow(self, expr: ibis.Table) -> pa.Table:
        """Evaluate a table expression into an Arrow table."""
        return self.connection.to_pyarrow(expr)

    def close(self) -> None:
        self.connection.disconnect()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
