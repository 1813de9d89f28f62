"""The formats of the codes the register keeps, as regular expressions (database checks use
them too)."""

from __future__ import annotations

import re

# ICB ODS codes: Q and two letters or digits (QE1 is Lancashire and South Cumbria).
ICB_CODE_REGEX = r"^Q[A-Z0-9]{2}$"
# A place: its ICB's code, a hyphen, then capitals, digits and hyphens (QE1-LAN, QE1-BWD).
PLACE_CODE_REGEX = r"^Q[A-Z0-9]{2}-[A-Z0-9][A-Z0-9-]{0,35}$"
# NHS Organisation Data Service codes: 3 characters for most organisations (RXN, QE1, 00Q),
# 5 for sites and some independent providers, 6 for GP practices and PCNs (A81001, U12345).
ODS_CODE_REGEX = r"^[A-Z0-9]{3}([A-Z0-9]{2,3})?$"
# ONS Government Statistical Service codes: a country letter and 8 digits (E07000127).
GSS_CODE_REGEX = r"^[EWSNK][0-9]{8}$"
# A neighbourhood of a geography definition (QE1-WL-SKEL): capitals, digits and hyphens.
NEIGHBOURHOOD_CODE_REGEX = r"^[A-Z0-9][A-Z0-9-]{1,39}$"
# A short code a partnership chooses for a function, criterion, level or category.
SLUG_REGEX = r"^[a-z][a-z0-9_]{0,39}$"
# An English public-sector financial year, April to March: "2024/25".
FINANCIAL_YEAR_REGEX = r"^[0-9]{4}/[0-9]{2}$"


def financial_year_problem(year: str) -> str | None:
    """Why ``year`` is not a financial year such as "2024/25", or None if it is one."""
    if not re.fullmatch(FINANCIAL_YEAR_REGEX, year):
        return f"{year!r} is not a financial year written like 2024/25"
    start, end = int(year[:4]), int(year[5:])
    if (start + 1) % 100 != end:
        return f"{year!r} is not a financial year: {start} is followed by {(start + 1) % 100:02d}"
    return None
