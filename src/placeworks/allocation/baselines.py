"""Historic baseline budgets by legacy footprint (e.g. former CCG areas), imported from CSV or
Excel.

A baseline file has the columns ``footprint`` (a sub-ICB location / former CCG code such as
``00Q``), ``amount`` (pounds, at most two decimals) and optionally ``name``. It is read whole and
validated before anything is used: every problem is reported with the file, row and field.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from placeworks.data import DataValidationError

FOOTPRINT = re.compile(r"^(?:[0-9]{2}[A-Z0-9]|[A-Z]\d[A-Z]\d[A-Z])$")


@dataclass(frozen=True)
class Baseline:
    """Baseline amounts in pounds by footprint code, with where they came from."""

    amounts: dict[str, Decimal]
    names: dict[str, str]
    source: str
    illustrative: bool = False

    @property
    def total(self) -> Decimal:
        return sum(self.amounts.values(), Decimal(0))


def read(path: Path | str, content: bytes | None = None) -> Baseline:
    """Read a baseline from a ``.csv`` or ``.xlsx`` file (or its ``content``)."""
    path = Path(path)
    file = path.name
    if content is None:
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise DataValidationError(file, f"cannot be read: {exc}") from exc
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        rows = _excel_rows(content, file)
    elif path.suffix.lower() == ".csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    else:
        raise DataValidationError(file, "a baseline must be a .csv or .xlsx file")
    return parse_rows(rows, file)


def _excel_rows(content: bytes, file: str) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise DataValidationError(file, f"not a readable Excel workbook: {exc}") from exc
    sheet = workbook.worksheets[0]
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def parse_rows(rows: list[list[str]], file: str) -> Baseline:
    if not rows:
        raise DataValidationError(file, "the file is empty")
    header = [h.strip().lower() for h in rows[0]]
    for required in ("footprint", "amount"):
        if required not in header:
            raise DataValidationError(file, "column missing from the header", row=1, field=required)
    at = {name: header.index(name) for name in header if name}
    amounts: dict[str, Decimal] = {}
    names: dict[str, str] = {}
    illustrative = False
    for line, row in enumerate(rows[1:], start=2):
        cells = [c.strip() for c in row] + [""] * (len(header) - len(row))
        if not any(cells):
            continue
        code = cells[at["footprint"]].upper()
        if code.startswith("#"):
            illustrative = illustrative or "illustrative" in " ".join(cells).lower()
            continue
        if not FOOTPRINT.match(code):
            raise DataValidationError(
                file, f"{code!r} is not a sub-ICB location code", row=line, field="footprint"
            )
        if code in amounts:
            raise DataValidationError(file, f"{code} appears twice", row=line, field="footprint")
        text = cells[at["amount"]].replace(",", "").replace("£", "")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise DataValidationError(
                file,
                f"{cells[at['amount']]!r} is not an amount in pounds",
                row=line,
                field="amount",
            ) from None
        if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
            raise DataValidationError(
                file,
                f"{text} must be zero or more, in pounds and pence",
                row=line,
                field="amount",
            )
        amounts[code] = amount
        names[code] = cells[at["name"]] if "name" in at else code
    if not amounts:
        raise DataValidationError(file, "no baseline rows")
    if sum(amounts.values()) == 0:
        raise DataValidationError(file, "the baseline amounts add up to zero", field="amount")
    return Baseline(amounts, names, file, illustrative)


def example(icb: str) -> Baseline | None:
    """The illustrative baseline shipped for the worked example, if there is one."""
    from importlib import resources

    entry = resources.files("placeworks.allocation") / "examples" / f"{icb}_historic.csv"
    if not entry.is_file():
        return None
    return read(Path(entry.name), entry.read_bytes())
