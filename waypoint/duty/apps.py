from django.apps import AppConfig


class DutyConfig(AppConfig):
    name = "waypoint.duty"
    label = "duty"
    verbose_name = "Duty system"

    def ready(self):
        from . import extensions

        extensions.register()
