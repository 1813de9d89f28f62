"""Standard populations for direct standardisation, shipped with the package.

``esp2013()`` is the European Standard Population 2013 (Eurostat 2013): 19 five-year age bands
from 0-4 to 90 and over, summing to 100,000, the standard OHID uses for directly standardised
rates. The table is ``data/esp2013.csv`` beside this module, with its source in its header.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import pandas as pd


@cache
def _esp2013() -> pd.DataFrame:
    with files("placeworks.indicators").joinpath("data/esp2013.csv").open(encoding="utf-8") as f:
        table = pd.read_csv(f, comment="#", dtype={"ageband": "string"})
    table["upper_age"] = table["upper_age"].astype("Int64")
    return table


def esp2013() -> pd.DataFrame:
    """The ESP 2013 table: ``ageband`` (``"0-4"`` … ``"90+"``), ``lower_age``, ``upper_age``
    (missing for 90+) and ``weight`` (the standard population of the band)."""
    return _esp2013().copy()


def esp2013_weights(agebands: pd.Series) -> pd.Series:
    """The ESP 2013 weight of each value of ``agebands``, given as the band's label
    (``"0-4"``, ``"90+"``) or as its lower age (0, 5, …, 90); an unknown band is an error."""
    table = _esp2013()
    if pd.api.types.is_numeric_dtype(agebands):
        lookup = dict(zip(table["lower_age"], table["weight"], strict=True))
    else:
        lookup = dict(zip(table["ageband"], table["weight"], strict=True))
    weights = agebands.map(lookup)
    unknown = agebands[weights.isna()]
    if len(unknown):
        raise ValueError(
            f"ageband {unknown.iloc[0]!r} (row {unknown.index[0]}) is not an ESP 2013 band: "
            "give the label (0-4, 5-9, …, 90+) or the lower age (0, 5, …, 90), or pass stdpop"
        )
    return weights.astype("float64")
