"""Checks applied to every table at build time (and, for the cheap ones, at load time)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import pandera.pandas as pa

from placeworks.data.errors import DataValidationError
from placeworks.data.registry import Dataset


def check_schema(dataset: Dataset, frame: pd.DataFrame) -> pd.DataFrame:
    """Validate a built table against its schema; raise on the first failure, naming its row.

    The row is the frame's index: builders keep the line number of the primary source file
    there, so the message points into the raw file.
    """
    return check_frame(dataset.schema, frame, dataset.primary_source)


def check_frame(schema: pa.DataFrameSchema, frame: pd.DataFrame, file: str) -> pd.DataFrame:
    """Validate ``frame`` (whose index holds line numbers in ``file``) against ``schema``."""
    try:
        return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        first = cases.iloc[0]
        row = first.get("index")
        column = first.get("column")
        check = first.get("check")
        value = first.get("failure_case")
        count = len(cases)
        more = f" ({count - 1} more failures)" if count > 1 else ""
        if check == "column_in_dataframe" or check == "column_in_schema":
            message = f"column {value!r} missing or unexpected{more}"
            column = value
        elif (isinstance(check, str) and check.startswith("field_uniqueness")) or check == "unique":
            message = f"duplicate key value {value!r}{more}"
        elif isinstance(check, str) and check.startswith("dtype"):
            message = f"wrong type: {check}{more}"
            row = None
        else:
            message = f"value {value!r} fails {check}{more}"
        row_number = None if row is None or pd.isna(row) else int(row)
        raise DataValidationError(
            file,
            message,
            row=row_number,
            field=None if column is None or pd.isna(column) else str(column),
        ) from None


def check_references(dataset: Dataset, frame: pd.DataFrame, tables: Mapping[str, pd.DataFrame]):
    """Referential integrity: each declared reference resolves in its target table."""
    for ref in dataset.references:
        target = tables[ref.table][ref.target_column]
        values = frame[ref.column]
        missing = values.notna() & ~values.isin(set(target.dropna()))
        if missing.any():
            row = missing.idxmax()
            raise DataValidationError(
                dataset.primary_source,
                f"{frame.at[row, ref.column]!r} not found in {ref.table}.{ref.target_column}"
                f" ({int(missing.sum())} rows fail this reference)",
                row=int(row),
                field=ref.column,
            )


def check_columns(dataset: Dataset, frame: pd.DataFrame, file: str) -> None:
    """Cheap load-time check: the table has exactly the schema's columns."""
    expected = list(dataset.schema.columns)
    actual = list(frame.columns)
    if actual != expected:
        missing = [c for c in expected if c not in actual]
        extra = [c for c in actual if c not in expected]
        raise DataValidationError(
            file, f"columns differ from the schema (missing {missing}, unexpected {extra})"
        )
