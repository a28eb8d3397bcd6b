from django.apps import AppConfig


class ContinuityConfig(AppConfig):
    name = "waypoint.continuity"
    label = "continuity"
    verbose_name = "Continuity (read-only mode and downtime packs)"

    def ready(self):
        from . import extensions

        extensions.register()
