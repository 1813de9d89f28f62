from django.contrib import admin

from placeworks.web.runs.models import AllocationRun


@admin.register(AllocationRun)
class AllocationRunAdmin(admin.ModelAdmin):
    """Runs are records: they can be read, never written or removed here."""

    list_display = ("id", "created_at", "run_by", "icb_code", "label", "engine")
    list_filter = ("icb_code", "engine")
    search_fields = ("id", "run_by", "label", "inputs_hash")
    date_hierarchy = "created_at"
    readonly_fields = (
        "id",
        "created_at",
        "run_by",
        "user",
        "label",
        "icb_code",
        "engine",
        "inputs_hash",
        "config",
        "grouping",
        "baseline",
        "vintage",
        "results",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
