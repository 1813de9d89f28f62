"""One model: a delegation's move from one status to the next, and the decision that made it."""

from __future__ import annotations

from django.db import models

from placeworks.governance.lifecycle import STATUSES
from placeworks.governance.models.base import Scoped, history, scope_constraints
from placeworks.governance.models.decision import Decision
from placeworks.governance.models.delegation import Delegation


class DelegationTransition(Scoped):
    """A step of a delegation's lifecycle: from, to, on which date, by which decision.

    Written only by :func:`placeworks.governance.actions.transition_delegation`.
    """

    delegation = models.ForeignKey(Delegation, on_delete=models.PROTECT, related_name="transitions")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=list(STATUSES.items()))
    to_status = models.CharField(max_length=20, choices=list(STATUSES.items()))
    on = models.DateField()

    history = history()

    scope_parent = "delegation"
    locked_fields = frozenset({"delegation", "decision", "from_status", "to_status", "on"})

    class Meta:
        ordering = ("delegation", "on", "id")
        constraints = (
            *scope_constraints("delegationtransition"),
            models.CheckConstraint(
                condition=~models.Q(from_status=models.F("to_status")),
                name="delegationtransition_changes_status",
                violation_error_message="A transition changes the status.",
            ),
            models.UniqueConstraint(
                fields=("delegation", "decision"),
                name="delegationtransition_one_per_decision",
                violation_error_message="A decision moves a delegation once.",
            ),
        )

    def __str__(self) -> str:
        return f"{self.delegation}: {self.from_status} to {self.to_status} on {self.on}"
