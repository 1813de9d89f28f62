"""The grouped step every indicator shares: sum row-level terms per group on an engine.

An indicator's heavy lifting is a grouped sum over many rows (people, practices, age bands);
its confidence limits are arithmetic on the few sums that come back. The sums run on an engine
(DuckDB by default, PySpark at scale) through one ibis expression, so every engine returns the
same groups and the same totals; the limits are then computed on the small result in numpy.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence

import ibis
import pandas as pd

from placeworks.engine import Engine, connect
from placeworks.indicators.options import require_columns

Term = str | Callable[[ibis.Table], ibis.Value]

_names = itertools.count()


def group_sums(
    frame: pd.DataFrame,
    by: Sequence[str],
    terms: Mapping[str, Term],
    *,
    engine: Engine | None = None,
    count_missing: Sequence[str] = (),
) -> pd.DataFrame:
    """One row per group of ``by`` (sorted by it), with the sum of each of ``terms``.

    A term is a column name or a function of the ibis table giving a row-level value, for
    example ``lambda t: t.x * t.w ** 2``. Sums skip missing values (a group with none gives a
    missing sum); ``count_missing`` adds ``<column>_missing``, the rows of each group where that
    column is missing, and ``rows``, the rows of each group, so a caller can apply its own rule
    for missing data. With no ``by`` the result is one row for the whole frame. The sums run on
    ``engine``, or on a private DuckDB engine when none is given.
    """
    by = list(by)
    require_columns(
        frame,
        *sorted({*by, *count_missing, *(t for t in terms.values() if isinstance(t, str))}),
    )
    if engine is None:
        with connect() as own:
            return group_sums(frame, by, terms, engine=own, count_missing=count_missing)
    table = engine.table(f"indicator_input_{next(_names)}", frame)
    metrics = {
        name: (table[term] if isinstance(term, str) else term(table)).sum()
        for name, term in terms.items()
    }
    for column in count_missing:
        metrics[f"{column}_missing"] = table[column].isnull().cast("int64").sum()
    if count_missing:
        metrics["rows"] = table.count()
    expr = table.group_by(by).aggregate(**metrics) if by else table.aggregate(**metrics)
    if by:
        expr = expr.order_by(by)
    return engine.execute(expr).reset_index(drop=True)
