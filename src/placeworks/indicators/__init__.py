"""Public health indicator statistics, as OHID's guidance and PHEindicatormethods compute them."""

from placeworks.indicators.means import phe_mean
from placeworks.indicators.proportions import phe_proportion
from placeworks.indicators.rates import phe_rate

__all__ = [
    "phe_mean",
    "phe_proportion",
    "phe_rate",
]
