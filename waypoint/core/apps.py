from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "waypoint.core"
    label = "core"
    verbose_name = "Shared pieces"
    default_auto_field = "django.db.models.BigAutoField"
