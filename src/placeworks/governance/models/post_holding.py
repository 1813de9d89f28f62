"""One model: who held a post, when and how."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from placeworks.governance.models.base import (
    Scoped,
    dates_ordered,
    history,
    not_blank,
    scope_constraints,
)
from placeworks.governance.models.organisation import Organisation
from placeworks.governance.models.post import Post
from placeworks.governance.text import long_date


class PostHolding(Scoped):
    """A person in a post from ``start`` to ``end``: substantively, on secondment (from the
    organisation named), acting, or as deputy.

    A post has at most one open holding of each kind: one substantive holder, one secondee, one
    person acting and one deputy at a time. Overlapping dated holdings are refused by the actions.
    """

    class Kind(models.TextChoices):
        SUBSTANTIVE = "substantive", "Substantive"
        SECONDMENT = "secondment", "Secondment"
        ACTING = "acting", "Acting"
        DEPUTY = "deputy", "Deputy"

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="holdings")
    holder = models.CharField(max_length=200, help_text="The person's name as published.")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    seconded_from = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="secondments",
    )
    substantive_post = models.ForeignKey(
        Post,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="For a secondment: the post the holder is seconded from.",
    )
    notes = models.TextField(blank=True)

    history = history()

    scope_parent = "post"

    class Meta:
        ordering = ("post", "start")
        constraints = (
            *scope_constraints("postholding"),
            not_blank("postholding", "holder", "Name who holds the post."),
            dates_ordered("postholding", "start", "end", "A holding ends after it starts."),
            models.CheckConstraint(
                condition=~models.Q(kind="secondment") | models.Q(seconded_from__isnull=False),
                name="postholding_secondment_names_employer",
                violation_error_message="A secondment names the organisation seconding the holder.",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="secondment")
                | models.Q(seconded_from__isnull=True, substantive_post__isnull=True),
                name="postholding_only_secondments_come_from",
                violation_error_message="Only a secondment comes from another organisation or"
                " post.",
            ),
            models.UniqueConstraint(
                fields=("post", "kind"),
                condition=models.Q(end__isnull=True),
                name="postholding_one_open_per_kind",
                violation_error_message=(
                    "This post already has an open holding of this kind: end it first."
                ),
            ),
        )

    def __str__(self) -> str:
        return f"{self.holder}, {self.post} ({self.get_kind_display().lower()})"

    def clean(self) -> None:
        super().clean()
        if not self.post_id:
            return
        others = PostHolding.objects.filter(post_id=self.post_id, kind=self.kind).exclude(
            pk=self.pk
        )
        if self.end is not None:
            others = others.filter(models.Q(start__isnull=True) | models.Q(start__lte=self.end))
        if self.start is not None:
            others = others.filter(models.Q(end__isnull=True) | models.Q(end__gte=self.start))
        clash = others.first()
        if clash is not None:
            raise ValidationError(
                {
                    "start": f"{clash.holder} holds this post ({self.get_kind_display().lower()})"
                    f" {_dates(clash)}, overlapping these dates."
                }
            )


def _dates(holding: PostHolding) -> str:
    start = f"from {long_date(holding.start)}" if holding.start else "from an unknown date"
    end = f" to {long_date(holding.end)}" if holding.end else " with no end date"
    return start + end
