"""Reading the risk register: risks above appetite, and which are rising."""

from __future__ import annotations

from typing import Literal

from django.db.models import QuerySet

from placeworks.governance.models import Risk
from placeworks.governance.scope import require_view, visible

Trend = Literal["rising", "falling", "steady", "new"]


def risks_above_appetite(by) -> QuerySet[Risk]:
    """The open risks ``by`` may see whose current score is above their category's appetite."""
    return visible(by, Risk).above_appetite().select_related("category", "category__matrix")


def risk_trend(risk: Risk, *, by) -> Trend:
    """Whether a risk's current score went up or down at its last change of score (from its
    history); "new" if it has never changed."""
    require_view(by, risk)
    scores = [
        row.current_likelihood * row.current_impact
        for row in risk.history.order_by("-history_date", "-history_id")
    ]
    latest = scores[0] if scores else risk.current_likelihood * risk.current_impact
    for earlier in scores[1:]:
        if earlier != latest:
            return "rising" if latest > earlier else "falling"
    return "new" if len(scores) <= 1 else "steady"
