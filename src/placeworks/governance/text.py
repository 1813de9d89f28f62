"""Wording shared by the register's messages."""

from __future__ import annotations

import datetime


def long_date(day: datetime.date) -> str:
    """A date as people write it in a committee report: "1 January 2024"."""
    return f"{day.day} {day:%B %Y}"
