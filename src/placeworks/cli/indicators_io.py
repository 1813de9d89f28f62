"""Files in and out of `placeworks indicators`: CSV, Parquet or Excel, checked by line.

A data file is read with every value as it stands; the columns a method counts or measures are
then read as numbers, and a value that is not one is named by its line in the file (the header is
line 1; for Excel, the sheet's row; for Parquet, which has no lines, the row from 1). The frame's
index holds those line numbers, so the methods' own errors ("row 3") name the same lines. The
result is written to a temporary file beside the output and renamed over it only when complete.
"""

from __future__ import annotations

import csv
import math
import os
import re
import tempfile
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import typer
from rich.markup import escape
from rich.table import Table

from placeworks.cli.common import _fail, _out, err

READABLE = (".csv", ".parquet", ".xlsx")
STDOUT = "-"
BAD_INPUT = 2


class InputError(Exception):
    """A data file that cannot be used as it stands; the message names the file and place."""


def fail(message: str, code: int = BAD_INPUT) -> typer.Exit:
    """The message, as written (no markup), on standard error; exit code 2 (bad input)."""
    return _fail(escape(message), code)


def _cell(value: object) -> object:
    """A value as read: text stripped, an empty cell missing."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _csv(path: Path) -> tuple[pd.DataFrame, str]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            raise InputError(f"{path}: the file is empty")
        rows, lines = [], []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise InputError(
                    f"{path} line {reader.line_num}: {len(row)} fields where the header has"
                    f" {len(header)}"
                )
            rows.append([_cell(cell) for cell in row])
            lines.append(reader.line_num)
    return _frame(path, [h.strip() for h in header], rows, lines, 1), "line"


def _xlsx(path: Path) -> tuple[pd.DataFrame, str]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        header, header_line, rows, lines = None, 0, [], []
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell(value) for value in row]
            if all(cell is None for cell in cells):
                continue
            if header is None:
                header = ["" if cell is None else str(cell) for cell in cells]
                while header and not header[-1]:  # formatted but empty cells to the right
                    header.pop()
                header_line = number
                continue
            rows.append((cells + [None] * len(header))[: len(header)])
            lines.append(number)
    finally:
        workbook.close()
    if header is None:
        raise InputError(f"{path}: the first sheet is empty")
    return _frame(path, header, rows, lines, header_line), "line"


def _parquet(path: Path) -> tuple[pd.DataFrame, str]:
    frame = pd.read_parquet(path)
    frame = frame.astype(object).map(_cell)
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return frame, "row"


def _frame(
    path: Path, header: list[str], rows: list, lines: list[int], header_line: int
) -> pd.DataFrame:
    blank = [i + 1 for i, name in enumerate(header) if not name]
    if blank:
        raise InputError(f"{path} line {header_line}: column {blank[0]} has no name")
    seen = {name for name in header if header.count(name) > 1}
    if seen:
        raise InputError(f"{path} line {header_line}: column {sorted(seen)[0]!r} appears twice")
    return pd.DataFrame(rows, columns=header, index=pd.Index(lines), dtype=object)


def read(path: Path) -> tuple[pd.DataFrame, str]:
    """The data of ``path`` (every value as read) and what its index counts: lines or rows."""
    suffix = path.suffix.lower()
    if suffix not in READABLE:
        raise InputError(f"{path}: give a .csv, .parquet or .xlsx file")
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        reader = {".csv": _csv, ".xlsx": _xlsx, ".parquet": _parquet}[suffix]
        frame, where = reader(path)
    except InputError:
        raise
    except (OSError, ValueError, KeyError, csv.Error, UnicodeDecodeError) as exc:
        # a file that is not what its name says: a broken workbook, Parquet or text
        raise InputError(f"{path}: cannot be read as {suffix[1:]} ({exc})") from None
    if frame.empty:
        raise InputError(f"{path}: no data below the header")
    for column in frame.columns:
        # a column with no values at all has no type; as numbers it is simply missing
        if frame[column].isna().all():
            frame[column] = frame[column].astype("float64")
    return frame, where


def require(path: Path, frame: pd.DataFrame, columns: dict[str, Sequence[str] | str | None]):
    """Each option's column(s) must be in the file; the error names the option and the file."""
    for option, names in columns.items():
        if names is None:
            continue
        for name in [names] if isinstance(names, str) else names:
            if name not in frame.columns:
                raise InputError(
                    f"{path}: no column {name!r} (given by {option}); the columns are "
                    + ", ".join(map(str, frame.columns))
                )


def numbers(path: Path, frame: pd.DataFrame, where: str, columns: Sequence[str | None]) -> None:
    """Read ``columns`` as numbers in place; a value that is not one is named by its line."""
    for column in dict.fromkeys(c for c in columns if c is not None):
        values = frame[column]
        parsed = pd.to_numeric(values.map(_number), errors="coerce")
        bad = parsed.isna() & values.notna()
        if bad.any():
            at = bad.idxmax()
            raise InputError(
                f"{path} {where} {at}, column {column}: {values[at]!r} is not a number"
            )
        frame[column] = parsed.astype("float64")


def _number(value: object) -> object:
    if isinstance(value, bool):
        return math.nan
    if isinstance(value, str):
        return (
            value.replace(",", "")
            if re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d*)?", value)
            else value
        )
    return value


