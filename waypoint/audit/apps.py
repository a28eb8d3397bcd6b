from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "waypoint.audit"
    label = "audit"
    verbose_name = "Audit"

    def ready(self):
        from . import extensions

        extensions.register(self)
