from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "waypoint.audit"
    label = "audit"
    verbose_name = "Audit"

    def ready(self):
        from django.core.checks import Tags, register

        from .dbroles import database_role_check

        register(database_role_check, Tags.database, deploy=True)
