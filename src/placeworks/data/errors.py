"""Errors raised while building or loading the reference data package."""

from __future__ import annotations


class DataError(Exception):
    """Base class for reference data problems."""


class DataValidationError(DataError):
    """A value in a file breaks a rule.

    The message always names the file, and where they are known the row (the line number in
    the source file, counting the header as line 1) and the field.
    """

    def __init__(
        self, file: str, message: str, *, row: int | None = None, field: str | None = None
    ):
        self.file = file
        self.row = row
        self.field = field
        self.detail = message
        where = file
        if row is not None:
            where += f", row {row}"
        if field is not None:
            where += f", field {field!r}"
        super().__init__(f"{where}: {message}")


class DataPackageMissing(DataError):
    """The shipped data package (or one table of it) is not there."""
