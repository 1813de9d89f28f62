"""Every write to the register, and the reads that add things up.

Each write is atomic, takes the acting user as ``by``, checks their role through
:mod:`placeworks.governance.scope`, validates the whole record first and keeps its history.
"""

from placeworks.governance.actions.delegations import transition_delegation
from placeworks.governance.actions.funds import pooled_fund_totals, record_contribution
from placeworks.governance.actions.history import Change, FieldChange, changes
from placeworks.governance.actions.readiness import (
    ReadinessMatrix,
    assess_readiness,
    readiness_matrix,
)
from placeworks.governance.actions.records import (
    EditConflict,
    create,
    fetch,
    save_versioned,
    update,
)
from placeworks.governance.actions.risks import risk_trend, risks_above_appetite
from placeworks.governance.actions.roles import (
    grant_first_administrator,
    grant_role,
    revoke_role,
)
from placeworks.governance.lifecycle import IllegalTransition

__all__ = [
    "Change",
    "EditConflict",
    "FieldChange",
    "IllegalTransition",
    "ReadinessMatrix",
    "assess_readiness",
    "changes",
    "create",
    "fetch",
    "grant_first_administrator",
    "grant_role",
    "pooled_fund_totals",
    "readiness_matrix",
    "record_contribution",
    "revoke_role",
    "risk_trend",
    "risks_above_appetite",
    "save_versioned",
    "transition_delegation",
    "update",
]
