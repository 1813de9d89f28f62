from django.apps import AppConfig


class RunsConfig(AppConfig):
    name = "placeworks.web.runs"
    label = "runs"
    verbose_name = "Allocation runs"
    default_auto_field = "django.db.models.BigAutoField"
