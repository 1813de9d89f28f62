"""Dates in messages read as a committee report writes them."""

import datetime

from placeworks.governance.text import long_date


def test_no_leading_zero():
    assert long_date(datetime.date(2024, 4, 1)) == "1 April 2024"
    assert long_date(datetime.date(2023, 7, 13)) == "13 July 2023"
