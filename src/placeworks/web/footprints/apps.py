from django.apps import AppConfig


class FootprintsConfig(AppConfig):
    name = "placeworks.web.footprints"
    label = "footprints"
    verbose_name = "Footprints"
    default_auto_field = "django.db.models.BigAutoField"
