"""The deal register in the Django admin, for back-office work. Every record's history (who,
when, what changed) is on its History page; organisations are never deleted."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from placeworks.governance.models import (
    Agreement,
    AgreementVariation,
    Body,
    BodyMembership,
    Contribution,
    Decision,
    Delegation,
    DelegationTransition,
    Function,
    Membership,
    Milestone,
    NeighbourhoodTeam,
    Nomination,
    Organisation,
    Partnership,
    Place,
    PooledFund,
    Post,
    PostHolding,
    ReadinessAssessment,
    ReadinessFramework,
    ReportingLine,
    Risk,
    RiskCategory,
    RiskMatrix,
    Role,
    Scoped,
    Service,
    TeamRole,
    Workstream,
)


class ScopedForm(forms.ModelForm):
    """The ICB code is not edited on the record (it follows its place or parent); a new record of
    a whole ICB names it here."""

    icb = forms.CharField(  # not ``icb_code``: the admin refuses a non-editable model field
        label="ICB ODS code",
        max_length=3,
        required=False,
        help_text="For a record of the whole ICB; otherwise taken from the place.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["icb"].initial = self.instance.icb_code
            self.fields["icb"].disabled = True

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk and cleaned.get("icb"):
            self.instance.icb_code = cleaned["icb"].strip().upper()
        return cleaned


class RegisterAdmin(SimpleHistoryAdmin):
    """A register record: ``version`` and derived fields read-only; fields the register changes
    only through a dedicated action (``locked_fields``) read-only once the record exists."""

    derived_fields: tuple[str, ...] = ()
    list_per_page = 50

    def get_readonly_fields(self, request, obj=None):
        fields = ["version", *self.derived_fields, *super().get_readonly_fields(request, obj)]
        if getattr(self.model, "scope_parent", None):
            fields.append("place")  # taken from the parent record when saved
        if obj is not None:
            fields += sorted(self.model.locked_fields - {"icb_code"})
        return tuple(dict.fromkeys(fields))

    def get_form(self, request, obj=None, **kwargs):
        if issubclass(self.model, Scoped) and "form" not in kwargs:
            kwargs["form"] = ScopedForm
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1  # so that an editor of the version read before is told of a conflict
        super().save_model(request, obj, form, change)


@admin.register(Place)
class PlaceAdmin(RegisterAdmin):
    list_display = ("code", "name", "icb_code", "version")
    list_filter = ("icb_code",)
    search_fields = ("code", "name")
    ordering = ("icb_code", "code")


@admin.register(Role)
class RoleAdmin(RegisterAdmin):
    list_display = ("user", "level", "icb_code", "place", "granted_by", "version")
    list_filter = ("level", "icb_code", "place")
    search_fields = ("user__username", "icb_code", "place__code", "place__name")
    ordering = ("user__username", "icb_code", "place")
    autocomplete_fields = ("user", "granted_by")


@admin.register(Organisation)
class OrganisationAdmin(RegisterAdmin):
    """Organisations are never deleted: one that closes gets an end date and a successor."""

    list_display = ("name", "kind", "code_system", "code", "place", "valid_from", "valid_to")
    list_filter = ("kind", "code_system", "icb_code", "place")
    search_fields = ("name", "code")
    ordering = ("name",)
    autocomplete_fields = ("successor",)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Function)
class FunctionAdmin(RegisterAdmin):
    list_display = ("name", "code", "icb_code", "place", "version")
    list_filter = ("icb_code", "place")
    search_fields = ("name", "code")
    ordering = ("name",)


@admin.register(Agreement)
class AgreementAdmin(RegisterAdmin):
    list_display = ("title", "kind", "status", "place", "host", "legal_force", "start", "end")
    list_filter = ("kind", "status", "legal_force", "icb_code", "place")
    search_fields = ("title", "summary")
    ordering = ("title",)
    autocomplete_fields = ("host", "parties")


@admin.register(AgreementVariation)
class AgreementVariationAdmin(RegisterAdmin):
    list_display = ("agreement", "number", "agreed_on", "effective_from", "place")
    list_filter = ("icb_code", "place")
    search_fields = ("agreement__title", "description")
    ordering = ("agreement__title", "number")
    date_hierarchy = "agreed_on"


@admin.register(Partnership)
class PartnershipAdmin(RegisterAdmin):
    list_display = ("name", "also_known_as", "place", "shadow", "established", "ended")
    list_filter = ("shadow", "icb_code", "place")
    search_fields = ("name", "also_known_as")
    ordering = ("name",)


@admin.register(Membership)
class MembershipAdmin(RegisterAdmin):
    list_display = ("partnership", "organisation", "level", "start", "end", "place")
    list_filter = ("level", "icb_code", "place")
    search_fields = ("partnership__name", "organisation__name", "organisation__code")
    ordering = ("partnership__name", "organisation__name", "start")
    autocomplete_fields = ("organisation",)


@admin.register(Nomination)
class NominationAdmin(RegisterAdmin):
    list_display = ("partnership", "organisation", "role", "post", "person", "start", "end")
    list_filter = ("role", "icb_code", "place")
    search_fields = ("partnership__name", "organisation__name", "person", "post__title")
    ordering = ("partnership__name", "organisation__name", "role")
    autocomplete_fields = ("organisation", "post")


@admin.register(Body)
class BodyAdmin(RegisterAdmin):
    list_display = ("name", "kind", "place", "organisation", "interim", "cadence", "established")
    list_filter = ("kind", "interim", "cadence", "icb_code", "place")
    search_fields = ("name", "terms_of_reference")
    ordering = ("name",)
    autocomplete_fields = ("organisation",)


@admin.register(BodyMembership)
class BodyMembershipAdmin(RegisterAdmin):
    list_display = ("body", "role", "organisation", "post", "voting", "start", "end")
    list_filter = ("role", "voting", "icb_code", "place")
    search_fields = ("body__name", "organisation__name", "post__title")
    ordering = ("body__name", "role")
    autocomplete_fields = ("body", "organisation", "post")


@admin.register(ReportingLine)
class ReportingLineAdmin(RegisterAdmin):
    list_display = ("source", "kind", "target", "start", "end", "place")
    list_filter = ("kind", "icb_code", "place")
    search_fields = ("source__name", "target__name")
    ordering = ("source__name", "kind", "target__name")
    autocomplete_fields = ("source", "target")


@admin.register(Post)
class PostAdmin(RegisterAdmin):
    list_display = ("title", "employer", "place", "funded_by", "version")
    list_filter = ("icb_code", "place")
    search_fields = ("title", "employer__name")
    ordering = ("title",)
    autocomplete_fields = ("employer", "organisations")


@admin.register(PostHolding)
class PostHoldingAdmin(RegisterAdmin):
    list_display = ("post", "holder", "kind", "start", "end", "seconded_from", "place")
    list_filter = ("kind", "icb_code", "place")
    search_fields = ("holder", "post__title")
    ordering = ("post__title", "start")
    autocomplete_fields = ("post", "seconded_from", "substantive_post")


@admin.register(Delegation)
class DelegationAdmin(RegisterAdmin):
    """The status moves only by a recorded transition, so it is read-only here."""

    list_display = (
        "function",
        "place",
        "delegator",
        "delegate_post",
        "delegate_body",
        "phase",
        "status",
        "status_since",
        "target_date",
    )
    list_filter = ("status", "phase", "icb_code", "place", "function")
    search_fields = ("function__name", "function__code", "legal_basis", "instrument_reference")
    ordering = ("place", "phase", "function__name")
    derived_fields = ("status", "status_since")
    autocomplete_fields = (
        "function",
        "delegator",
        "delegate_post",
        "delegate_body",
        "via_body",
        "instrument",
    )


@admin.register(DelegationTransition)
class DelegationTransitionAdmin(RegisterAdmin):
    list_display = ("delegation", "from_status", "to_status", "on", "decision", "place")
    list_filter = ("to_status", "from_status", "icb_code", "place")
    search_fields = ("delegation__function__name", "decision__title")
    ordering = ("delegation", "on", "id")
    date_hierarchy = "on"
    autocomplete_fields = ("delegation", "decision")


@admin.register(Decision)
class DecisionAdmin(RegisterAdmin):
    list_display = ("title", "kind", "status", "made_on", "maker_body", "maker_post", "place")
    list_filter = ("kind", "status", "icb_code", "place")
    search_fields = ("title", "reference", "outcome")
    ordering = ("-made_on", "id")
    date_hierarchy = "made_on"
    autocomplete_fields = (
        "maker_body",
        "maker_post",
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


@admin.register(PooledFund)
class PooledFundAdmin(RegisterAdmin):
    list_display = ("name", "agreement", "host", "pool_manager", "place", "version")
    list_filter = ("icb_code", "place")
    search_fields = ("name", "agreement__title", "host__name")
    ordering = ("name",)
    autocomplete_fields = ("agreement", "host", "pool_manager")


@admin.register(Contribution)
class ContributionAdmin(RegisterAdmin):
    list_display = ("fund", "financial_year", "partner", "amount", "place")
    list_filter = ("financial_year", "icb_code", "place")
    search_fields = ("fund__name", "partner__name", "partner__code")
    ordering = ("fund__name", "financial_year", "partner__name")
    autocomplete_fields = ("fund", "partner")


@admin.register(ReadinessFramework)
class ReadinessFrameworkAdmin(RegisterAdmin):
    list_display = ("name", "edition", "icb_code", "place", "version")
    list_filter = ("icb_code", "place")
    search_fields = ("name", "description")
    ordering = ("name", "edition")


@admin.register(ReadinessAssessment)
class ReadinessAssessmentAdmin(RegisterAdmin):
    list_display = ("function", "place", "level", "assessed_on", "framework", "assessed_by")
    list_filter = ("level", "icb_code", "place", "function")
    search_fields = ("function__name", "function__code", "evidence")
    ordering = ("place", "function__name", "-assessed_on")
    date_hierarchy = "assessed_on"
    autocomplete_fields = ("framework", "function", "assessed_by")


@admin.register(RiskMatrix)
class RiskMatrixAdmin(RegisterAdmin):
    list_display = ("name", "likelihood_levels", "impact_levels", "icb_code", "place")
    list_filter = ("icb_code", "place")
    search_fields = ("name",)
    ordering = ("name",)
    derived_fields = ("likelihood_levels", "impact_levels")


@admin.register(RiskCategory)
class RiskCategoryAdmin(RegisterAdmin):
    list_display = ("name", "code", "matrix", "appetite", "place")
    list_filter = ("matrix", "icb_code", "place")
    search_fields = ("name", "code")
    ordering = ("matrix__name", "name")


@admin.register(Risk)
class RiskAdmin(RegisterAdmin):
    list_display = (
        "reference",
        "title",
        "category",
        "owner",
        "current_likelihood",
        "current_impact",
        "status",
        "review_date",
        "place",
    )
    list_filter = ("status", "category", "icb_code", "place")
    search_fields = ("reference", "title", "description")
    ordering = ("reference",)
    derived_fields = ("likelihood_levels", "impact_levels")
    autocomplete_fields = ("category", "owner")


@admin.register(Workstream)
class WorkstreamAdmin(RegisterAdmin):
    list_display = ("name", "status", "partnership", "body", "lead_post", "started", "place")
    list_filter = ("status", "icb_code", "place")
    search_fields = ("name", "purpose")
    ordering = ("name",)
    autocomplete_fields = ("partnership", "body", "lead_post", "lead_organisation")


@admin.register(Milestone)
class MilestoneAdmin(RegisterAdmin):
    list_display = ("title", "workstream", "status", "due_on", "completed_on", "place")
    list_filter = ("status", "icb_code", "place")
    search_fields = ("title", "workstream__name")
    ordering = ("workstream__name", "due_on", "id")
    autocomplete_fields = ("workstream",)


@admin.register(Service)
class ServiceAdmin(RegisterAdmin):
    list_display = ("name", "area", "status", "provider", "place")
    list_filter = ("status", "area", "icb_code", "place")
    search_fields = ("name", "description", "provider__name")
    ordering = ("area", "name")
    autocomplete_fields = ("provider", "partners")


@admin.register(NeighbourhoodTeam)
class NeighbourhoodTeamAdmin(RegisterAdmin):
    list_display = ("name", "neighbourhood", "population", "place")
    list_filter = ("icb_code", "place")
    search_fields = ("name", "neighbourhood")
    ordering = ("neighbourhood", "name")


@admin.register(TeamRole)
class TeamRoleAdmin(RegisterAdmin):
    list_display = ("role", "team", "organisation", "whole_time_equivalent", "place")
    list_filter = ("icb_code", "place")
    search_fields = ("role", "team__name", "organisation__name")
    ordering = ("team__name", "role")
    autocomplete_fields = ("team", "organisation")
