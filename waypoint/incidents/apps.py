from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "waypoint.incidents"
    label = "incidents"
    verbose_name = "Incidents"

    def ready(self):
        from . import extensions

        extensions.register()
