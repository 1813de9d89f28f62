"""One model: a function delegated by an organisation to a post or a body."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from placeworks.governance.lifecycle import INITIAL, STATUSES
from placeworks.governance.models.agreement import Agreement
from placeworks.governance.models.base import (
    Scoped,
    history,
    not_blank,
    scope_constraints,
)
from placeworks.governance.models.body import Body
from placeworks.governance.models.function import Function
from placeworks.governance.models.organisation import Organisation
from placeworks.governance.models.post import Post


class Delegation(Scoped):
    """A function of a place delegated by an organisation (the ICB) to a post or a body, which
    may discharge it through another body (the Director of Health and Care Integration uses the
    Lancashire Place Board), on a legal basis, under an instrument, within financial limits, in a
    phase with a target date.

    Its ``status`` follows :mod:`placeworks.governance.lifecycle` and changes only through
    :func:`placeworks.governance.actions.transition_delegation`, each change a recorded decision.
    """

    place_required = True

    function = models.ForeignKey(Function, on_delete=models.PROTECT, related_name="delegations")
    delegator = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="delegations_made"
    )
    delegate_post = models.ForeignKey(
        Post, on_delete=models.PROTECT, null=True, blank=True, related_name="delegations"
    )
    delegate_body = models.ForeignKey(
        Body, on_delete=models.PROTECT, null=True, blank=True, related_name="delegations"
    )
    via_body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegations_discharged",
        help_text="The body the delegate uses to discharge the function.",
    )
    legal_basis = models.CharField(max_length=300, blank=True)
    instrument = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, null=True, blank=True, related_name="delegations"
    )
    instrument_reference = models.CharField(
        max_length=300, blank=True, help_text="Such as the scheme of delegation's paragraph."
    )
    financial_limit = models.DecimalField(
        "financial limit (£)", max_digits=16, decimal_places=2, null=True, blank=True
    )
    phase = models.PositiveSmallIntegerField(null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=list(STATUSES.items()), default=INITIAL, editable=False
    )
    status_since = models.DateField(null=True, blank=True, editable=False)
    notes = models.TextField(blank=True)

    history = history()

    locked_fields = frozenset({"status", "status_since"})

    class Meta:
        ordering = ("place", "phase", "function")
        constraints = (
            *scope_constraints("delegation"),
            models.CheckConstraint(
                condition=models.Q(place__isnull=False),
                name="delegation_has_place",
                violation_error_message="A delegation is to a place.",
            ),
            models.CheckConstraint(
                condition=models.Q(delegate_post__isnull=False, delegate_body__isnull=True)
                | models.Q(delegate_post__isnull=True, delegate_body__isnull=False),
                name="delegation_one_delegate",
                violation_error_message="A delegation is to one post or one body, not both.",
            ),
            models.CheckConstraint(
                condition=models.Q(financial_limit__isnull=True) | models.Q(financial_limit__gte=0),
                name="delegation_limit_not_negative",
                violation_error_message="A financial limit is zero or more.",
            ),
            models.CheckConstraint(
                condition=models.Q(phase__isnull=True) | models.Q(phase__gte=1),
                name="delegation_phase_from_one",
                violation_error_message="Phases are numbered from 1.",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=list(STATUSES)),
                name="delegation_status_known",
                violation_error_message="Unknown delegation status.",
            ),
            models.UniqueConstraint(
                fields=("place", "function", "delegator"),
                condition=~models.Q(status="revoked"),
                name="delegation_one_live_per_function",
                violation_error_message=(
                    "This place already has a delegation of this function from this delegator"
                    " that is not revoked: vary it instead."
                ),
            ),
            not_blank("delegation", "status", "A delegation has a status."),
        )

    def __str__(self) -> str:
        to = self.delegate_post or self.delegate_body
        return f"{self.function} to {to} ({self.place_id})"

    def clean(self) -> None:
        super().clean()
        if self._state.adding and self.status != INITIAL:
            raise ValidationError(
                {"status": "A delegation starts as proposed; each later status is a decision."}
            )
