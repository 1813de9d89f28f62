"""Forms of the deal register's pages. Every choice of a linked record is read through the scope
(``visible``), so a user is never offered a record they may not see; the actions check again."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from placeworks.governance.lifecycle import STATUSES
from placeworks.governance.models import (
    Agreement,
    Body,
    Function,
    Organisation,
    Place,
    Post,
    ReadinessFramework,
    Risk,
    RiskCategory,
)
from placeworks.governance.risks import default_matrix
from placeworks.governance.scope import visible

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


def of_place(user, model, place: Place):
    """The records of ``model`` in ``place``'s register that ``user`` may see: the place's own
    and those of its whole ICB."""
    return visible(user, model).filter(
        Q(place=place) | Q(place__isnull=True, icb_code=place.icb_code)
    )


class RegisterForm(forms.Form):
    """A form that can take the field errors of a ``ValidationError`` from an action, and says
    which field is missing rather than "This field is required"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.name_required_fields()

    def name_required_fields(self):
        for name, field in self.fields.items():
            if (
                field.error_messages.get("required")
                == forms.Field.default_error_messages["required"]
            ):
                what = (field.label or name.replace("_", " ")).lower()
                verb = "Choose" if isinstance(field, forms.ChoiceField) else "Enter"
                field.error_messages["required"] = f"{verb} the {what}."

    def add_domain_errors(self, error: ValidationError, aliases: dict[str, str] | None = None):
        aliases = aliases or {}
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for field, messages in error.message_dict.items():
            name = aliases.get(field, field)
            self.add_error(name if name in self.fields else None, messages)


