"""One model: a post, possibly held jointly on behalf of several organisations."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from placeworks.governance.models.base import Scoped, history, not_blank, scope_constraints
from placeworks.governance.models.organisation import Organisation


class Post(Scoped):
    """A position, not the person in it: Director of Health and Care Integration, lead Officer,
    Integrated Place Leader.

    ``employer`` employs whoever holds it; ``organisations`` are those it acts on behalf of, more
    than one for a joint post (the ICB and the county council). The employer is one of them.
    """

    title = models.CharField(max_length=300)
    employer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employed_posts",
    )
    organisations = models.ManyToManyField(
        Organisation,
        related_name="posts",
        blank=True,
        help_text="The organisations the post acts for: more than one for a joint post.",
    )
    funded_by = models.CharField(max_length=200, blank=True, help_text="Such as NHS-funded.")
    description = models.TextField(blank=True)

    history = history(m2m_fields=[organisations])

    class Meta:
        ordering = ("title",)
        constraints = (
            *scope_constraints("post"),
            not_blank("post", "title", "A post needs a title."),
        )

    def __str__(self) -> str:
        return self.title

    @property
    def joint(self) -> bool:
        return self.organisations.count() > 1

    def clean_related(self) -> None:
        if self.employer_id and not self.organisations.filter(pk=self.employer_id).exists():
            raise ValidationError(
                {"employer": f"The employer, {self.employer}, is one of the post's organisations."}
            )
