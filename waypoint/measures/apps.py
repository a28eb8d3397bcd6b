from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "waypoint.measures"
    label = "measures"
    verbose_name = "Outcome measures"

    def ready(self):
        from . import extensions

        extensions.register()
