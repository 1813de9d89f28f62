from django import forms
from django.contrib import admin

from placeworks.allocation import read_baseline
from placeworks.data import DataValidationError
from placeworks.web.baselines.actions import import_baseline
from placeworks.web.baselines.models import BaselineAmount, HistoricBaseline


class HistoricBaselineForm(forms.ModelForm):
    """A new baseline is a file, read and validated as on the allocation page.

    The ICB code is checked by the model's constraint, which the form validates.
    """

    file = forms.FileField(help_text="A .csv or .xlsx file with columns footprint, name, amount.")

    class Meta:
        model = HistoricBaseline
        fields = ("icb_code", "name", "illustrative")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        content = upload.read()
        try:
            read_baseline(upload.name, content)
        except DataValidationError as exc:
            raise forms.ValidationError(str(exc)) from exc
        upload.seek(0)
        return upload


class BaselineAmountInline(admin.TabularInline):
    model = BaselineAmount
    fields = ("footprint", "name", "amount")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(HistoricBaseline)
class HistoricBaselineAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "icb_code",
        "illustrative",
        "source_filename",
        "uploaded_by",
        "created_at",
    )
    list_filter = ("icb_code", "illustrative")
    search_fields = ("name", "icb_code", "source_filename")
    inlines = (BaselineAmountInline,)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = HistoricBaselineForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("icb_code", "source_filename", "uploaded_by", "created_at")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("icb_code", "name", "illustrative", "file")
        return ("icb_code", "name", "illustrative", "source_filename", "uploaded_by", "created_at")

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else ()

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        upload = form.cleaned_data["file"]
        saved = import_baseline(
            upload.name,
            upload.read(),
            icb_code=form.cleaned_data["icb_code"],
            name=form.cleaned_data["name"],
            by=request.user,
            illustrative=form.cleaned_data["illustrative"],
        )
        obj.pk = saved.pk
        obj.refresh_from_db()
