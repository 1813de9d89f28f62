from django import forms
from django.contrib import admin

from placeworks.data import DataValidationError
from placeworks.geography import parse_definition
from placeworks.web.footprints.actions import import_definition
from placeworks.web.footprints.models import GeographyDefinition


class GeographyDefinitionForm(forms.ModelForm):
    """Only the YAML is edited; the ICB code is read from it, and it is validated as on import."""

    class Meta:
        model = GeographyDefinition
        fields = ("yaml",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["yaml"].strip = False  # keep the text exactly as written
        self.fields["yaml"].widget = forms.Textarea(
            attrs={"rows": 30, "cols": 100, "spellcheck": "false"}
        )

    def clean_yaml(self) -> str:
        text = self.cleaned_data["yaml"]
        try:
            definition = parse_definition(text, "this definition")
        except DataValidationError as exc:
            raise forms.ValidationError(str(exc)) from exc
        if self.instance.pk and definition.icb != self.instance.icb_code:
            raise forms.ValidationError(
                f"This record is for {self.instance.icb_code} but the definition names"
                f" {definition.icb}; add a new definition for {definition.icb} instead."
            )
        others = GeographyDefinition.objects.filter(icb_code=definition.icb)
        if not self.instance.pk and others.exists():
            raise forms.ValidationError(
                f"A definition of {definition.icb} is already stored; change that one instead."
            )
        return text


@admin.register(GeographyDefinition)
class GeographyDefinitionAdmin(admin.ModelAdmin):
    form = GeographyDefinitionForm
    list_display = ("icb_code", "updated_at", "updated_by")
    readonly_fields = ("icb_code", "created_at", "updated_at", "updated_by")
    search_fields = ("icb_code",)

    def save_model(self, request, obj, form, change):
        saved = import_definition(form.cleaned_data["yaml"], by=request.user)
        obj.pk = saved.pk
        obj.refresh_from_db()
