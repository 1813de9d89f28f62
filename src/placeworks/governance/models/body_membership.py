"""One model: who sits on a body, and how."""

from __future__ import annotations

from django.db import models

from placeworks.governance.models.base import Scoped, dates_ordered, history, scope_constraints
from placeworks.governance.models.body import Body
from placeworks.governance.models.organisation import Organisation
from placeworks.governance.models.post import Post


class BodyMembership(Scoped):
    """A seat on a body: an organisation, a post, or a post for an organisation, as chair,
    member, attendee or part of the extended network."""

    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        VICE_CHAIR = "vice_chair", "Vice-chair"
        MEMBER = "member", "Member"
        ATTENDEE = "attendee", "Attends"
        EXTENDED_NETWORK = "extended_network", "Extended network"

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="seats")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="seats"
    )
    post = models.ForeignKey(
        Post, on_delete=models.PROTECT, null=True, blank=True, related_name="seats"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    voting = models.BooleanField(default=True)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    history = history()

    scope_parent = "body"

    class Meta:
        ordering = ("body", "role")
        constraints = (
            *scope_constraints("bodymembership"),
            dates_ordered("bodymembership", "start", "end", "A seat ends after it starts."),
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False) | models.Q(post__isnull=False),
                name="bodymembership_names_organisation_or_post",
                violation_error_message="A seat on a body is held by an organisation or a post.",
            ),
        )

    def __str__(self) -> str:
        who = " for ".join(str(x) for x in (self.post, self.organisation) if x is not None)
        return f"{who} on {self.body} ({self.get_role_display().lower()})"
