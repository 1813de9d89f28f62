"""A record's history: every change, who made it, when, and each field before and after."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from placeworks.governance.models import Versioned
from placeworks.governance.scope import require_view

KINDS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Change:
    """One saved version of a record."""

    at: datetime.datetime
    by: str | None
    kind: str
    version: int
    reason: str | None
    fields: tuple[FieldChange, ...]


def changes(record: Versioned, *, by) -> list[Change]:
    """The history of ``record``, oldest first, as ``by`` may see it.

    A created record lists every field with no before; a change lists only what changed
    (many-to-many fields as lists of linked ids).
    """
    require_view(by, record)
    rows = list(record.history.order_by("history_date", "history_id"))
    found = []
    previous = None
    for row in rows:
        if previous is None:
            fields = tuple(
                FieldChange(f.attname, None, getattr(row, f.attname))
                for f in type(record)._meta.concrete_fields
            )
        else:
            delta = row.diff_against(previous)
            own = record._meta.model_name
            fields = tuple(
                FieldChange(c.field, _plain(c.old, own), _plain(c.new, own)) for c in delta.changes
            )
        user = row.history_user
        found.append(
            Change(
                at=row.history_date,
                by=user.get_username() if user is not None else None,
                kind=KINDS[row.history_type],
                version=row.version,
                reason=row.history_change_reason,
                fields=fields,
            )
        )
        previous = row
    return found


def _plain(value: Any, own: str) -> Any:
    """A many-to-many field's rows (dicts of the link table) as the sorted ids linked to."""
    if isinstance(value, list):
        skip = {"id", "history", "m2m_history_id", own}
        return sorted(
            next((v for k, v in item.items() if k not in skip), None)
            if isinstance(item, dict)
            else item
            for item in value
        )
    return value
