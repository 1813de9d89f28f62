"""One model: an agreement between organisations (protocol, MoU, Section 75 ...)."""

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

# The kinds of agreement that are always legally binding.
BINDING_KINDS = ("section_75", "section_256", "delegation_agreement")


class Agreement(Scoped):
    """A document that binds or guides organisations: parties, host, term and key dates.

    Section 75, Section 256 and delegation agreements are legally binding; a memorandum of
    understanding never is; a partnership protocol may be either. Changes after signing are
    :class:`AgreementVariation` records.
    """

    class Kind(models.TextChoices):
        PARTNERSHIP_PROTOCOL = "partnership_protocol", "Partnership protocol"
        MEMORANDUM_OF_UNDERSTANDING = "mou", "Memorandum of understanding"
        SECTION_75 = "section_75", "Section 75 agreement (NHS Act 2006)"
        SECTION_256 = "section_256", "Section 256 agreement (NHS Act 2006)"
        DELEGATION_AGREEMENT = "delegation_agreement", "Delegation agreement"
        SCHEME_OF_DELEGATION = "scheme_of_delegation", "Scheme of reservation and delegation"
        TERMS_OF_REFERENCE = "terms_of_reference", "Terms of reference"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        DRAFT = "draft", "Being drawn up"
        IN_FORCE = "in_force", "In force"
        ENDED = "ended", "Ended"

    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    parties = models.ManyToManyField(Organisation, related_name="agreements", blank=True)
    host = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_agreements",
    )
    legal_force = models.BooleanField(help_text="Whether it is legally binding.")
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    review_date = models.DateField(null=True, blank=True)
    notice_date = models.DateField(
        null=True, blank=True, help_text="The last day to give notice of ending it."
    )
    summary = models.TextField(blank=True)

    history = history(m2m_fields=[parties])

    class Meta:
        ordering = ("title",)
        constraints = (
            *scope_constraints("agreement"),
            not_blank("agreement", "title", "An agreement needs a title."),
            dates_ordered("agreement", "start", "end", "An agreement ends on or after it starts."),
            dates_ordered(
                "agreement", "start", "review_date", "An agreement is reviewed after it starts."
            ),
            dates_ordered(
                "agreement", "start", "notice_date", "Notice is given after an agreement starts."
            ),
            dates_ordered(
                "agreement", "notice_date", "end", "Notice is given on or before the end date."
            ),
            models.CheckConstraint(
                condition=~models.Q(kind__in=BINDING_KINDS) | models.Q(legal_force=True),
                name="agreement_statutory_kinds_are_binding",
                violation_error_message=(
                    "Section 75, Section 256 and delegation agreements are legally binding."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="mou") | models.Q(legal_force=False),
                name="agreement_mou_not_binding",
                violation_error_message="A memorandum of understanding is not legally binding.",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="in_force") | models.Q(start__isnull=False),
                name="agreement_in_force_has_start",
                violation_error_message="An agreement in force has a start date.",
            ),
        )

    def __str__(self) -> str:
        return self.title

    def clean_related(self) -> None:
        if self.host_id and not self.parties.filter(pk=self.host_id).exists():
            raise ValidationError(
                {"host": f"The host, {self.host}, must be one of the agreement's parties."}
            )
