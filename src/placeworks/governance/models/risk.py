"""One model: a risk on a register, scored inherent, current and target."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.db.models.lookups import LessThanOrEqual

from placeworks.governance.models.base import Scoped, history, not_blank, scope_constraints
from placeworks.governance.models.post import Post
from placeworks.governance.models.risk_category import RiskCategory
from placeworks.governance.risks import MAX_LEVELS, above_appetite, risk_band, risk_score

STAGES = ("inherent", "current", "target")


class RiskQuerySet(models.QuerySet):
    def with_scores(self) -> RiskQuerySet:
        return self.annotate(
            inherent_score=F("inherent_likelihood") * F("inherent_impact"),
            current_score=F("current_likelihood") * F("current_impact"),
            target_score=F("target_likelihood") * F("target_impact"),
        )

    def above_appetite(self) -> RiskQuerySet:
        """The open risks whose current score is above their category's appetite."""
        return (
            self.with_scores()
            .filter(status=Risk.Status.OPEN)
            .filter(current_score__gt=F("category__appetite"))
        )


class Risk(Scoped):
    """A risk: what might happen, its category, owner, controls and actions, and its likelihood
    and impact before controls (inherent), now (current) and once the actions are done (target).

    ``likelihood_levels`` and ``impact_levels`` are copied from the category's matrix when saved,
    so that the database itself checks every score is on the matrix.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    reference = models.CharField(max_length=30, help_text="Such as LAN-R01.")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    category = models.ForeignKey(RiskCategory, on_delete=models.PROTECT, related_name="risks")
    owner = models.ForeignKey(
        Post, on_delete=models.PROTECT, null=True, blank=True, related_name="risks_owned"
    )
    inherent_likelihood = models.PositiveSmallIntegerField()
    inherent_impact = models.PositiveSmallIntegerField()
    current_likelihood = models.PositiveSmallIntegerField()
    current_impact = models.PositiveSmallIntegerField()
    target_likelihood = models.PositiveSmallIntegerField()
    target_impact = models.PositiveSmallIntegerField()
    likelihood_levels = models.PositiveSmallIntegerField(editable=False, default=5)
    impact_levels = models.PositiveSmallIntegerField(editable=False, default=5)
    controls = models.TextField(blank=True)
    actions = models.TextField(blank=True)
    review_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)

    history = history()

    objects = RiskQuerySet.as_manager()

    locked_fields = frozenset({"likelihood_levels", "impact_levels"})

    class Meta:
        ordering = ("reference",)
        constraints = (
            *scope_constraints("risk"),
            not_blank("risk", "title", "A risk needs a title."),
            not_blank("risk", "reference", "A risk needs a reference."),
            models.UniqueConstraint(
                fields=("icb_code", "reference"),
                name="risk_reference_unique_in_icb",
                violation_error_message="The ICB already has a risk with this reference.",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    likelihood_levels__gte=2,
                    likelihood_levels__lte=MAX_LEVELS,
                    impact_levels__gte=2,
                    impact_levels__lte=MAX_LEVELS,
                ),
                name="risk_matrix_size",
                violation_error_message=f"A matrix has 2 to {MAX_LEVELS} levels each way.",
            ),
            *(
                models.CheckConstraint(
                    condition=models.Q(
                        **{
                            f"{stage}_{scale}__gte": 1,
                            f"{stage}_{scale}__lte": F(f"{scale}_levels"),
                        }
                    ),
                    name=f"risk_{stage}_{scale}_on_matrix",
                    violation_error_message=(
                        f"The {stage} {scale} is on the matrix's scale (1 to its size)."
                    ),
                )
                for stage in STAGES
                for scale in ("likelihood", "impact")
            ),
            models.CheckConstraint(
                condition=models.Q(
                    LessThanOrEqual(
                        F("current_likelihood") * F("current_impact"),
                        F("inherent_likelihood") * F("inherent_impact"),
                    )
                ),
                name="risk_current_not_above_inherent",
                violation_error_message="Controls never make a risk's current score higher than"
                " its inherent score.",
            ),
        )

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def fill_scope(self) -> None:
        super().fill_scope()
        if self.category_id:
            matrix = self.category.matrix
            self.likelihood_levels = matrix.likelihood_levels
            self.impact_levels = matrix.impact_levels

    def clean(self) -> None:
        super().clean()
        if not self.category_id:
            return
        if self.category.icb_code != self.icb_code or self.category.place_id not in (
            None,
            self.place_id,
        ):
            raise ValidationError(
                {"category": f"The category {self.category} belongs to another place's register."}
            )
        spec = self.category.matrix.spec()
        errors = {}
        for stage in STAGES:
            likelihood = getattr(self, f"{stage}_likelihood")
            impact = getattr(self, f"{stage}_impact")
            if likelihood is None or impact is None:
                continue
            try:
                spec.check(likelihood, impact)
            except ValueError as exc:
                errors[f"{stage}_likelihood"] = f"The {stage} {exc} on {self.category.matrix}."
        if errors:
            raise ValidationError(errors)

    def score(self, stage: str = "current") -> int:
        return risk_score(
            self.category.matrix.spec(),
            getattr(self, f"{stage}_likelihood"),
            getattr(self, f"{stage}_impact"),
        )

    def band(self, stage: str = "current") -> str:
        return risk_band(self.category.matrix.spec(), self.score(stage)).name

    @property
    def above_appetite(self) -> bool:
        return above_appetite(self.score("current"), self.category.appetite)
