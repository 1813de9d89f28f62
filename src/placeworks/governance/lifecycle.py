"""The lifecycle of a delegation, as data: its statuses and the transitions allowed between them.

=====================  =========================================  ============================
from                   to                                         why
=====================  =========================================  ============================
(new)                  proposed                                   every delegation starts here
proposed               readiness_assessed, revoked                assessed, or withdrawn
readiness_assessed     approved, proposed, revoked                approved, sent back, dropped
approved               effective, revoked                         takes effect, or rescinded
effective              varied, revoked                            scope or limits changed
varied                 effective, revoked                         the variation takes effect
revoked                (none)                                     final: a new delegation
=====================  =========================================  ============================

Every transition is a decision of a body or post, recorded with its date, reasons and evidence
(:func:`placeworks.governance.actions.transition_delegation`). Nothing here imports Django.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

STATUSES: Mapping[str, str] = MappingProxyType(
    {
        "proposed": "Proposed",
        "readiness_assessed": "Readiness assessed",
        "approved": "Approved",
        "effective": "Effective",
        "varied": "Varied",
        "revoked": "Revoked",
    }
)
INITIAL = "proposed"

TRANSITIONS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "proposed": ("readiness_assessed", "revoked"),
        "readiness_assessed": ("approved", "proposed", "revoked"),
        "approved": ("effective", "revoked"),
        "effective": ("varied", "revoked"),
        "varied": ("effective", "revoked"),
        "revoked": (),
    }
)

# Statuses in which the delegated function is being exercised by the delegate.
IN_FORCE = frozenset({"effective", "varied"})


class IllegalTransition(ValueError):
    """A delegation was asked to move to a status its lifecycle does not allow from where it is."""

    def __init__(self, from_status: str, to_status: str, what: str = "A delegation") -> None:
        self.from_status = from_status
        self.to_status = to_status
        self.allowed = TRANSITIONS.get(from_status, ())
        super().__init__(describe_refusal(from_status, to_status, what))


def describe_refusal(from_status: str, to_status: str, what: str = "A delegation") -> str:
    """The message for a refused transition: both statuses and the allowed next ones."""
    if to_status not in STATUSES:
        known = ", ".join(STATUSES)
        return f"{what} has no status {to_status!r}; the statuses are {known}."
    allowed = TRANSITIONS.get(from_status, ())
    frm, to = _label(from_status), _label(to_status)
    if not allowed:
        nexts = f"{frm} is final: no status follows it"
    else:
        nexts = f"from {frm} the next status is " + _either(allowed)
    if from_status == to_status:
        return f"{what} that is {frm} is already {to}; {nexts}."
    return f"{what} cannot go from {frm} to {to}: {nexts}."


def allowed_next(status: str) -> tuple[str, ...]:
    """The statuses a delegation in ``status`` may move to, in the table's order."""
    if status not in STATUSES:
        raise ValueError(f"{status!r} is not a delegation status")
    return TRANSITIONS[status]


def check_transition(from_status: str, to_status: str, what: str = "A delegation") -> None:
    """Raise :class:`IllegalTransition` unless the lifecycle allows this move."""
    if from_status not in STATUSES:
        raise ValueError(f"{from_status!r} is not a delegation status")
    if to_status not in TRANSITIONS[from_status]:
        raise IllegalTransition(from_status, to_status, what)


def reachable(status: str = INITIAL) -> frozenset[str]:
    """Every status that can be reached from ``status`` (itself included)."""
    seen = {status}
    todo = [status]
    while todo:
        for nxt in TRANSITIONS[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return frozenset(seen)


def _label(status: str) -> str:
    return f"'{STATUSES.get(status, status).lower()}'"


def _either(statuses: tuple[str, ...]) -> str:
    labels = [_label(s) for s in statuses]
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + " or " + labels[-1]
