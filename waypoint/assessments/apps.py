from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "waypoint.assessments"
    label = "assessments"
    verbose_name = "Assessments: initial, holistic needs, carer's and mental capacity"

    def ready(self):
        from . import extensions

        extensions.register()
