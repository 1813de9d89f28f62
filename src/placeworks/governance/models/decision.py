"""One model: a decision, recommendation or consultation of a body or a post."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from placeworks.governance.models.base import (
    Scoped,
    history,
    not_blank,
    scope_constraints,
)
from placeworks.governance.models.body import Body
from placeworks.governance.models.post import Post

LINKS = (
    "partnerships",
    "organisations",
    "agreements",
    "delegations",
    "pooled_funds",
    "risks",
    "assessments",
    "workstreams",
    "services",
)


class Decision(Scoped):
    """What a body or post decided, recommended or was consulted on, when, and why.

    For a consultation the maker is who was consulted (the scrutiny committee) and ``outcome``
    what they said. Linked records are explicit many-to-many fields (``LINKS``), not a generic
    relation, so each link is a real foreign key that the database keeps whole (ADR 7).
    """

    class Kind(models.TextChoices):
        DECISION = "decision", "Decision"
        RECOMMENDATION = "recommendation", "Recommendation"
        CONSULTATION = "consultation", "Consultation"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        ONGOING = "ongoing", "Ongoing"
        DONE = "done", "Made or held"

    kind = models.CharField(max_length=15, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DONE)
    made_on = models.DateField(help_text="When it was made or held (or starts, or is planned).")
    maker_body = models.ForeignKey(
        Body, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    maker_post = models.ForeignKey(
        Post, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    title = models.CharField(max_length=300)
    outcome = models.TextField(help_text="What was decided or recommended, or what was heard.")
    reasons = models.TextField(blank=True)
    options_rejected = models.JSONField(default=list, blank=True)
    evidence = models.TextField(blank=True, help_text="Reports, minutes and papers relied on.")
    reference = models.CharField(max_length=200, blank=True, help_text="Minute or report number.")

    partnerships = models.ManyToManyField(
        "governance.Partnership", blank=True, related_name="decisions"
    )
    organisations = models.ManyToManyField(
        "governance.Organisation", blank=True, related_name="decisions"
    )
    agreements = models.ManyToManyField(
        "governance.Agreement", blank=True, related_name="decisions"
    )
    delegations = models.ManyToManyField(
        "governance.Delegation", blank=True, related_name="decisions"
    )
    pooled_funds = models.ManyToManyField(
        "governance.PooledFund", blank=True, related_name="decisions"
    )
    risks = models.ManyToManyField("governance.Risk", blank=True, related_name="decisions")
    assessments = models.ManyToManyField(
        "governance.ReadinessAssessment", blank=True, related_name="decisions"
    )
    workstreams = models.ManyToManyField(
        "governance.Workstream", blank=True, related_name="decisions"
    )
    services = models.ManyToManyField("governance.Service", blank=True, related_name="decisions")

    history = history(m2m_fields=[f"{name}" for name in LINKS])

    class Meta:
        ordering = ("-made_on", "id")
        constraints = (
            *scope_constraints("decision"),
            not_blank("decision", "title", "A decision needs a title."),
            not_blank("decision", "outcome", "Say what was decided, recommended or heard."),
            models.CheckConstraint(
                condition=models.Q(maker_body__isnull=False, maker_post__isnull=True)
                | models.Q(maker_body__isnull=True, maker_post__isnull=False),
                name="decision_one_maker",
                violation_error_message="A decision is made by one body or one post.",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="decision", status="done") | ~models.Q(reasons=""),
                name="decision_made_has_reasons",
                violation_error_message="A decision that was made gives its reasons.",
            ),
        )

    def __str__(self) -> str:
        return f"{self.title} ({self.made_on})"

    def clean(self) -> None:
        super().clean()
        options = self.options_rejected
        if not isinstance(options, list) or not all(
            isinstance(option, str) and option.strip() for option in options
        ):
            raise ValidationError(
                {"options_rejected": "Options rejected are a list of descriptions."}
            )
