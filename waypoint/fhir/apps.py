from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "waypoint.fhir"
    label = "fhir"
    verbose_name = "FHIR R4 API (UK Core)"

    def ready(self):
        from . import extensions

        extensions.register(self)
