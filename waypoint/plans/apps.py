from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "waypoint.plans"
    label = "plans"
    verbose_name = "Plans: care, crisis and contingency, relapse prevention, safety, wellness and recovery"

    def ready(self):
        from . import extensions

        extensions.register()
