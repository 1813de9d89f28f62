from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "placeworks.governance"
    label = "governance"
    verbose_name = "Deal register"
    default_auto_field = "django.db.models.BigAutoField"
