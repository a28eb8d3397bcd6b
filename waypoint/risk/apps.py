from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "waypoint.risk"
    label = "risk"
    verbose_name = "Risk formulation (NICE NG225): no scores"

    def ready(self):
        from . import extensions

        extensions.register()
