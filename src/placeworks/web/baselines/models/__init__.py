"""One model per module: a stored baseline, and its amounts by footprint."""

from placeworks.web.baselines.models.baseline_amount import BaselineAmount
from placeworks.web.baselines.models.historic_baseline import HistoricBaseline

__all__ = ["BaselineAmount", "HistoricBaseline"]
