"""Public health indicator statistics, as OHID's guidance and PHEindicatormethods compute them."""

from placeworks.indicators.inequality import phe_sii
from placeworks.indicators.life_expectancy import phe_life_expectancy
from placeworks.indicators.quantiles import phe_quantile
from placeworks.indicators.spc import spc_xmr

__all__ = [
    "phe_life_expectancy",
    "phe_quantile",
    "phe_sii",
    "spc_xmr",
]
