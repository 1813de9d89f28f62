"""Public health indicator statistics, as OHID's guidance and PHEindicatormethods compute them."""

from placeworks.indicators.dsr import calculate_dsr
from placeworks.indicators.funnels import assign_funnel_significance, calculate_funnel_limits
from placeworks.indicators.inequality import phe_sii
from placeworks.indicators.isr import calculate_ISRate, calculate_ISRatio
from placeworks.indicators.life_expectancy import phe_life_expectancy
from placeworks.indicators.means import phe_mean
from placeworks.indicators.proportions import phe_proportion
from placeworks.indicators.quantiles import phe_quantile
from placeworks.indicators.rates import phe_rate
from placeworks.indicators.spc import spc_xmr
from placeworks.indicators.standards import esp2013

__all__ = [
    "assign_funnel_significance",
    "calculate_ISRate",
    "calculate_ISRatio",
    "calculate_dsr",
    "calculate_funnel_limits",
    "esp2013",
    "phe_life_expectancy",
    "phe_mean",
    "phe_proportion",
    "phe_quantile",
    "phe_rate",
    "phe_sii",
    "spc_xmr",
]
