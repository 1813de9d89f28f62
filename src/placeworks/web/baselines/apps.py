from django.apps import AppConfig


class BaselinesConfig(AppConfig):
    name = "placeworks.web.baselines"
    label = "baselines"
    verbose_name = "Historic baselines"
    default_auto_field = "django.db.models.BigAutoField"
