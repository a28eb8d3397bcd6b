from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "waypoint.patients"
    label = "patients"
    verbose_name = "Person index"

    def ready(self):
        from . import extensions

        extensions.register()
