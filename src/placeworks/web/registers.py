"""The registers a place's pages list, show, create, edit and export: one declaration each.

A register names its model and which of its fields appear where: the list's columns, the
fields searched, the filters offered, and the fields of its form. Everything else (labels,
choices, which records a user may see and change) comes from the model and the scope, so the
generic pages in :mod:`placeworks.web.register_views` serve every register alike. A register
with pages of its own (a delegation's lifecycle) names them in ``detail_url``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from placeworks.governance.models import (
    Agreement,
    AgreementVariation,
    Body,
    BodyMembership,
    Contribution,
    Decision,
    Delegation,
    Function,
    Membership,
    Milestone,
    NeighbourhoodTeam,
    Nomination,
    Organisation,
    Partnership,
    PooledFund,
    Post,
    PostHolding,
    ReadinessAssessment,
    ReadinessFramework,
    ReportingLine,
    Risk,
    RiskCategory,
    RiskMatrix,
    Service,
    TeamRole,
    Workstream,
)
from placeworks.web.deal_forms import AssessmentForm, DelegationForm, RiskForm

# Text fields whose JSON value is a list of strings, edited one item a line.
LINE_LISTS = {(Decision, "options_rejected"), (Service, "neighbourhoods")}


def _risk_score(risk) -> str:
    score = risk.score("current")
    above = ", above appetite" if risk.above_appetite else ""
    return (
        f"{score} ({risk.current_likelihood} × {risk.current_impact}), {risk.band('current')}"
        f"{above}"
    )


@dataclass(frozen=True)
class Register:
    """One register: its model, its address (``slug``) and the fields of its pages."""

    slug: str
    model: type[models.Model]
    columns: tuple[str, ...]
    search: tuple[str, ...]
    filters: tuple[str, ...] = ()
    form: tuple[str, ...] = ()
    group: str = "The deal"
    # A form of its own (taking ``user``, ``place`` and ``editing``), instead of ``form``.
    form_class: type | None = None
    # The url name of a page of its own for a record (kwargs code and pk), if any.
    detail_url: str | None = None
    # Child registers shown on a record's page (their scope_parent points here).
    children: tuple[str, ...] = field(default=())
    # Columns worked out from a record rather than stored: name -> (heading, function).
    computed: Mapping[str, tuple[str, Callable[[Any], str]]] = field(default_factory=dict)

    @property
    def title(self) -> str:
        name = str(self.model._meta.verbose_name_plural)
        return name[:1].upper() + name[1:]

    @property
    def singular(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def parent(self) -> str | None:
        return getattr(self.model, "scope_parent", None)

    @property
    def place_required(self) -> bool:
        return bool(getattr(self.model, "place_required", False))

    def field_label(self, name: str) -> str:
        if name in self.computed:
            return self.computed[name][0]
        if name == "place":
            return "Belongs to"
        label = str(self.model._meta.get_field(name).verbose_name)
        return label[:1].upper() + label[1:]


REGISTERS: dict[str, Register] = {
    r.slug: r
    for r in (
        Register(
            "organisations",
            Organisation,
            columns=("name", "kind", "code", "valid_from", "valid_to", "place"),
            search=("name", "code"),
            filters=("kind", "code_system"),
            form=("name", "kind", "code_system", "code", "valid_from", "valid_to", "successor"),
            group="Who is who",
        ),
        Register(
            "partnerships",
            Partnership,
            columns=("name", "also_known_as", "shadow", "established", "ended", "place"),
            search=("name", "also_known_as", "aims"),
            filters=("shadow",),
            form=("name", "also_known_as", "shadow", "established", "ended", "aims", "agreement"),
            group="Who is who",
            children=("memberships", "nominations"),
        ),
        Register(
            "memberships",
            Membership,
            columns=("partnership", "organisation", "level", "start", "end"),
            search=("organisation__name", "partnership__name", "notes"),
            filters=("level", "partnership"),
            form=("partnership", "organisation", "level", "start", "end", "agreement", "notes"),
            group="Who is who",
        ),
        Register(
            "nominations",
            Nomination,
            columns=("partnership", "organisation", "role", "person", "post", "start", "end"),
            search=("person", "organisation__name", "authority"),
            filters=("role", "partnership"),
            form=(
                "partnership",
                "organisation",
                "role",
                "post",
                "person",
                "authority",
                "start",
                "end",
            ),
            group="Who is who",
        ),
        Register(
            "bodies",
            Body,
            columns=("name", "kind", "organisation", "cadence", "interim", "place"),
            search=("name", "terms_of_reference"),
            filters=("kind", "cadence", "interim"),
            form=(
                "name",
                "kind",
                "organisation",
                "partnership",
                "interim",
                "terms_of_reference",
                "cadence",
                "established",
                "dissolved",
            ),
            group="Who is who",
            children=("body-memberships", "reporting-lines"),
        ),
        Register(
            "body-memberships",
            BodyMembership,
            columns=("body", "role", "organisation", "post", "voting", "start", "end"),
            search=("body__name", "organisation__name", "post__title", "notes"),
            filters=("role", "voting", "body"),
            form=("body", "organisation", "post", "role", "voting", "start", "end", "notes"),
            group="Who is who",
        ),
        Register(
            "reporting-lines",
            ReportingLine,
            columns=("source", "kind", "target", "start", "end"),
            search=("source__name", "target__name", "notes"),
            filters=("kind",),
            form=("source", "kind", "target", "start", "end", "notes"),
            group="Who is who",
        ),
        Register(
            "posts",
            Post,
            columns=("title", "employer", "funded_by", "place"),
            search=("title", "description", "funded_by"),
            filters=("employer",),
            form=("title", "employer", "organisations", "funded_by", "description"),
            group="Who is who",
            children=("post-holdings",),
        ),
        Register(
            "post-holdings",
            PostHolding,
            columns=("post", "holder", "kind", "start", "end", "seconded_from"),
            search=("holder", "post__title", "notes"),
            filters=("kind",),
            form=(
                "post",
                "holder",
                "kind",
                "start",
                "end",
                "seconded_from",
                "substantive_post",
                "notes",
            ),
            group="Who is who",
        ),
        Register(
            "functions",
            Function,
            columns=("name", "code", "place"),
            search=("name", "code", "description"),
            form=("code", "name", "description"),
        ),
        Register(
            "delegations",
            Delegation,
            columns=(
                "function",
                "delegate_post",
                "delegate_body",
                "phase",
                "status",
                "target_date",
            ),
            search=("function__name", "legal_basis", "instrument_reference", "notes"),
            filters=("status", "phase", "function"),
            form_class=DelegationForm,
            detail_url="delegation",
        ),
        Register(
            "readiness-frameworks",
            ReadinessFramework,
            columns=("name", "edition", "place"),
            search=("name", "edition", "description"),
            form=("name", "edition", "levels", "criteria", "description"),
        ),
        Register(
            "readiness",
            ReadinessAssessment,
            columns=("function", "assessed_on", "level", "assessed_by", "framework"),
            search=("function__name", "level", "evidence", "notes"),
            filters=("function", "level"),
            form_class=AssessmentForm,
        ),
        Register(
            "agreements",
            Agreement,
            columns=("title", "kind", "status", "host", "start", "end", "review_date"),
            search=("title", "summary"),
            filters=("kind", "status", "legal_force"),
            form=(
                "title",
                "kind",
                "status",
                "host",
                "parties",
                "legal_force",
                "start",
                "end",
                "review_date",
                "notice_date",
                "summary",
            ),
            group="Agreements and money",
            children=("agreement-variations", "pooled-funds"),
        ),
        Register(
            "agreement-variations",
            AgreementVariation,
            columns=("agreement", "number", "agreed_on", "effective_from"),
            search=("agreement__title", "description"),
            form=("agreement", "number", "agreed_on", "effective_from", "description"),
            group="Agreements and money",
        ),
        Register(
            "pooled-funds",
            PooledFund,
            columns=("name", "agreement", "host", "pool_manager"),
            search=("name", "purpose"),
            form=("agreement", "name", "host", "pool_manager", "purpose"),
            group="Agreements and money",
            children=("contributions",),
        ),
        Register(
            "contributions",
            Contribution,
            columns=("fund", "financial_year", "partner", "amount"),
            search=("partner__name", "fund__name", "notes"),
            filters=("financial_year", "fund", "partner"),
            form=("fund", "partner", "financial_year", "amount", "notes"),
            group="Agreements and money",
        ),
        Register(
            "risk-matrices",
            RiskMatrix,
            columns=("name", "likelihood_levels", "impact_levels", "place"),
            search=("name",),
            form=("name", "likelihood", "impact", "bands"),
            group="Risks and decisions",
            children=("risk-categories",),
        ),
        Register(
            "risk-categories",
            RiskCategory,
            columns=("name", "code", "appetite", "matrix"),
            search=("name", "code", "description"),
            form=("matrix", "code", "name", "appetite", "description"),
            group="Risks and decisions",
        ),
        Register(
            "risks",
            Risk,
            columns=("reference", "title", "category", "owner", "score", "status", "review_date"),
            search=("reference", "title", "description", "controls", "actions"),
            filters=("status", "category", "owner"),
            form_class=RiskForm,
            computed={"score": ("Current score", _risk_score)},
            group="Risks and decisions",
        ),
        Register(
            "decisions",
            Decision,
            columns=("made_on", "title", "kind", "status", "maker_body", "maker_post"),
            search=("title", "outcome", "reasons", "evidence", "reference"),
            filters=("kind", "status", "maker_body"),
            form=(
                "kind",
                "status",
                "made_on",
                "maker_body",
                "maker_post",
                "title",
                "outcome",
                "reasons",
                "options_rejected",
                "evidence",
                "reference",
                "partnerships",
                "organisations",
                "agreements",
                "delegations",
                "pooled_funds",
                "risks",
                "assessments",
                "workstreams",
                "services",
            ),
            group="Risks and decisions",
        ),
        Register(
            "services",
            Service,
            columns=("name", "area", "provider", "status", "place"),
            search=("name", "area", "description"),
            filters=("status", "provider"),
            form=(
                "name",
                "area",
                "description",
                "provider",
                "partners",
                "neighbourhoods",
                "status",
            ),
            group="Services and teams",
        ),
        Register(
            "neighbourhood-teams",
            NeighbourhoodTeam,
            columns=("name", "neighbourhood", "population", "place"),
            search=("name", "neighbourhood", "description"),
            form=("name", "neighbourhood", "population", "description"),
            group="Services and teams",
            children=("team-roles",),
        ),
        Register(
            "team-roles",
            TeamRole,
            columns=("team", "role", "organisation", "whole_time_equivalent"),
            search=("role", "team__name", "organisation__name"),
            filters=("team",),
            form=("team", "role", "organisation", "whole_time_equivalent"),
            group="Services and teams",
        ),
        Register(
            "workstreams",
            Workstream,
            columns=("name", "status", "lead_post", "lead_organisation", "started", "ended"),
            search=("name", "purpose"),
            filters=("status", "partnership"),
            form=(
                "name",
                "partnership",
                "body",
                "lead_post",
                "lead_organisation",
                "purpose",
                "status",
                "started",
                "ended",
            ),
            group="Services and teams",
            children=("milestones",),
        ),
        Register(
            "milestones",
            Milestone,
            columns=("workstream", "title", "due_on", "completed_on", "status"),
            search=("title", "workstream__name", "notes"),
            filters=("status", "workstream"),
            form=("workstream", "title", "due_on", "completed_on", "status", "notes"),
            group="Services and teams",
        ),
    )
}


def register_of(model: type[models.Model]) -> Register | None:
    return next((r for r in REGISTERS.values() if r.model is model), None)


def groups() -> list[tuple[str, list[Register]]]:
    """The registers by group, in declaration order, for navigation."""
    found: dict[str, list[Register]] = {}
    for r in REGISTERS.values():
        found.setdefault(r.group, []).append(r)
    return list(found.items())
