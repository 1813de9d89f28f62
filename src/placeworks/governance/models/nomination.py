"""One model: a partner's nominated lead member or lead officer for a partnership."""

from __future__ import annotations

from django.db import models

from placeworks.governance.models.base import Scoped, dates_ordered, history, scope_constraints
from placeworks.governance.models.organisation import Organisation
from placeworks.governance.models.partnership import Partnership
from placeworks.governance.models.post import Post


class Nomination(Scoped):
    """Who a partner nominates to lead for it in a partnership: a lead member (an elected
    member, such as a portfolio holder) or a lead officer, by post and, if published, by name.

    A partner has one open nomination of each role in a partnership at a time.
    """

    class Role(models.TextChoices):
        LEAD_MEMBER = "lead_member", "Lead member"
        LEAD_OFFICER = "lead_officer", "Lead officer"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="nominations"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="nominations"
    )
    role = models.CharField(max_length=12, choices=Role.choices)
    post = models.ForeignKey(
        Post, on_delete=models.PROTECT, null=True, blank=True, related_name="nominations"
    )
    person = models.CharField(max_length=200, blank=True)
    authority = models.TextField(
        blank=True, help_text="Any authority delegated with the nomination, and on what terms."
    )
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)

    history = history()

    scope_parent = "partnership"

    class Meta:
        ordering = ("partnership", "organisation", "role")
        constraints = (
            *scope_constraints("nomination"),
            dates_ordered("nomination", "start", "end", "A nomination ends after it starts."),
            models.CheckConstraint(
                condition=models.Q(post__isnull=False) | ~models.Q(person=""),
                name="nomination_names_post_or_person",
                violation_error_message="A nomination names a post, a person or both.",
            ),
            models.UniqueConstraint(
                fields=("partnership", "organisation", "role"),
                condition=models.Q(end__isnull=True),
                name="nomination_one_open_per_role",
                violation_error_message=(
                    "This partner already has an open nomination for this role: end it first."
                ),
            ),
        )

    def __str__(self) -> str:
        who = self.post or self.person
        return f"{self.get_role_display()} for {self.organisation}: {who}"
