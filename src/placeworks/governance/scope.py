"""Who may see and change which records: the only way the register is read or written.

A user's roles (:class:`placeworks.governance.models.Role`) are per place or across a whole
ICB, at three levels: a viewer sees, an editor also changes, an administrator also grants roles.

- A record of a place is seen by anyone with a role for that place or across its ICB, and
  changed by an editor or administrator of either.
- A record of the whole ICB (``place`` empty) is seen by anyone with any role in that ICB, and
  changed only by an ICB-wide editor or administrator.
- Places are seen by anyone with a role in their ICB and changed by ICB-wide editors.
- Roles are seen by the user who holds them and by administrators of their place or ICB, and
  granted only by those administrators.

Django's superuser flag gives no access here: the register's access is its roles alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models

from placeworks.governance.models import Place, Role, Scoped

M = TypeVar("M", bound=models.Model)

VIEWER, EDITOR, ADMINISTRATOR = 1, 2, 3
LEVEL_NAMES = {VIEWER: "viewer", EDITOR: "editor", ADMINISTRATOR: "administrator"}


@dataclass(frozen=True)
class Access:
    """A user's roles, as levels: per place code and per ICB (ICB-wide)."""

    places: dict[str, int]
    icbs: dict[str, int]

    @property
    def icbs_seen(self) -> set[str]:
        """Every ICB the user has some role in."""
        return set(self.icbs) | {place[:3] for place in self.places}

    def level(self, icb_code: str, place: str | None) -> int:
        """The user's level for a record of ``place`` (or of the whole ICB when None)."""
        found = self.icbs.get(icb_code, 0)
        if place is not None:
            found = max(found, self.places.get(place, 0))
        return found

    def places_at(self, level: int) -> list[str]:
        return [place for place, held in self.places.items() if held >= level]

    def icbs_at(self, level: int) -> list[str]:
        return [icb for icb, held in self.icbs.items() if held >= level]


def access(user) -> Access:
    """The roles of ``user`` (none for an anonymous or inactive user)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Access({}, {})
    places: dict[str, int] = {}
    icbs: dict[str, int] = {}
    for place, icb_code, level in Role.objects.filter(user=user).values_list(
        "place_id", "icb_code", "level"
    ):
        rank = Role.RANK[level]
        if place is None:
            icbs[icb_code] = max(icbs.get(icb_code, 0), rank)
        else:
            places[place] = max(places.get(place, 0), rank)
    return Access(places, icbs)


def visible(user, model: type[M]) -> models.QuerySet[M]:
    """The records of ``model`` that ``user`` may see."""
    found = access(user)
    manager = model._default_manager
    if model is Place:
        return manager.filter(icb_code__in=found.icbs_seen)
    if model is Role:
        if not found.icbs_seen:
            return manager.none()
        return manager.filter(
            models.Q(user=user)
            | models.Q(icb_code__in=found.icbs_at(ADMINISTRATOR))
            | models.Q(place__in=found.places_at(ADMINISTRATOR))
        )
    if not issubclass(model, Scoped):
        raise TypeError(f"{model.__name__} is not a record of the register")
    return manager.filter(
        models.Q(icb_code__in=list(found.icbs))
        | models.Q(place__in=list(found.places))
        | models.Q(place__isnull=True, icb_code__in=found.icbs_seen)
    )


def scope_of(obj: models.Model) -> tuple[str, str | None]:
    """The ICB and place (None: the whole ICB) whose roles govern changes to ``obj``."""
    if isinstance(obj, Place):
        return obj.icb_code, None
    if isinstance(obj, Role):
        return (obj.icb_code or (obj.place_id or "")[:3]), obj.place_id
    if isinstance(obj, Scoped):
        obj.fill_scope()
        return obj.icb_code, obj.place_id
    raise TypeError(f"{type(obj).__name__} is not a record of the register")


def needed_level(obj: models.Model) -> int:
    """The level needed to change ``obj``: administrator for a role, editor otherwise."""
    return ADMINISTRATOR if isinstance(obj, Role) else EDITOR


def edits_in_icb(user, icb_code: str) -> bool:
    """Whether ``user`` is an editor (or administrator) across ``icb_code`` or for one of its
    places: who may add the ICB's shared inputs, such as a historic baseline."""
    found = access(user)
    return found.icbs.get(icb_code, 0) >= EDITOR or any(
        place[:3] == icb_code for place in found.places_at(EDITOR)
    )


def can_view(user, obj: models.Model) -> bool:
    if obj.pk is None:
        return can_edit(user, obj)
    return visible(user, type(obj)).filter(pk=obj.pk).exists()


def can_edit(user, obj: models.Model) -> bool:
    """Whether ``user`` may change (or, if unsaved, create) ``obj`` where it now belongs."""
    icb_code, place = scope_of(obj)
    return access(user).level(icb_code, place) >= needed_level(obj)


def require_view(user, obj: M) -> M:
    """``obj`` if ``user`` may see it; PermissionDenied naming the record otherwise."""
    if not can_view(user, obj):
        raise PermissionDenied(f"{_who(user)} cannot see {_label(obj)}.")
    return obj


def require_place_view(user, place: Place) -> Place:
    """``place`` if ``user`` may see its records (a role for it, or across its ICB)."""
    if access(user).level(place.icb_code, place.code) < VIEWER:
        raise PermissionDenied(
            f"{_who(user)} cannot see the records of {place}: that needs a role for"
            f" {place.code} or across {place.icb_code}."
        )
    return place


def require_edit(user, obj: M) -> M:
    """``obj`` if ``user`` may change it; PermissionDenied saying which role would be needed."""
    if can_edit(user, obj):
        return obj
    icb_code, place = scope_of(obj)
    need = LEVEL_NAMES[needed_level(obj)]
    held = access(user).level(icb_code, place)
    where = f"place {place}" if place else f"the whole of {icb_code}"
    has = f"they are {_a(LEVEL_NAMES[held])} there" if held else "they have no role there"
    if place:
        needs = f"an {need} role for {place} or an ICB-wide {need} role for {icb_code}"
    else:
        needs = f"an ICB-wide {need} role for {icb_code}"
    raise PermissionDenied(
        f"{_who(user)} cannot change {_label(obj)}, a record of {where}: {has}; it needs {needs}."
    )


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


def _who(user) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return "An anonymous user"
    return user.get_username()


def _label(obj: models.Model) -> str:
    label = getattr(obj, "label", None)
    try:
        return label() if callable(label) else f"{obj._meta.verbose_name} '{obj}'"
    except ObjectDoesNotExist:  # a new record whose links are not set yet
        return f"a new {obj._meta.verbose_name}"
