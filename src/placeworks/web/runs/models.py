"""One model: an allocation run as it was computed, with everything needed to compute it again."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

# ICB ODS codes: Q and two letters or digits (QE1 is Lancashire and South Cumbria).
ICB_CODE_REGEX = r"^Q[A-Z0-9]{2}$"
SHA256_REGEX = r"^[0-9a-f]{64}$"


class AllocationRun(models.Model):
    """One allocation: its configuration, inputs, data vintage and results (amounts in pounds).

    Write it through :func:`placeworks.web.runs.actions.record_run`; re-run it with
    :func:`placeworks.web.runs.actions.rerun`, which reports any difference to the penny.

    ``config`` is :class:`placeworks.allocation.Config` as JSON. ``grouping`` is null for
    placeworks' shipped groupings (re-made from the geography) and, for a user's CSV grouping,
    its name, levels and every practice's path of group codes, so that it can be re-run without
    the file. ``baseline`` holds the historic amounts (as strings), their source and whether they
    are illustrative, or null when the method used none. ``results`` maps each group to its
    amount as a string of pounds and pence.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    run_by = models.CharField(
        max_length=150, help_text="The user name, or the operating system user for the command."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    label = models.CharField(max_length=200, blank=True)
    icb_code = models.CharField("ICB ODS code", max_length=3, db_index=True)
    engine = models.CharField(max_length=20)
    inputs_hash = models.CharField("inputs hash (sha256)", max_length=64, db_index=True)
    config = models.JSONField()
    grouping = models.JSONField(null=True, blank=True)
    baseline = models.JSONField(null=True, blank=True)
    vintage = models.JSONField()
    results = models.JSONField()

    class Meta:
        ordering = ("-created_at",)
        constraints = (
            models.CheckConstraint(
                condition=models.Q(icb_code__regex=ICB_CODE_REGEX),
                name="allocationrun_icb_code_is_ods",
                violation_error_message="The ICB code must be an ODS code such as QE1.",
            ),
            models.CheckConstraint(
                condition=models.Q(inputs_hash__regex=SHA256_REGEX),
                name="allocationrun_inputs_hash_is_sha256",
                violation_error_message="The inputs hash must be 64 lower-case hex digits.",
            ),
            models.CheckConstraint(
                condition=~models.Q(run_by=""),
                name="allocationrun_run_by_is_named",
                violation_error_message="A run must name who ran it.",
            ),
        )

    def __str__(self) -> str:
        config = self.config
        method = config.get("method", {}).get("method", "?")
        return (
            f"{config.get('icb')} {config.get('year')} {config.get('function')} by"
            f" {config.get('grouping')}, {method} ({self.id})"
        )
