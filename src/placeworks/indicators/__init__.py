"""Public health indicator statistics, as OHID's guidance and PHEindicatormethods compute them."""

from placeworks.indicators.proportions import phe_proportion

__all__ = [
    "phe_proportion",
]
