from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "waypoint.reports"
    label = "reports"
    verbose_name = "Service reports, data quality and the MHSDS submission"

    def ready(self):
        from . import extensions

        extensions.register()
