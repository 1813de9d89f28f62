"""Reading the raw public files during a build.

Every reader returns a frame whose index is the line number of each row in its file (the header
is line 1), so that a validation failure can name the exact row. Every file read is hashed.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from placeworks.data.errors import DataValidationError
from placeworks.data.sources import SOURCES


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class RawFolder:
    """The folder of raw public files, as laid out in its SOURCES.md."""

    def __init__(self, root: Path):
        self.root = Path(root)
        if not self.root.is_dir():
            raise DataValidationError(str(root), "raw data folder not found")
        self.hashes: dict[str, str] = {}

    def path(self, relative: str) -> Path:
        if relative not in SOURCES:
            raise KeyError(f"{relative} is not a registered source (see placeworks.data.sources)")
        path = self.root / relative
        if not path.is_file():
            raise DataValidationError(relative, "file not found in the raw data folder")
        if relative not in self.hashes:
            self.hashes[relative] = sha256_of(path)
        return path

    def read_csv(self, relative: str, *, header: bool = True, **kwargs: Any) -> pd.DataFrame:
        """Read a CSV (optionally gzipped, optionally with a byte order mark) as text columns.

        Columns are read as strings and typed by the dataset builders, so a malformed value is
        reported by validation with its row rather than silently coerced.
        """
        path = self.path(relative)
        try:
            frame = pd.read_csv(
                path,
                encoding="utf-8-sig",
                dtype=str,
                keep_default_na=False,
                na_values=[""],
                header=0 if header else None,
                **kwargs,
            )
        except (pd.errors.ParserError, UnicodeDecodeError, EOFError, gzip.BadGzipFile) as exc:
            raise DataValidationError(relative, f"cannot be read as CSV: {exc}") from exc
        frame.index = frame.index + (2 if header else 1)
        return frame

    def read_excel(self, relative: str, sheet: str, *, header_row: int = 0) -> pd.DataFrame:
        path = self.path(relative)
        try:
            frame = pd.read_excel(path, sheet_name=sheet, dtype=str, header=header_row)
        except (ValueError, KeyError, OSError) as exc:
            raise DataValidationError(relative, f"sheet {sheet!r} cannot be read: {exc}") from exc
        frame.index = frame.index + header_row + 2
        return frame

    def read_geojson(self, relative: str) -> dict[str, Any]:
        path = self.path(relative)
        opener = gzip.open if path.suffix == ".gz" else open
        try:
            with opener(path, "rt", encoding="utf-8") as fh:
                return json.load(fh)
        except (json.JSONDecodeError, OSError, EOFError) as exc:
            raise DataValidationError(relative, f"cannot be read as GeoJSON: {exc}") from exc


def to_number(frame: pd.DataFrame, columns: list[str], file: str, *, integer: bool = False):
    """Convert text columns to numbers, failing on the first value that is not one."""
    for column in columns:
        values = pd.to_numeric(frame[column], errors="coerce")
        bad = values.isna() & frame[column].notna()
        if bad.any():
            row = bad.idxmax()
            raise DataValidationError(
                file, f"{frame.at[row, column]!r} is not a number", row=int(row), field=column
            )
        if integer:
            fractional = values.notna() & (values != values.round())
            if fractional.any():
                row = fractional.idxmax()
                raise DataValidationError(
                    file,
                    f"{frame.at[row, column]!r} is not a whole number",
                    row=int(row),
                    field=column,
                )
            values = values.astype("Int64")
        frame[column] = values
    return frame


def require_columns(frame: pd.DataFrame, file: str, columns: list[str]) -> None:
    """Fail, naming the column, if the header lacks any of ``columns``."""
    for column in columns:
        if column not in frame.columns:
            raise DataValidationError(file, "column not found in the header", row=1, field=column)


def to_typed(frame: pd.DataFrame, file: str, dtypes: Mapping[str, str]) -> pd.DataFrame:
    """Convert text columns to required numbers of the given dtypes, naming the first bad cell."""
    for column, dtype in dtypes.items():
        to_number(frame, [column], file, integer=dtype.startswith("int"))
        values = frame[column]
        missing = values.isna().to_numpy()
        if missing.any():
            row = frame.index[missing.argmax()]
            raise DataValidationError(file, "value missing", row=int(row), field=column)
        if dtype.startswith("int"):
            info = np.iinfo(dtype)
            bad = ~values.between(info.min, info.max).to_numpy()
        else:
            bad = ~np.isfinite(values.to_numpy(dtype="float64"))
        if bad.any():
            row = frame.index[bad.argmax()]
            raise DataValidationError(
                file, f"{values[row]} does not fit {dtype}", row=int(row), field=column
            )
        frame[column] = values.to_numpy(dtype=dtype)
    return frame
