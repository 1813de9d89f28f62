"""One model: a pooled fund under a Section 75 or Section 256 agreement."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from placeworks.governance.models.agreement import Agreement
from placeworks.governance.models.base import Scoped, history, not_blank, scope_constraints
from placeworks.governance.models.organisation import Organisation
from placeworks.governance.models.post import Post

FUND_AGREEMENTS = (Agreement.Kind.SECTION_75, Agreement.Kind.SECTION_256)


class PooledFund(Scoped):
    """Money partners put together under an agreement, hosted by one of its parties and run by a
    pool manager. The contributions are :class:`Contribution` rows; their totals are
    :func:`placeworks.governance.actions.pooled_fund_totals`."""

    name = models.CharField(max_length=300)
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="funds")
    host = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="hosted_funds")
    pool_manager = models.ForeignKey(
        Post, on_delete=models.PROTECT, null=True, blank=True, related_name="managed_funds"
    )
    purpose = models.TextField(blank=True)

    history = history()

    scope_parent = "agreement"

    class Meta:
        ordering = ("name",)
        constraints = (
            *scope_constraints("pooledfund"),
            not_blank("pooledfund", "name", "A pooled fund needs a name."),
        )

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.agreement_id is None:
            return
        agreement = self.agreement
        if agreement.kind not in FUND_AGREEMENTS:
            raise ValidationError(
                {
                    "agreement": f"A pooled fund rests on a Section 75 or Section 256 agreement;"
                    f" {agreement} is a {agreement.get_kind_display().lower()}."
                }
            )
        if self.host_id and not agreement.parties.filter(pk=self.host_id).exists():
            raise ValidationError(
                {"host": f"The host, {self.host}, must be a party to {agreement}."}
            )
