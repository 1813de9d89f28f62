"""Granting and revoking roles in the register."""

from __future__ import annotations

from django.db import transaction

from placeworks.governance.models import Place, Role
from placeworks.governance.scope import require_edit

from .records import create, lock_for_change


@transaction.atomic
def grant_role(user, level: str, *, by, place: Place | None = None, icb_code: str = "") -> Role:
    """Give ``user`` a role for ``place``, or across ``icb_code`` when no place is given.

    Only an administrator of that place (or an ICB-wide administrator) may grant it.
    """
    if place is None and not icb_code:
        raise ValueError("a role is for a place or, with no place, for an ICB: name one")
    if place is not None and icb_code and place.icb_code != icb_code:
        raise ValueError(f"{place} is not in {icb_code}")
    return create(
        Role,
        by=by,
        user=user,
        level=level,
        place=place,
        icb_code=place.icb_code if place is not None else icb_code,
        granted_by=by,
    )


@transaction.atomic
def revoke_role(role: Role, *, by) -> None:
    """Remove a role; its history keeps who had it, and who removed it when."""
    current = lock_for_change(by, role)
    require_edit(by, current)
    current._history_user = by
    current.delete()


@transaction.atomic
def grant_first_administrator(user, icb_code: str) -> Role:
    """Make ``user`` the first ICB-wide administrator of ``icb_code``, from the command line.

    Refused once the ICB has an administrator: after that, administrators grant roles.
    """
    if Role.objects.filter(icb_code=icb_code, level=Role.Level.ADMINISTRATOR).exists():
        raise ValueError(f"{icb_code} already has an administrator: ask them for a role")
    role = Role(user=user, icb_code=icb_code, level=Role.Level.ADMINISTRATOR)
    role.full_clean()
    role.save()
    return role
