"""Creating and changing any record of the register: scoped, validated, versioned, recorded.

Every write here is atomic, names who acted (``by``), checks their role through
:mod:`placeworks.governance.scope`, validates the whole record (field rules, model rules and the
database's constraints, each with its own message) before writing, and keeps one history row per
change. A change names the version it was made on; if someone else saved the record since,
:class:`EditConflict` refuses it and nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.timezone import localtime

from placeworks.governance.models import Place, Scoped, Versioned
from placeworks.governance.models.base import record_history
from placeworks.governance.scope import require_edit, visible

R = TypeVar("R", bound=Versioned)


class EditConflict(Exception):
    """A change was made on a version of a record that someone else has since changed.

    ``attempted`` holds the refused changes, so that nothing the second editor typed is lost;
    ``current_version``, ``changed_by`` and ``changed_at`` describe the change that won.
    """

    def __init__(
        self,
        record: Versioned,
        *,
        expected_version: int,
        attempted: Mapping[str, Any] | None = None,
    ) -> None:
        self.record = record
        self.expected_version = expected_version
        self.attempted = dict(attempted or {})
        latest = _latest_history(record)
        self.current_version = record.version
        self.changed_by = _name(latest.history_user) if latest else "someone"
        self.changed_at = latest.history_date if latest else None
        when = f" at {localtime(self.changed_at):%d %b %Y %H:%M}" if self.changed_at else ""
        super().__init__(
            f"{_capital(record.label())} was changed by {self.changed_by}{when} (now version"
            f" {self.current_version}) after you opened version {expected_version}. Your changes"
            " were not saved and theirs are kept: open it again to see theirs, then make yours."
        )


@transaction.atomic
def create(model: type[R], *, by, **values: Any) -> R:
    """Store a new ``model`` record with ``values`` (many-to-many fields as lists).

    Raises ``ValueError`` for a field the model does not have or that is set for it,
    ``PermissionDenied`` if ``by`` may not create it there or may not see a record it links to,
    and ``ValidationError`` (per field) for invalid values; then nothing is written.
    """
    fields, many = _split(model, values, creating=True)
    _check_links(by, model, fields, many)
    record = model(**fields)
    if isinstance(record, Scoped):
        record.fill_scope()
    require_edit(by, record)
    record.full_clean()
    _write(record, by=by, many=many, created=True)
    return record


@transaction.atomic
def update(record: R, *, by, version: int | None = None, **changes: Any) -> R:
    """Change some fields of ``record`` as ``by``, made on ``version`` (default: the version
    ``record`` was read at). ``record`` is brought up to date and returned.

    Refuses, writing nothing: a field that is unknown or locked (``ValueError``); a user who may
    not see or change the record, or may not see a record it would link to
    (``PermissionDenied``); invalid values (``ValidationError``); a version someone else has
    changed since (:class:`EditConflict`, keeping the refused changes on it).
    """
    model = type(record)
    expected = record.version if version is None else version
    fields, many = _split(model, changes, creating=False)
    current = lock_for_change(by, record)
    require_edit(by, current)
    if current.version != expected:
        raise EditConflict(current, expected_version=expected, attempted=changes)
    _check_links(by, model, fields, many)
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean()
    save_versioned(current, by=by, expected_version=expected, many=many)
    _copy(current, record)
    return record


@transaction.atomic
def save_versioned(
    record: R,
    *,
    by,
    expected_version: int,
    many: Mapping[str, Iterable] | None = None,
    reason: str | None = None,
) -> R:
    """Save ``record`` only if its stored version is still ``expected_version``.

    The check and the claim are one statement (``UPDATE ... SET version = expected + 1 WHERE id
    = ... AND version = expected``), so of two editors who read the same version exactly one
    wins; the other gets :class:`EditConflict` and nothing of theirs is written. The caller has
    checked the user's role and validated the record.
    """
    model = type(record)
    claimed = model._base_manager.filter(pk=record.pk, version=expected_version).update(
        version=expected_version + 1
    )
    if claimed != 1:
        stored = model._base_manager.get(pk=record.pk)
        attempted = {
            f.name: getattr(record, f.attname)
            for f in model._meta.concrete_fields
            if getattr(record, f.attname) != getattr(stored, f.attname) and f.name != "version"
        }
        raise EditConflict(stored, expected_version=expected_version, attempted=attempted)
    record.version = expected_version + 1
    if reason:
        record._change_reason = reason
    _write(record, by=by, many=many or {}, created=False)
    return record


def fetch(by, model: type[R], **lookup: Any) -> R:
    """The one record of ``model`` matching ``lookup`` that ``by`` may see.

    ``model.DoesNotExist`` if there is none they may see (a record outside their scope is as
    good as absent to them).
    """
    return visible(by, model).get(**lookup)


# --- internals --------------------------------------------------------------------------------


def _split(
    model: type[Versioned], values: Mapping[str, Any], *, creating: bool
) -> tuple[dict[str, Any], dict[str, list]]:
    """Plain fields and many-to-many fields, refusing unknown, derived and locked ones."""
    concrete = {f.name: f for f in model._meta.concrete_fields}
    many_names = {f.name for f in model._meta.many_to_many}
    derived = {"id", "version"}
    if issubclass(model, Scoped) and model.scope_parent:
        derived |= {"place", "icb_code"}
    locked = set(model.locked_fields) | ({"place", "icb_code", model.scope_parent} - {None})
    unknown = sorted(set(values) - set(concrete) - many_names)
    if unknown:
        raise ValueError(f"{model._meta.verbose_name} has no field {', '.join(unknown)}")
    fields: dict[str, Any] = {}
    many: dict[str, list] = {}
    for name, value in values.items():
        if name in derived:
            raise ValueError(_derived_message(model, name))
        if name in locked and not creating:
            raise ValueError(_locked_message(model, name))
        if name in many_names:
            many[name] = list(value)
        else:
            fields[name] = value
    return fields, many


def _derived_message(model: type[Versioned], name: str) -> str:
    what = model._meta.verbose_name
    if name in {"place", "icb_code"}:
        return f"a {what} belongs where its {model.scope_parent} does: do not give its {name}"
    return f"{what}: {name} is kept by the register itself"


def _locked_message(model: type[Versioned], name: str) -> str:
    what = model._meta.verbose_name
    if name == "status" and model.__name__ == "Delegation":
        return "a delegation's status changes only by a recorded decision (transition_delegation)"
    if name in {"place", "icb_code", model.scope_parent}:
        return f"a {what} stays where it was made: make a new one instead of moving it"
    return f"{what}: {name} cannot be changed once made"


def _check_links(by, model: type[Versioned], fields: Mapping, many: Mapping) -> None:
    """Refuse links to register records ``by`` may not see."""
    for name, value in [*fields.items(), *many.items()]:
        field = model._meta.get_field(name)
        if not field.is_relation:
            continue
        target = field.related_model
        if not (issubclass(target, Scoped) or target is Place):
            continue
        given = value if name in many else ([] if value is None else [value])
        key = field.target_field.attname if not field.many_to_many else "pk"
        wanted = {v if not isinstance(v, models.Model) else getattr(v, key) for v in given}
        if not wanted:
            continue
        seen = visible(by, target).filter(**{f"{key}__in": wanted}).count()
        if seen != len(wanted):
            raise PermissionDenied(
                f"{_name(by)} cannot link a {model._meta.verbose_name} to a"
                f" {target._meta.verbose_name} they may not see ({name})."
            )


def lock_for_change(by, record: R) -> R:
    """The stored record, locked for this transaction, if ``by`` may see it."""
    model = type(record)
    try:
        return visible(by, model).select_for_update().get(pk=record.pk)
    except model.DoesNotExist:
        if model._base_manager.filter(pk=record.pk).exists():
            raise PermissionDenied(f"{_name(by)} cannot see {record.label()}.") from None
        raise


def _write(record: Versioned, *, by, many: Mapping[str, Iterable], created: bool) -> None:
    """Save fields and many-to-many links, check what needs the links, keep one history row."""
    record._history_user = by if getattr(by, "pk", None) else None
    record.skip_history_when_saving = True
    try:
        record.save()
        for name, values in many.items():
            getattr(record, name).set(values)
        record.clean_related()
    finally:
        del record.skip_history_when_saving
    record_history(record, created=created)


def _copy(source: models.Model, target: models.Model) -> None:
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def _latest_history(record: models.Model):
    manager = getattr(type(record), "history", None)
    if manager is None or record.pk is None:
        return None
    return manager.filter(id=record.pk).order_by("-history_date", "-history_id").first()


def _name(user) -> str:
    if user is None or not getattr(user, "pk", None):
        return "an anonymous user"
    return user.get_username()


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