class DelegationForm(RegisterForm):
    function = forms.ModelChoiceField(queryset=Function.objects.none())
    delegator = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label="Delegated by (organisation)"
    )
    delegate_post = forms.ModelChoiceField(
        queryset=Post.objects.none(), required=False, label="Delegated to a post"
    )
    delegate_body = forms.ModelChoiceField(
        queryset=Body.objects.none(), required=False, label="Or delegated to a body"
    )
    via_body = forms.ModelChoiceField(
        queryset=Body.objects.none(), required=False, label="Discharged through (optional)"
    )
    legal_basis = forms.CharField(max_length=300, required=False, label="Legal basis (optional)")
    instrument = forms.ModelChoiceField(
        queryset=Agreement.objects.none(), required=False, label="Instrument (optional)"
    )
    instrument_reference = forms.CharField(
        max_length=300,
        required=False,
        label="Instrument reference (optional)",
        help_text="Such as the scheme of delegation's paragraph. Needed before it takes effect.",
    )
    financial_limit = forms.DecimalField(
        max_digits=16,
        decimal_places=2,
        min_value=0,
        required=False,
        label="Financial limit in pounds (optional)",
    )
    phase = forms.IntegerField(min_value=1, required=False, label="Phase (optional)")
    target_date = forms.DateField(
        required=False, input_formats=DATE_FORMATS, widget=DateInput(), label="Target date"
    )
    notes = forms.CharField(widget=forms.Textarea, required=False, label="Notes (optional)")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, place: Place, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["function"].queryset = of_place(user, Function, place)
        self.fields["delegator"].queryset = of_place(user, Organisation, place)
        self.fields["delegate_post"].queryset = of_place(user, Post, place)
        self.fields["delegate_body"].queryset = of_place(user, Body, place)
        self.fields["via_body"].queryset = of_place(user, Body, place)
        self.fields["instrument"].queryset = of_place(user, Agreement, place)
        if editing:
            del self.fields["function"]
            del self.fields["delegator"]
        else:
            del self.fields["version"]

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("delegate_post")) == bool(data.get("delegate_body")):
            self.add_error("delegate_post", "Choose one post or one body to delegate to, not both.")
        return data

    def values(self) -> dict:
        """The action's keyword arguments (blanks as the model's empty values)."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        for name in ("legal_basis", "instrument_reference", "notes"):
            if name in data:
                data[name] = data[name] or ""
        return data


class DecisionForm(RegisterForm):
    """Record a decision moving a delegation on. Any known status is accepted here so that an
    illegal move is refused by the lifecycle with its own message; only allowed ones are offered."""

    to_status = forms.ChoiceField(choices=list(STATUSES.items()), label="New status")
    decision_date = forms.DateField(
        input_formats=DATE_FORMATS, widget=DateInput(), label="Date of the decision"
    )
    maker_body = forms.ModelChoiceField(
        queryset=Body.objects.none(), required=False, label="Decided by a body"
    )
    maker_post = forms.ModelChoiceField(
        queryset=Post.objects.none(), required=False, label="Or decided by a post"
    )
    reasons = forms.CharField(widget=forms.Textarea, label="Reasons")
    evidence = forms.CharField(
        widget=forms.Textarea,
        required=False,
        label="Evidence (optional)",
        help_text="Reports, minutes and papers relied on.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, user, place: Place, allowed: tuple[tuple[str, str], ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed = allowed
        self.fields["maker_body"].queryset = of_place(user, Body, place)
        self.fields["maker_post"].queryset = of_place(user, Post, place)

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("maker_body")) == bool(data.get("maker_post")):
            self.add_error("maker_body", "Choose the one body or one post that decided.")
        return data


def _score_choices(labels) -> list[tuple[str, str]]:
    return [("", "Choose")] + [(str(i), f"{i} {label}") for i, label in enumerate(labels, 1)]


class RiskForm(RegisterForm):
    reference = forms.CharField(max_length=30, help_text="Such as LAN-R07.")
    title = forms.CharField(max_length=300)
    description = forms.CharField(
        widget=forms.Textarea, required=False, label="Description (optional)"
    )
    category = forms.ModelChoiceField(queryset=RiskCategory.objects.none())
    owner = forms.ModelChoiceField(queryset=Post.objects.none(), required=False, label="Owner")
    controls = forms.CharField(widget=forms.Textarea, required=False, label="Controls (optional)")
    actions = forms.CharField(widget=forms.Textarea, required=False, label="Actions (optional)")
    review_date = forms.DateField(
        required=False, input_formats=DATE_FORMATS, widget=DateInput(), label="Review date"
    )

    STAGES = (
        ("inherent", "Inherent (before controls)"),
        ("current", "Current (now)"),
        ("target", "Target (once the actions are done)"),
    )

    def __init__(self, *args, user, place: Place, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["status"] = forms.ChoiceField(choices=Risk.Status.choices)
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput)
        categories = of_place(user, RiskCategory, place).select_related("matrix")
        self.fields["category"].queryset = categories
        self.fields["owner"].queryset = of_place(user, Post, place)
        first = categories.first()
        spec = first.matrix.spec() if first else default_matrix()
        for stage, _ in self.STAGES:
            for scale, labels in (("likelihood", spec.likelihood), ("impact", spec.impact)):
                self.fields[f"{stage}_{scale}"] = forms.TypedChoiceField(
                    choices=_score_choices(labels),
                    coerce=int,
                    label=f"{stage.capitalize()} {scale}",
                    error_messages={"required": f"Choose the {stage} {scale}."},
                )
        self.name_required_fields()

    def stage_fields(self):
        """(legend, likelihood field, impact field) for each stage, for the template."""
        return [
            (legend, self[f"{stage}_likelihood"], self[f"{stage}_impact"])
            for stage, legend in self.STAGES
        ]

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        for name in ("description", "controls", "actions"):
            data[name] = data[name] or ""
        return data


class AssessmentForm(RegisterForm):
    """Assess a place's readiness for a function on a framework: a level overall and, if wanted,
    a level per criterion, each chosen from the framework's own levels. With several frameworks
    in reach, a level is named with its framework and the model refuses one from another."""

    framework = forms.ModelChoiceField(queryset=ReadinessFramework.objects.none())
    function = forms.ModelChoiceField(queryset=Function.objects.none())
    assessed_on = forms.DateField(
        input_formats=DATE_FORMATS, widget=DateInput(), label="Date of the assessment"
    )
    level = forms.ChoiceField(label="Level overall")
    evidence = forms.CharField(widget=forms.Textarea, help_text="Reports and self-assessments.")
    assessed_by = forms.ModelChoiceField(
        queryset=Body.objects.none(), required=False, label="Assessed by (optional)"
    )
    notes = forms.CharField(widget=forms.Textarea, required=False, label="Notes (optional)")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, place: Place, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        frameworks = list(of_place(user, ReadinessFramework, place))
        self.fields["framework"].queryset = of_place(user, ReadinessFramework, place)
        self.fields["function"].queryset = of_place(user, Function, place)
        self.fields["assessed_by"].queryset = of_place(user, Body, place)
        if len(frameworks) == 1:
            self.fields["framework"].initial = frameworks[0].pk
        levels: dict[str, str] = {}
        self.criteria: list[str] = []
        for framework in frameworks:
            spec = framework.spec()
            suffix = f" ({framework})" if len(frameworks) > 1 else ""
            levels.update({lv.code: f"{lv.name}{suffix}" for lv in spec.levels})
            for criterion in spec.criteria:
                name = f"criterion_{criterion.code}"
                if name in self.fields:
                    continue
                self.fields[name] = forms.ChoiceField(
                    choices=[("", "Not assessed")] + [(lv.code, lv.name) for lv in spec.levels],
                    required=False,
                    label=f"{criterion.name} (optional)",
                    help_text=criterion.description,
                )
                self.criteria.append(criterion.code)
        self.fields["level"].choices = [("", "Choose"), *levels.items()]
        if not editing:
            del self.fields["version"]
        self.name_required_fields()

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["criteria"] = {
            code: data.pop(f"criterion_{code}")
            for code in self.criteria
            if data.get(f"criterion_{code}")
        }
        for code in self.criteria:
            data.pop(f"criterion_{code}", None)
        data["notes"] = data["notes"] or ""
        return data

    def initial_from(self, record) -> None:
        for code, level in (record.criteria or {}).items():
            self.initial[f"criterion_{code}"] = level