def keys(frame: pd.DataFrame, columns: Sequence[str | None]) -> None:
    """Columns that order or match rows (periods, age bands, quantiles): numbers when every
    value is a number (so 10 follows 9), otherwise text."""
    for column in dict.fromkeys(c for c in columns if c is not None):
        values = frame[column]
        parsed = pd.to_numeric(values.map(_number), errors="coerce")
        if values.notna().any() and not (parsed.isna() & values.notna()).any():
            whole = parsed.notna().all() and all(float(v).is_integer() for v in parsed)
            frame[column] = parsed.astype("int64") if whole else parsed.astype("float64")
        else:
            frame[column] = values.map(lambda v: None if v is None else str(v))


def key_value(frame: pd.DataFrame, column: str, text: str, option: str) -> object:
    """An option's value (``--rebase 7``) in the type of ``column``."""
    if pd.api.types.is_numeric_dtype(frame[column]):
        try:
            number = float(text)
        except ValueError:
            raise InputError(
                f"{option} {text!r} is not a number, as the values of column {column} are"
            ) from None
        return int(number) if pd.api.types.is_integer_dtype(frame[column]) else number
    return text


def flags(path: Path, frame: pd.DataFrame, where: str, column: str) -> None:
    """Read ``column`` as true or false (true/false, yes/no, 1/0), naming a bad line."""
    truth = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}

    def read_flag(value: object) -> object:
        if isinstance(value, bool) or value is None:
            return value
        return truth.get(str(value).strip().lower().removesuffix(".0"), "?")

    parsed = frame[column].map(read_flag)
    bad = parsed.map(lambda v: isinstance(v, str))
    if bad.any():
        at = bad.idxmax()
        raise InputError(
            f"{path} {where} {at}, column {column}: {frame[column][at]!r} is not true or false"
        )
    frame[column] = parsed


# --- output --------------------------------------------------------------------------------------


def check_output(output: str) -> Path | None:
    """The output file (None for a table on standard output); refused before any work."""
    if output == STDOUT:
        return None
    path = Path(output)
    if path.suffix.lower() not in READABLE:
        raise fail(f"{output}: the output must be a .csv, .parquet or .xlsx file, or - for a table")
    if not path.parent.is_dir():
        raise fail(f"{output}: no folder {path.parent}")
    return path


def write(result: pd.DataFrame, output: Path | None, title: str) -> None:
    """``result`` to ``output`` by its extension, through a temporary file renamed at the end."""
    if output is None:
        _out().print(table(_whole_numbers(result), title))
        return
    handle, name = tempfile.mkstemp(
        prefix=f".{output.name}.", suffix=output.suffix, dir=output.parent
    )
    os.close(handle)
    temporary = Path(name)
    try:
        suffix = output.suffix.lower()
        if suffix == ".csv":
            _whole_numbers(result).to_csv(temporary, index=False, lineterminator="\n")
        elif suffix == ".parquet":
            result.to_parquet(temporary, index=False)
        else:
            result.to_excel(temporary, index=False, sheet_name="indicator", engine="openpyxl")
        os.replace(temporary, output)
    except OSError as exc:
        raise fail(f"cannot write {output}: {exc}", 1) from None
    finally:
        temporary.unlink(missing_ok=True)
    err.print(f"wrote {output} ({len(result)} rows)", highlight=False)


def _whole_numbers(result: pd.DataFrame) -> pd.DataFrame:
    """Float columns holding only whole numbers (summed counts, populations) as integers, for
    text (Parquet and Excel keep the types as computed)."""
    result = result.copy()
    for column in result.columns:
        values = result[column]
        if pd.api.types.is_float_dtype(values) and values.notna().any():
            present = values.dropna()
            if present.map(float.is_integer).all() and present.abs().max() < 2**53:
                result[column] = values.astype("Int64")
    return result


def _shown(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, float):
        return f"{value:.0f}" if value.is_integer() and abs(value) < 1e15 else f"{value:.6g}"
    return str(value)


def table(result: pd.DataFrame, title: str) -> Table:
    shown = Table(title=title, title_justify="left", box=None)
    for column in result.columns:
        numeric = pd.api.types.is_numeric_dtype(result[column])
        shown.add_column(str(column), justify="right" if numeric else "left")
    for row in result.itertuples(index=False):
        shown.add_row(*(_shown(value) for value in row))
    return shown


# --- errors --------------------------------------------------------------------------------------


def _lines(message: str, where: str) -> str:
    """A method's "row 3" is the frame's index, which holds the file's line numbers."""
    if where != "line":
        return message
    return re.sub(r"\brow(s?) (?=\d)", r"line\1 ", message)


@contextmanager
def errors(path: Path, where: str = "row") -> Iterator[None]:
    """Input and method errors become one line naming the file, and exit code 2; warnings
    from the methods are shown, not raised. ``where`` is what the data's index counts."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        try:
            yield
        except InputError as exc:
            raise fail(str(exc)) from None
        except KeyError as exc:
            message = str(exc.args[0]) if exc.args else str(exc)
            raise fail(f"{path}: {_lines(message, where)}") from None
        except ValueError as exc:
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise fail(f"{path}: {_lines(message, where)}") from None
    for warning in caught:
        if warning.category is UserWarning:
            err.print(f"[yellow]warning:[/] {warning.message}", highlight=False, soft_wrap=True)
