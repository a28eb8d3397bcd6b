from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "waypoint.workforce"
    label = "workforce"
    verbose_name = "Workforce"

    def ready(self):
        from . import extensions

        extensions.register()
