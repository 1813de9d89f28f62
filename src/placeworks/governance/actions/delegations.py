"""Moving a delegation through its lifecycle, each step a recorded decision."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from placeworks.governance.lifecycle import STATUSES, check_transition
from placeworks.governance.models import (
    Body,
    Decision,
    Delegation,
    DelegationTransition,
    Post,
    ReadinessAssessment,
)
from placeworks.governance.scope import require_edit, visible
from placeworks.governance.text import long_date

from .records import EditConflict, create, lock_for_change, save_versioned


@transaction.atomic
def transition_delegation(
    delegation: Delegation,
    to_status: str,
    *,
    by,
    decision_date: datetime.date,
    maker_body: Body | None = None,
    maker_post: Post | None = None,
    reasons: str,
    evidence: str = "",
    title: str | None = None,
    outcome: str | None = None,
    reference: str = "",
    options_rejected: list[str] | None = None,
    version: int | None = None,
) -> DelegationTransition:
    """Move ``delegation`` to ``to_status`` by a decision of ``maker_body`` or ``maker_post``.

    Records a :class:`Decision` (linked to the delegation) and a :class:`DelegationTransition`,
    and sets the delegation's status, all or nothing. ``delegation`` is brought up to date; the
    transition is returned (its ``decision`` is the record of the decision).

    Refused, with nothing written:

    - a move the lifecycle does not allow: :class:`~placeworks.governance.lifecycle.
      IllegalTransition`, naming both statuses and the allowed next ones;
    - a user who may not change the delegation: ``PermissionDenied``;
    - a version someone else has changed since: :class:`EditConflict`;
    - no maker or two, no reasons, a date before the delegation's last decision, moving to
      readiness assessed with no assessment of the place for the function on or before the
      date, or taking effect with no instrument: ``ValidationError`` saying which.
    """
    expected = delegation.version if version is None else version
    current = lock_for_change(by, delegation)
    require_edit(by, current)
    if current.version != expected:
        raise EditConflict(current, expected_version=expected, attempted={"status": to_status})
    from_status = current.status
    check_transition(from_status, to_status, what=f"The delegation of {current}")
    _check_decision(current, to_status, by, decision_date, maker_body, maker_post, reasons)

    label = f"{STATUSES[from_status]} to {STATUSES[to_status].lower()}"
    decision = create(
        Decision,
        by=by,
        kind=Decision.Kind.DECISION,
        made_on=decision_date,
        maker_body=maker_body,
        maker_post=maker_post,
        title=title or f"{current.function}, {current.place.name}: {label.lower()}",
        outcome=outcome or f"The delegation of {current} moves from {label.lower()}.",
        reasons=reasons,
        evidence=evidence,
        reference=reference,
        options_rejected=list(options_rejected or []),
        place=current.place,
        delegations=[current],
    )
    transition = create(
        DelegationTransition,
        by=by,
        delegation=current,
        decision=decision,
        from_status=from_status,
        to_status=to_status,
        on=decision_date,
    )
    current.status = to_status
    current.status_since = decision_date
    save_versioned(current, by=by, expected_version=expected, reason=label)
    for field in current._meta.concrete_fields:
        setattr(delegation, field.attname, getattr(current, field.attname))
    transition.delegation = delegation
    return transition


def _check_decision(
    delegation: Delegation,
    to_status: str,
    by,
    decision_date: datetime.date,
    maker_body: Body | None,
    maker_post: Post | None,
    reasons: str,
) -> None:
    errors: dict[str, str] = {}
    if (maker_body is None) == (maker_post is None):
        errors["maker"] = "A transition is decided by one body or one post: name exactly one."
    if not isinstance(decision_date, datetime.date) or isinstance(decision_date, datetime.datetime):
        errors["decision_date"] = "Give the decision's date as a date."
    if not reasons or not reasons.strip():
        errors["reasons"] = "A decision on a delegation gives its reasons."
    if errors:
        raise ValidationError(errors)
    last = delegation.transitions.order_by("-on", "-id").first()
    if last is not None and decision_date < last.on:
        raise ValidationError(
            {
                "decision_date": f"{long_date(decision_date)} is before this delegation's last"
                f" decision ({long_date(last.on)}): decisions are recorded in order."
            }
        )
    if to_status == "readiness_assessed":
        assessed = visible(by, ReadinessAssessment).filter(
            place_id=delegation.place_id,
            function=delegation.function,
            assessed_on__lte=decision_date,
        )
        if not assessed.exists():
            raise ValidationError(
                {
                    "status": f"{delegation.place.name} has no readiness assessment for"
                    f" {delegation.function} on or before {long_date(decision_date)}: record one"
                    " first."
                }
            )
    if to_status == "effective" and not (
        delegation.instrument_id or delegation.instrument_reference.strip()
    ):
        raise ValidationError(
            {"instrument": "A delegation takes effect under an instrument: name it first."}
        )
