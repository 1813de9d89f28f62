"""A register's records as a CSV file or an Excel workbook.

Text that a spreadsheet would run as a formula (starting ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) is written with a leading apostrophe in CSV and as a plain string cell in
Excel, so a record's text can never run in the reader's spreadsheet. Money stays exact: a
Decimal in CSV is written as stored, and in Excel as a number with a pounds format.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
POUNDS = '"£"#,##0.00'
DATE = "d mmm yyyy"


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(headings: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads the pound sign), dates as YYYY-MM-DD."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headings)
    for row in rows:
        writer.writerow([v.isoformat() if isinstance(v, datetime.date) else _safe(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(
    title: str,
    headings: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    note: str,
    money: frozenset[int] = frozenset(),
) -> bytes:
    """One sheet: a title, a note of what it holds, then the table with a frozen heading row."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([note])
    sheet.append([])
    sheet.append(list(headings))
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_safe(v) for v in row])
        for cell, value in zip(sheet[sheet.max_row], row, strict=True):
            if isinstance(value, Decimal):
                cell.number_format = POUNDS if cell.column - 1 in money else "0.00"
            elif isinstance(value, datetime.date):
                cell.number_format = DATE
            elif isinstance(value, str):
                cell.data_type = "s"
    sheet.freeze_panes = "A5"
    for index, heading in enumerate(headings, 1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(heading) + 4))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
